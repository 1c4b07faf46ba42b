import type { ScopeEvent, Severity } from '../types';
import { eventFindingCount as findingCount } from '../../../shared/capture/query';
import { directionLabel, eventSummary, formatRtt, formatTime, messageTypeName } from './format';

/**
 * The message log's column model: what each column shows for one event, and how wide it starts. Kept pure so the
 * virtualized table, the copy-as-text command and the tests agree on the same cells.
 */

export type ColumnId = 'time' | 'connection' | 'direction' | 'type' | 'action' | 'id' | 'rtt' | 'findings';

/** How the time column reads, as in a packet list: wall clock, since the first event, or since the row above. */
export type TimeMode = 'clock' | 'relative' | 'delta';

export const TIME_LABEL: Record<TimeMode, string> = {
  clock: 'Time',
  relative: 'Time (rel)',
  delta: 'Δ Time',
};

/** Seconds with millisecond precision, signed only when negative: "12.345". */
export function formatSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export interface RowContext {
  /** Charge point identity (or a short label) of a connection id. */
  connectionLabel(conn: string): string;
  /** Round-trip time known for a request once its response came (the request event itself does not carry it). */
  rttOf(e: ScopeEvent): number | undefined;
  timeMode?: TimeMode;
  /** Wall time of the first event of the source, for relative times. */
  origin?: number;
  /** The event on the row above, for delta times. */
  previous?(e: ScopeEvent): ScopeEvent | undefined;
}

function timeCell(e: ScopeEvent, ctx: RowContext): string {
  switch (ctx.timeMode ?? 'clock') {
    case 'relative':
      return formatSeconds(e.t - (ctx.origin ?? e.t));
    case 'delta': {
      const before = ctx.previous?.(e);
      return before ? `+${formatSeconds(e.t - before.t)}` : formatSeconds(0);
    }
    default:
      return formatTime(e.t);
  }
}

export interface Column {
  id: ColumnId;
  label: string;
  /** Minimum width in px; with `max`, the column shares spare room up to max px; `grow` takes the rest. */
  width: number;
  max?: number;
  grow?: boolean;
  align?: 'left' | 'right';
  cell(e: ScopeEvent, ctx: RowContext): string;
}

function kindLabel(e: ScopeEvent): string {
  if (e.kind === 'frame') return e.msg ? messageTypeName(e.msg.type) : e.binary ? 'BINARY' : 'INVALID';
  return e.kind.toUpperCase();
}

export const COLUMNS: readonly Column[] = [
  { id: 'time', label: 'Time', width: 106, cell: timeCell },
  { id: 'connection', label: 'Connection', width: 84, max: 150, cell: (e, c) => c.connectionLabel(e.conn) },
  {
    id: 'direction',
    label: 'Direction',
    width: 94,
    cell: (e) =>
      e.kind === 'frame' || e.kind === 'ping' || e.kind === 'pong' ? directionLabel(e.sender) : '',
  },
  { id: 'type', label: 'Type', width: 100, cell: kindLabel },
  { id: 'action', label: 'Action / event', width: 150, grow: true, cell: (e) => eventSummary(e) },
  {
    id: 'id',
    label: 'Message id',
    width: 90,
    max: 170,
    cell: (e) => (e.kind === 'frame' ? (e.msg?.id ?? e.problem?.messageId ?? '') : ''),
  },
  { id: 'rtt', label: 'RTT', width: 64, align: 'right', cell: (e, c) => formatRtt(c.rttOf(e)) },
  {
    id: 'findings',
    label: 'Findings',
    width: 88,
    align: 'right',
    cell: (e) => {
      const n = findingCount(e);
      return n === 0 ? '' : String(n);
    },
  },
];

/** The CSS grid template of the log: fixed, bounded and growing columns. */
export function gridTemplate(columns: readonly Column[] = COLUMNS): string {
  return columns
    .map((c) =>
      c.grow ? `minmax(${c.width}px, 1fr)` : c.max ? `minmax(${c.width}px, ${c.max}px)` : `${c.width}px`,
    )
    .join(' ');
}

/** The narrowest the log can get before it scrolls sideways. */
export function minWidth(columns: readonly Column[] = COLUMNS): number {
  return columns.reduce((sum, c) => sum + c.width, 0) + 3;
}

/** The worst severity on an event, which decides how much a row stands out. */
export function worstSeverity(e: ScopeEvent): Severity | undefined {
  let worst: Severity | undefined;
  const rank = { info: 0, warning: 1, error: 2 } as const;
  const see = (s: Severity): void => {
    if (worst === undefined || rank[s] > rank[worst]) worst = s;
  };
  if (e.kind === 'frame') {
    if (e.problem) see('error');
    for (const f of e.findings) see(f.severity);
  } else if (e.kind === 'opened') {
    if (!e.ok || e.handshake.failure) see('error');
    for (const f of e.handshake.findings) see(f.severity);
  } else if (e.kind === 'error') see('error');
  else if (e.kind === 'note' || e.kind === 'transfer') for (const f of e.findings ?? []) see(f.severity);
  else if (e.kind === 'closed' && !e.clean) see('warning');
  return worst;
}

/** A tone for the type cell: requests, results and errors get distinct colours in the log. */
export function rowTone(e: ScopeEvent): 'call' | 'result' | 'error' | 'send' | 'event' | 'invalid' {
  if (e.kind !== 'frame') return 'event';
  if (!e.msg) return 'invalid';
  switch (e.msg.type) {
    case 2:
      return 'call';
    case 3:
      return 'result';
    case 6:
      return 'send';
    default:
      return 'error';
  }
}

/** Tab-separated text of rows, for "copy rows" into a ticket or a spreadsheet. */
export function rowsAsText(events: readonly ScopeEvent[], ctx: RowContext, columns = COLUMNS): string {
  const lines = [columns.map((c) => c.label).join('\t')];
  for (const e of events) lines.push(columns.map((c) => c.cell(e, ctx)).join('\t'));
  return lines.join('\n');
}

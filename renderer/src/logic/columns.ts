import type { ScopeEvent, Severity } from '../types';
import { eventFindingCount as findingCount } from '../../../shared/capture/query';
import { directionLabel, eventSummary, formatRtt, formatTime, messageTypeName } from './format';
import { exchangeOf, RTT_COLUMN_HINT, rttSentence, toolSide, type SideOf } from './tool-side';

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
  /** The connection of an id in the source shown (its role says where its round trips were measured). */
  connectionOf?(conn: string): SideOf | undefined;
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
  /** What the header says when pointed at, beyond its label. */
  hint?: string;
  cell(e: ScopeEvent, ctx: RowContext): string;
  /** What a cell says when pointed at (undefined: nothing beyond its text). */
  title?(e: ScopeEvent, ctx: RowContext): string | undefined;
}

function kindLabel(e: ScopeEvent): string {
  if (e.kind === 'frame') return e.msg ? messageTypeName(e.msg.type) : e.binary ? 'BINARY' : 'INVALID';
  return e.kind.toUpperCase();
}

/** Where the round trip on a row was measured: the tool's side of the connection, and who asked. */
function rttTitle(e: ScopeEvent, ctx: RowContext): string | undefined {
  const side = toolSide(ctx.connectionOf?.(e.conn) ?? { id: e.conn });
  const text = rttSentence(ctx.rttOf(e), side, exchangeOf(e));
  return text ? `RTT ${text}` : undefined;
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
  {
    id: 'rtt',
    label: 'RTT',
    width: 64,
    align: 'right',
    hint: RTT_COLUMN_HINT,
    cell: (e, c) => formatRtt(c.rttOf(e)),
    title: (e, c) => rttTitle(e, c),
  },
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

/** What the person changed: columns hidden, and widths dragged (px); kept in the settings (AppSettings.logColumns). */
export interface ColumnLayout {
  hidden: readonly string[];
  widths: Readonly<Record<string, number>>;
}

export const DEFAULT_LAYOUT: ColumnLayout = { hidden: [], widths: {} };

/** How narrow and how wide a dragged column may get. */
export const MIN_COLUMN_PX = 40;
export const MAX_COLUMN_PX = 1200;

export function clampWidth(px: number): number {
  return Math.round(Math.min(MAX_COLUMN_PX, Math.max(MIN_COLUMN_PX, px)));
}

const isColumnId = (id: string): id is ColumnId => COLUMNS.some((c) => c.id === id);

/** A stored layout, cleaned: unknown ids and out-of-range widths dropped (a file from another version stays usable). */
export function layoutFrom(stored: { hidden?: unknown; widths?: unknown } | undefined): ColumnLayout {
  if (!stored) return DEFAULT_LAYOUT;
  const hidden = Array.isArray(stored.hidden)
    ? stored.hidden.filter((id): id is ColumnId => typeof id === 'string' && isColumnId(id))
    : [];
  const widths: Record<string, number> = {};
  if (stored.widths && typeof stored.widths === 'object') {
    for (const [id, px] of Object.entries(stored.widths as Record<string, unknown>)) {
      if (isColumnId(id) && typeof px === 'number' && Number.isFinite(px)) widths[id] = clampWidth(px);
    }
  }
  // Hiding every column would leave an empty table with no header to bring one back.
  return { hidden: hidden.length >= COLUMNS.length ? [] : hidden, widths };
}

/** The columns shown, in their order. */
export function visibleColumns(layout: ColumnLayout = DEFAULT_LAYOUT): Column[] {
  return COLUMNS.filter((c) => !layout.hidden.includes(c.id));
}

/** Shows or hides one column; the last visible column cannot be hidden. */
export function toggleColumn(layout: ColumnLayout, id: ColumnId): ColumnLayout {
  if (layout.hidden.includes(id)) return { ...layout, hidden: layout.hidden.filter((h) => h !== id) };
  if (visibleColumns(layout).length <= 1) return layout;
  return { ...layout, hidden: [...layout.hidden, id] };
}

export function resizeColumn(layout: ColumnLayout, id: ColumnId, px: number): ColumnLayout {
  return { ...layout, widths: { ...layout.widths, [id]: clampWidth(px) } };
}

/**
 * The CSS grid template of the log: a dragged column keeps the width it was given; the others are fixed, bounded or
 * growing as defined. When the growing column is hidden, the last column takes the spare room so rows stay full.
 */
export function gridTemplate(
  columns: readonly Column[] = COLUMNS,
  widths: Readonly<Record<string, number>> = {},
): string {
  const grows = columns.some((c) => c.grow && widths[c.id] === undefined);
  return columns
    .map((c, i) => {
      const set = widths[c.id];
      if (set !== undefined) return grows || i < columns.length - 1 ? `${set}px` : `minmax(${set}px, 1fr)`;
      if (c.grow) return `minmax(${c.width}px, 1fr)`;
      if (!grows && i === columns.length - 1) return `minmax(${c.width}px, 1fr)`;
      return c.max ? `minmax(${c.width}px, ${c.max}px)` : `${c.width}px`;
    })
    .join(' ');
}

/** The narrowest the log can get before it scrolls sideways. */
export function minWidth(
  columns: readonly Column[] = COLUMNS,
  widths: Readonly<Record<string, number>> = {},
): number {
  return columns.reduce((sum, c) => sum + (widths[c.id] ?? c.width), 0) + 3;
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

import type { ConnectionInfo, Finding, ScopeEvent } from './events';
import { connectionInfo, eventProblem, MISSING } from './event-validate';
import { EVENT_KINDS } from './events';
import { VERBATIM_HEAD, verbatimSpanOfString } from './verbatim-line';

/**
 * The capture file codec (JSON Lines): one header line, then one ScopeEvent per line. Pure: no I/O here, so the
 * recorder, the streaming reader, the HAR and pcap converters and the CLI all share one definition.
 * See docs/capture-format.md.
 */

export const CAPTURE_FORMAT = 'ocpp-scope-capture';
/** Version 2 adds the frame line with its text verbatim (verbatim-line.ts); every version-1 line is still one. */
export const CAPTURE_FORMAT_VERSION = 2;
/** The first version whose frame lines may hold their text verbatim. */
export const VERBATIM_VERSION = 2;
/**
 * The version of a file whose every line is JSON.stringify's (encodeEvent: exports, conversions): it needs nothing
 * of version 2, so it says 1 and a reader of version 1 opens it too.
 */
export const PLAIN_LINES_VERSION = 1;
export const CAPTURE_EXTENSION = '.ocppcap.jsonl';

export interface CaptureHeader {
  format: typeof CAPTURE_FORMAT;
  version: number;
  /** Version of the tool that wrote the file. */
  tool: string;
  /** ISO 8601 time the file was started. */
  created: string;
  /** Connections known when the file was started (later ones appear as `opened` events). */
  connections: ConnectionInfo[];
  /** For a rolled-over file: its part number (1 = first) and the file it continues. */
  part?: number;
  continues?: string;
  /** Where the events came from when converted (har, pcap, capture). */
  source?: string;
}

export function makeHeader(
  tool: string,
  connections: ConnectionInfo[] = [],
  extra: Partial<CaptureHeader> = {},
): CaptureHeader {
  return {
    format: CAPTURE_FORMAT,
    version: CAPTURE_FORMAT_VERSION,
    tool,
    created: new Date().toISOString(),
    connections,
    ...extra,
  };
}

export function encodeHeader(header: CaptureHeader): string {
  return JSON.stringify(header) + '\n';
}

/** One event per line; JSON.stringify escapes every newline inside strings, so a line is always one event. */
export function encodeEvent(event: ScopeEvent): string {
  return encodeEventBody(event) + '\n';
}

/** An event's line without its newline, for a writer that appends the newline byte itself (no string joined). */
export function encodeEventBody(event: ScopeEvent): string {
  return JSON.stringify(withoutLineKeys(event));
}

/**
 * The event without a member named like a verbatim line's own (textBytes, textJson: an unknown member kept from a
 * file read, e.g. an imported one): first in a plain line, it would make a version-2 reader take the line for a
 * verbatim one and refuse it (review). The event itself when it has neither, as nearly every event.
 */
export function withoutLineKeys(event: ScopeEvent): ScopeEvent {
  if (!('textBytes' in event || 'textJson' in event)) return event;
  const copy: Record<string, unknown> = { ...event };
  delete copy.textBytes;
  delete copy.textJson;
  return copy as unknown as ScopeEvent;
}

export type LineResult<T> = { ok: true; value: T } | { ok: false; code: string; reason: string };

const KINDS: ReadonlySet<string> = new Set(EVENT_KINDS);

export function parseHeaderLine(line: string): LineResult<CaptureHeader> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return {
      ok: false,
      code: 'header-not-json',
      reason: `The first line is not JSON (${(e as Error).message}).`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'header-not-object', reason: 'The first line is not a JSON object.' };
  }
  const h = value as Partial<CaptureHeader>;
  if (h.format !== CAPTURE_FORMAT) {
    return {
      ok: false,
      code: 'not-a-capture',
      reason: `The first line does not name the format "${CAPTURE_FORMAT}".`,
    };
  }
  if (
    typeof h.version !== 'number' ||
    !Number.isInteger(h.version) ||
    h.version < 1 ||
    h.version > CAPTURE_FORMAT_VERSION
  ) {
    return {
      ok: false,
      code: 'unsupported-version',
      reason:
        typeof h.version !== 'number'
          ? 'The header has no format version.'
          : h.version > CAPTURE_FORMAT_VERSION
            ? `Capture format version ${h.version} is newer than this tool reads (${CAPTURE_FORMAT_VERSION}).`
            : `Capture format version ${h.version} does not exist (versions are whole numbers from 1).`,
    };
  }
  return {
    ok: true,
    value: {
      ...h,
      format: CAPTURE_FORMAT,
      version: h.version,
      tool: typeof h.tool === 'string' ? h.tool : 'unknown',
      created: typeof h.created === 'string' ? h.created : '',
      // A damaged entry is dropped: the connection's opened event says the same again.
      connections: Array.isArray(h.connections)
        ? ((h.connections as unknown[]).filter(
            (c) => connectionInfo(c, 'connection') === undefined,
          ) as ConnectionInfo[])
        : [],
    },
  };
}

/** Checks every field of the event (see event-validate.ts); unknown fields are carried as written. */
export function checkEvent(value: unknown): LineResult<ScopeEvent> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'event-not-object', reason: 'The line is not a JSON object.' };
  }
  const e = value as Record<string, unknown>;
  if (typeof e.kind !== 'string' || !KINDS.has(e.kind)) {
    return {
      ok: false,
      code: 'event-unknown-kind',
      reason: `Unknown event kind ${typeof e.kind === 'string' ? JSON.stringify(e.kind) : `(${typeof e.kind})`}.`,
    };
  }
  if (typeof e.seq !== 'number' || typeof e.t !== 'number' || typeof e.conn !== 'string') {
    return { ok: false, code: 'event-missing-field', reason: 'The event lacks seq, t or conn.' };
  }
  const bad = eventProblem(e);
  if (bad) {
    const code = bad.endsWith(MISSING) ? 'event-missing-field' : 'event-bad-field';
    return { ok: false, code, reason: `The event is malformed: ${bad}.` };
  }
  return { ok: true, value: value as ScopeEvent };
}

/**
 * One event line. `version` is the file's (its header's; 1 for a file without one): from VERBATIM_VERSION on, a line
 * that starts as a verbatim frame line (`{"textBytes":`) is read as one, its text sliced out of the line.
 */
export function parseEventLine(line: string, version = 1): LineResult<ScopeEvent> {
  if (version >= VERBATIM_VERSION && line.startsWith(VERBATIM_HEAD)) {
    const span = verbatimSpanOfString(line);
    if (!span.ok) return verbatimProblem(span.reason);
    return verbatimEvent(
      line.slice(0, span.keyAt) + '}',
      line.slice(span.textStart, span.textEnd),
      span.textBytes,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { ok: false, code: 'event-not-json', reason: `The line is not JSON (${(e as Error).message}).` };
  }
  return checkEvent(value);
}

/** Why a verbatim line whose bytes are not UTF-8 is refused (by the file reader and the in-memory one alike). */
export const NOT_UTF8 = 'The text is not valid UTF-8 (a character cut, or bytes changed).';

export function verbatimProblem(reason: string): { ok: false; code: string; reason: string } {
  return { ok: false, code: 'event-bad-text', reason: `A frame line with its text verbatim: ${reason}` };
}

/**
 * The event of a verbatim line from its head (the line up to its `,"textJson":`, closed with `}`) and its text:
 * the head must be a JSON object whose textBytes is the N the line was cut by, with no text of its own.
 */
export function verbatimEvent(head: string, text: string, textBytes: number): LineResult<ScopeEvent> {
  let value: unknown;
  try {
    value = JSON.parse(head);
  } catch {
    // The text's length lied and the cut fell inside the text (whose members are then unbalanced), or the head is bad.
    return verbatimProblem(
      `The members before its text are not JSON (its textBytes, ${textBytes}, may be wrong).`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return checkEvent(value);
  const e = value as Record<string, unknown>;
  if (e.textBytes !== textBytes || 'text' in e || 'textJson' in e)
    return verbatimProblem('Its members hold another text or length.');
  delete e.textBytes;
  e.text = text;
  const r = checkEvent(e);
  if (r.ok && r.value.kind !== 'frame')
    return verbatimProblem(`A ${r.value.kind} event cannot hold a frame text.`);
  return r;
}

/** A finding about the file itself, with where (1-based line, byte offset of the line start). */
export function fileFinding(code: string, reason: string, line: number, byteOffset: number): Finding {
  return {
    code: `capture-${code}`,
    severity: 'error',
    message: `Line ${line} (byte ${byteOffset}): ${reason}`,
  };
}

export function encodeCapture(header: CaptureHeader, events: Iterable<ScopeEvent>): string {
  const parts = [encodeHeader(header)];
  for (const e of events) parts.push(encodeEvent(e));
  return parts.join('');
}

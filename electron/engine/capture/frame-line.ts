import type { ScopeEvent } from '../../../shared/capture/events';
import { VERBATIM_HEAD, VERBATIM_KEY } from '../../../shared/capture/verbatim-line';

/**
 * A frame event's capture line written from parts: the event's other fields by JSON.stringify, the frame's text
 * escaped byte by byte straight into the writer's buffer. The bytes are those of encodeEventBody(event) in UTF-8
 * (tested against it). Why: for a 1.3 KB MeterValues (about 300 quotes to escape) V8's JSON.stringify of the event
 * cost 3.6-5.4 µs in process (with the answer's event, a fifth of the endpoint's busy time with recording on), and
 * its line was then copied once more into the buffer. The text's bytes escaped in a loop over a Buffer cost ~1.9-2.2 µs against ~2.9 µs for
 * JSON.stringify of the text and its copy into the buffer; the small fields' JSON.stringify ~0.85 µs.
 */

/** Shorter texts go through JSON.stringify whole: the parts cost more than they save (verbatim too: see below). */
const MIN_TEXT = 256;
/** Longer ones too (a ~1 MB frame's line may not fit the writer's buffer; it is rare). */
export const MAX_PARTS_TEXT = 64 * 1024;
/** UTF-8 bytes of a text of MAX_PARTS_TEXT UTF-16 units, at most. */
export const PARTS_SCRATCH_BYTES = 3 * MAX_PARTS_TEXT;

const HOLE = '"text":""';

export interface FrameLineParts {
  /** The line up to and including `"text":`. */
  head: string;
  /** The line after the text's closing quote (no newline). */
  tail: string;
  text: string;
}

/** The parts of a frame event's line, or undefined when it is better (or only safely) written whole. */
export function frameLineParts(event: ScopeEvent): FrameLineParts | undefined {
  if (event.kind !== 'frame') return undefined;
  const text = event.text as unknown;
  if (typeof text !== 'string' || text.length < MIN_TEXT || text.length > MAX_PARTS_TEXT) return undefined;
  // The hole is found by its first occurrence, which is the event's own text field as long as no field before it
  // is an object: a JSON string escapes its quotes, so a string value cannot hold `"text":""`.
  for (const key in event) {
    if (key === 'text') break;
    const v = (event as unknown as Record<string, unknown>)[key];
    if (typeof v === 'object' && v !== null) return undefined;
  }
  const rest = JSON.stringify({ ...event, text: '' });
  const at = rest.indexOf(HOLE);
  if (at < 0) return undefined;
  return { head: rest.slice(0, at + HOLE.length - 2), tail: rest.slice(at + HOLE.length), text };
}

/** The escape of each byte below 0x20 that JSON.stringify writes short (\b \t \n \f \r); 0 for \u00XX. */
const SHORT = new Uint8Array(0x20);
SHORT[0x08] = 0x62;
SHORT[0x09] = 0x74;
SHORT[0x0a] = 0x6e;
SHORT[0x0c] = 0x66;
SHORT[0x0d] = 0x72;
const HEX = new Uint8Array([...'0123456789abcdef'].map((c) => c.charCodeAt(0)));

/**
 * String.prototype.isWellFormed (ES2024, in Node 20+; the project's lib is ES2023): false for a lone surrogate, which
 * JSON.stringify escapes but UTF-8 replaces by U+FFFD, so such a text is written whole.
 */
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Writes JSON.stringify(text) as UTF-8 into `out` at `at`, quotes included, and returns the offset after it; -1
 * (nothing usable written) when the text holds a surrogate. `out` needs 6 bytes per UTF-16 unit of the text plus 2
 * from `at` (the worst case, every unit a control character), `scratch` 3 per UTF-16 unit.
 */
export function writeJsonString(text: string, out: Buffer, at: number, scratch: Buffer): number {
  const n = scratch.write(text, 0, 'utf8');
  // Asked only of a text that is not ASCII; surrogate pairs are fine in UTF-8, as JSON.stringify leaves them.
  if (n !== text.length && !isWellFormed(text)) return -1;
  out[at++] = 0x22;
  for (let i = 0; i < n; i++) {
    const c = scratch[i]!;
    if (c === 0x22 || c === 0x5c) {
      out[at++] = 0x5c;
      out[at++] = c;
    } else if (c >= 0x20) {
      out[at++] = c;
    } else {
      out[at++] = 0x5c;
      const short = SHORT[c]!;
      if (short !== 0) out[at++] = short;
      else {
        out[at++] = 0x75;
        out[at++] = 0x30;
        out[at++] = 0x30;
        out[at++] = HEX[c >> 4]!;
        out[at++] = HEX[c & 15]!;
      }
    }
  }
  out[at++] = 0x22;
  return at;
}

/**
 * Version 2 (shared/capture/verbatim-line.ts): a frame whose text is one JSON value on one line is written with its
 * text verbatim, no byte escaped. What the line relies on, and how it is known:
 * - the text is JSON: the pipeline parsed it as an OCPP-J message (the event has `msg` and no `problem`; a frame
 *   the engine built was serialized by JSON.stringify), and it is framed as one (`[` first, `]` last);
 * - it is one line: no CR or LF (JSON allows them between tokens; a native indexOf each);
 * - its UTF-8 is exactly it: no lone surrogate (checked only for a text that is not ASCII, natively);
 * - no member of the event is named like the line's own (textBytes, textJson): not checked here, the caller must
 *   have left them out first (the writer does, withoutLineKeys), or the line would hold such a key twice.
 * Anything else is written the version-1 way (frameLineParts, or JSON.stringify whole).
 */
export function verbatimRest(event: ScopeEvent): string | undefined {
  if (event.kind !== 'frame' || event.msg === undefined || event.problem !== undefined || event.binary)
    return undefined;
  const text = event.text as unknown;
  if (typeof text !== 'string' || text.length < MIN_TEXT || text.length > MAX_PARTS_TEXT) return undefined;
  if (text.charCodeAt(0) !== 0x5b || text.charCodeAt(text.length - 1) !== 0x5d) return undefined;
  if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) return undefined;
  // JSON.stringify leaves out a member whose value is undefined: the event's members but its text, in their order.
  return JSON.stringify({ ...event, text: undefined });
}

const HEAD = Buffer.from(VERBATIM_HEAD, 'latin1');
const KEY = Buffer.from(VERBATIM_KEY, 'latin1');

/**
 * Writes the verbatim line (no newline) of `text` and the event's other members `rest` (verbatimRest) into `out` at
 * `at`; returns the offset after it, or -1 (nothing usable written) when the text holds a lone surrogate. `out`
 * needs 3 bytes per UTF-16 unit of rest and text, and 40 more.
 */
export function writeVerbatimLine(text: string, rest: string, out: Buffer, at: number): number {
  const n = Buffer.byteLength(text, 'utf8');
  if (n !== text.length && !isWellFormed(text)) return -1;
  at += HEAD.copy(out, at);
  at += out.write(String(n), at, 'latin1');
  // rest is `{...}`: its braces become the commas around it, and its closing one the start of the key.
  const restAt = at;
  at += out.write(rest, at, 'utf8');
  out[restAt] = 0x2c;
  at += KEY.copy(out, at - 1) - 1;
  at += out.write(text, at, 'utf8');
  out[at++] = 0x7d;
  return at;
}

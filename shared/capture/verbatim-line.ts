/**
 * The version-2 capture line of a frame whose text is written verbatim (docs/capture-format.md):
 *
 *   {"textBytes":N,<the event's other members>,"textJson":<the text, N bytes of UTF-8, unescaped>}
 *
 * The text is the line's last member and its length in UTF-8 bytes is the line's first, so a reader slices it out
 * of the line (no unescaping) and checks that it is exactly where the length says; a JSON reader that knows nothing
 * of it still parses the line (the text is one JSON value: `textJson` holds it parsed). Pure: it locates, the codec
 * (format.ts) and the byte-level readers decide.
 */

export const VERBATIM_HEAD = '{"textBytes":';
export const VERBATIM_KEY = ',"textJson":';
/**
 * The longest N a line may give: nine digits, more than any line a reader takes (capture-file.ts reads lines up to
 * 64 MB), and N stays a small integer (offsets computed from it that became doubles deoptimized the index's skim).
 */
const MAX_DIGITS = 9;

const VERBATIM_HEAD_BYTES: Uint8Array = Uint8Array.from(VERBATIM_HEAD, (c) => c.charCodeAt(0));
const KEY_BYTES: Uint8Array = Uint8Array.from(VERBATIM_KEY, (c) => c.charCodeAt(0));

/** Where a verbatim line's parts are: the head (its members) is [start, keyAt), the text [textStart, textEnd). */
export interface VerbatimSpan {
  ok: true;
  /** N, the text's length in UTF-8 bytes (in UTF-16 units for a line given as a string: see verbatimSpanOfString). */
  textBytes: number;
  keyAt: number;
  textStart: number;
  textEnd: number;
}
export type VerbatimResult = VerbatimSpan | { ok: false; reason: string };

/** Does the line (bytes [s, e)) start as a verbatim line? Only then is it read as one. */
export function isVerbatimLine(buf: Uint8Array, s: number, e: number): boolean {
  // Any other line's first key is not `textBytes`: one byte tells nearly all of them apart (this runs on every line).
  if (buf[s + 2] !== 0x74 || e - s < VERBATIM_HEAD_BYTES.length) return false;
  for (let k = 0; k < VERBATIM_HEAD_BYTES.length; k++)
    if (buf[s + k] !== VERBATIM_HEAD_BYTES[k]) return false;
  return true;
}

/** N and the offset of the comma after it, or a reason when they are not there (`at` reads position i, or -1). */
function lengthAt(at: (i: number) => number, i: number): { n: number; comma: number } | string {
  const first = i;
  let n = 0;
  for (;;) {
    const c = at(i);
    if (c < 0x30 || c > 0x39 || i - first > MAX_DIGITS) break;
    n = (n * 10 + (c - 0x30)) | 0;
    i++;
  }
  const digits = i - first;
  if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && at(first) === 0x30))
    return 'Its textBytes is not a plain length.';
  if (at(i) !== 0x2c) return 'Its textBytes is not followed by the other members.';
  return { n, comma: i };
}

/**
 * The parts of a verbatim line held as bytes [s, e) (no newline, no trailing CR), checked: the line ends with `}`,
 * the text's N bytes end just before it, and `,"textJson":` is just before them, after the head's members. What
 * this cannot see (the head's JSON, the text's UTF-8) the caller checks.
 */
export function verbatimSpan(buf: Uint8Array, s: number, e: number): VerbatimResult {
  // N read in place (no closure: this runs for every verbatim line the index meets).
  let i = s + VERBATIM_HEAD_BYTES.length;
  const first = i;
  let n = 0;
  while (i < e && i - first <= MAX_DIGITS && buf[i]! >= 0x30 && buf[i]! <= 0x39)
    n = (n * 10 + (buf[i++]! - 0x30)) | 0;
  if (i === first || i - first > MAX_DIGITS || (i - first > 1 && buf[first] === 0x30))
    return { ok: false, reason: 'Its textBytes is not a plain length.' };
  if (buf[i] !== 0x2c || i >= e)
    return { ok: false, reason: 'Its textBytes is not followed by the other members.' };
  const len = { n, comma: i };
  if (buf[e - 1] !== 0x7d) return { ok: false, reason: 'The line does not end with "}" (cut short?).' };
  const textEnd = (e - 1) | 0;
  const textStart = (textEnd - len.n) | 0;
  const keyAt = (textStart - KEY_BYTES.length) | 0;
  // The head holds at least one member: `{"textBytes":N,` then something before the key.
  if (keyAt <= len.comma)
    return { ok: false, reason: `Its textBytes (${len.n}) is longer than the rest of the line.` };
  for (let k = 0; k < KEY_BYTES.length; k++)
    if (buf[keyAt + k] !== KEY_BYTES[k])
      return { ok: false, reason: `The text is not where its textBytes (${len.n}) says.` };
  return { ok: true, textBytes: len.n, keyAt, textStart, textEnd };
}

/** UTF-8 bytes of one UTF-16 unit at i of s, with its pair: 4 for a pair (counted on its high half), 0 on the low. */
function unitBytes(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xdc00 && c <= 0xdfff) {
    const h = i > 0 ? s.charCodeAt(i - 1) : 0;
    return h >= 0xd800 && h <= 0xdbff ? 0 : 3;
  }
  if (c >= 0xd800 && c <= 0xdbff) {
    const l = s.charCodeAt(i + 1);
    return l >= 0xdc00 && l <= 0xdfff ? 4 : 3;
  }
  return 3;
}

/**
 * The same for a line already decoded to a string (the text codec and parseEventLine; the library's counts): the
 * text's N bytes are counted back from the end, unit by unit; a count that does not land exactly on N (the length
 * cuts a character) is refused. Offsets are in UTF-16 units. Content held as bytes is read from its bytes instead
 * (event-bytes.ts), where a damaged character is seen as such rather than as a U+FFFD.
 */
export function verbatimSpanOfString(line: string): VerbatimResult {
  const len = lengthAt((i) => (i < line.length ? line.charCodeAt(i) : -1), VERBATIM_HEAD.length);
  if (typeof len === 'string') return { ok: false, reason: len };
  if (line.charCodeAt(line.length - 1) !== 0x7d)
    return { ok: false, reason: 'The line does not end with "}" (cut short?).' };
  const textEnd = line.length - 1;
  let bytes = 0;
  let i = textEnd;
  while (bytes < len.n && i > len.comma) bytes += unitBytes(line, --i);
  // A pair's low half counts 0 and its high half 4: a count that stops between them is over N.
  if (bytes !== len.n)
    return {
      ok: false,
      reason: `Its textBytes (${len.n}) ${i <= len.comma ? 'is longer than the rest of the line' : 'cuts a character'}.`,
    };
  const keyAt = i - VERBATIM_KEY.length;
  if (keyAt <= len.comma || line.slice(keyAt, i) !== VERBATIM_KEY)
    return { ok: false, reason: `The text is not where its textBytes (${len.n}) says.` };
  return { ok: true, textBytes: len.n, keyAt, textStart: i, textEnd };
}

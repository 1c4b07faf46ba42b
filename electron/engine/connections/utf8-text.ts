import { isAscii, isUtf8 } from 'node:buffer';

/**
 * The one strict UTF-8 reading of WebSocket text, for frames received live (decodeFrame) and messages read from a
 * capture (the pcap decoder): the text of a byte range where the bytes lie, or undefined when they are not UTF-8.
 * OCPP messages are nearly always ASCII, whose text is its bytes one for one: a Latin-1 copy is several times cheaper
 * than V8's UTF-8 decoder (about 4x for a ~1 MB frame, one piece of the event loop every other connection waits for).
 */

type SliceOf = (this: Uint8Array, start: number, end: number) => string;

/**
 * Buffer's own slices, called on a plain Uint8Array (they accept any; a Buffer view per message would cost what they
 * save). Not in Node's typings; `toString` through a Buffer view is the fallback.
 */
const slices = Buffer.prototype as unknown as { latin1Slice?: SliceOf; utf8Slice?: SliceOf };
const viaBuffer = (encoding: 'latin1' | 'utf8'): SliceOf =>
  function (this: Uint8Array, start: number, end: number): string {
    return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString(encoding, start, end);
  };
const latin1Slice: SliceOf = slices.latin1Slice ?? viaBuffer('latin1');
const utf8Slice: SliceOf = slices.utf8Slice ?? viaBuffer('utf8');

/**
 * From this size on, bytes whose OR the caller does not know are checked for ASCII first: below it the check would
 * cost more than it saves.
 */
export const ASCII_CHECK_BYTES = 16_384;

const range = (b: Uint8Array, start: number, end: number): Uint8Array =>
  start === 0 && end === b.length ? b : b.subarray(start, end);

/**
 * The bytes b[start, end) ORed together (as a byte): below 0x80 when all of them are ASCII. `view`, a DataView of all
 * of b, lets it read four bytes at a time (a fraction of the cost of a loop over single bytes).
 */
export function orBytes(b: Uint8Array, start: number, end: number, view?: DataView): number {
  let or = 0;
  let i = start;
  if (view) {
    for (; i + 4 <= end; i += 4) or |= view.getInt32(i);
    or = (or | (or >>> 8) | (or >>> 16) | (or >>> 24)) & 0xff;
  }
  for (; i < end; i++) or |= b[i]!;
  return or;
}

/**
 * The text of b[start, end) with any invalid UTF-8 replaced by U+FFFD. `or`: the bytes ORed together when the caller
 * has it already (unmasking computes it on the way); without it only a large range is checked for ASCII.
 */
export function laxUtf8Text(b: Uint8Array, start: number, end: number, or?: number): string {
  const ascii =
    or === undefined ? end - start >= ASCII_CHECK_BYTES && isAscii(range(b, start, end)) : or < 0x80;
  return ascii ? latin1Slice.call(b, start, end) : utf8Slice.call(b, start, end);
}

/** The UTF-8 text of b[start, end), or undefined when the bytes are not valid UTF-8 (`or` as for laxUtf8Text). */
export function utf8Text(b: Uint8Array, start: number, end: number, or?: number): string | undefined {
  if (or !== undefined && or < 0x80) return latin1Slice.call(b, start, end);
  const text = laxUtf8Text(b, start, end, or);
  // Bytes that are not UTF-8 decode with U+FFFD in their place: only a text holding one needs the exact check (a
  // text of ASCII, nearly every one, is decoded once and not scanned again).
  return !text.includes('\uFFFD') || isUtf8(range(b, start, end)) ? text : undefined;
}

/**
 * The text of a text message's bytes, read where they lie (no view or copy of their own). OCPP messages are nearly
 * always ASCII, whose text is its bytes one for one: a latin1 slice makes it several times cheaper than a UTF-8
 * decoder call on a view. Anything else goes through the strict UTF-8 decoder.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lax = new TextDecoder('utf-8');

type SliceOf = (this: Uint8Array, start: number, end: number) => string;
/**
 * Buffer's latin1 slice, called on a plain Uint8Array (it accepts any; making a Buffer view per message would cost
 * what it saves). Not in Node's typings; `toString('latin1')` through a Buffer view is the fallback.
 */
const latin1Slice: SliceOf =
  (Buffer.prototype as unknown as { latin1Slice?: SliceOf }).latin1Slice ??
  function (this: Uint8Array, start: number, end: number): string {
    return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString('latin1', start, end);
  };

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
 * The UTF-8 text of b[start, end), or undefined when the bytes are not valid UTF-8. `or`: the bytes ORed together
 * when the caller has it already (unmasking computes it on the way), else omitted.
 */
export function utf8Text(
  b: Uint8Array,
  start: number,
  end: number,
  or = orBytes(b, start, end),
): string | undefined {
  if (or < 0x80) return latin1Slice.call(b, start, end);
  try {
    return utf8.decode(b.subarray(start, end));
  } catch {
    return undefined;
  }
}

/** The text of b[start, end) with any invalid UTF-8 replaced (U+FFFD), for what is shown anyway (close reasons). */
export function laxUtf8Text(b: Uint8Array, start: number, end: number): string {
  return utf8Text(b, start, end) ?? utf8Lax.decode(b.subarray(start, end));
}

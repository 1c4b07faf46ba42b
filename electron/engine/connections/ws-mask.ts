/**
 * WebSocket masking (RFC 6455 5.3), one XOR for both ways: the station masks what it sends (frame-send.ts) and the
 * pcap decoder unmasks what a captured station sent (ws-decoder.ts).
 */

/**
 * src[start, start + len) XORed with the four-byte key at src[keyAt] into out from `at` (out may be src with
 * at === start: masked in place); returns the bytes written ORed together (as a byte: below 0x80 when all are ASCII).
 * srcView and outView, DataViews of all of src and of out, let it go a word at a time (the key is four bytes, so each word is
 * XORed with the key as a word): worth it for a capture's many payloads; a frame being sent, which has no view at
 * hand, goes a byte at a time.
 */
export function xorMask(
  src: Uint8Array,
  start: number,
  len: number,
  keyAt: number,
  out: Uint8Array,
  at: number,
  srcView?: DataView,
  outView?: DataView,
): number {
  let or = 0;
  let i = 0;
  if (srcView && outView) {
    const key = srcView.getInt32(keyAt);
    for (; i + 4 <= len; i += 4) {
      const x = srcView.getInt32(start + i) ^ key;
      outView.setInt32(at + i, x);
      or |= x;
    }
    or = (or | (or >>> 8) | (or >>> 16) | (or >>> 24)) & 0xff;
  }
  const k0 = src[keyAt]!;
  const k1 = src[keyAt + 1]!;
  const k2 = src[keyAt + 2]!;
  const k3 = src[keyAt + 3]!;
  for (; i + 4 <= len; i += 4) {
    const x0 = src[start + i]! ^ k0;
    const x1 = src[start + i + 1]! ^ k1;
    const x2 = src[start + i + 2]! ^ k2;
    const x3 = src[start + i + 3]! ^ k3;
    out[at + i] = x0;
    out[at + i + 1] = x1;
    out[at + i + 2] = x2;
    out[at + i + 3] = x3;
    or |= x0 | x1 | x2 | x3;
  }
  const rest = len - i;
  if (rest > 0) or |= out[at + i] = src[start + i]! ^ k0;
  if (rest > 1) or |= out[at + i + 1] = src[start + i + 1]! ^ k1;
  if (rest > 2) or |= out[at + i + 2] = src[start + i + 2]! ^ k2;
  return or;
}

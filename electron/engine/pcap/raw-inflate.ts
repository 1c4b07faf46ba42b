/**
 * DEFLATE (RFC 1951) decoding for permessage-deflate, one instance per direction, fed one whole message at a time.
 * A message always ends on a block boundary (RFC 7692 7.2.1: the sender's sync flush), so decoding never stops in
 * the middle of a block: the state kept between messages is the history (the last 32 KiB of output, for context
 * takeover) and the bits after the last block. The output is written once, into the history buffer itself (a
 * general-purpose inflater writes it out and copies it into its window again), which is what makes small messages
 * cheap: a typical OCPP message is a few bytes of back-references into the messages before it.
 * Never throws on bad input: a code that does not decode, a distance before the history, or a message that ends in
 * the middle of a block is CORRUPT (so is a block whose codes zlib refuses: over-subscribed or incomplete); output past the caller's cap is OVER_CAP, found before it is written.
 */

export const INFLATE_OK = 0;
/** The message ended the DEFLATE stream (a block with BFINAL set): the next message starts a new one. */
export const INFLATE_END = 1;
export const INFLATE_CORRUPT = -1;
export const INFLATE_OVER_CAP = -2;

/** What back-references may reach (RFC 1951's largest distance). */
export const WINDOW = 32 * 1024;
/**
 * The buffer starts small (a connection may send one message), grows with the history to STEADY_BYTES, where the
 * last WINDOW bytes are moved to the front whenever less than SHIFT_FREE is left before a message: about what a
 * general-purpose inflater keeps (its 32 KiB window, plus output buffers).
 */
const START_BYTES = 16 * 1024;
const STEADY_BYTES = 64 * 1024;
const SHIFT_FREE = 16 * 1024;
/** After a message that needed more, the buffer goes back to STEADY_BYTES (history kept). */
export const SHRINK_FROM = 256 * 1024;
/** Codes up to this many bits decode in one table lookup; longer ones bit by bit (they are rare). */
const ROOT = 10;

const LEN_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/** The order in which a dynamic block sends the code lengths of its code-length code. */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** What a code is for, which decides the incomplete codes it may be (see Huffman.build). */
const FIXED_CODE = 0;
const CODE_LENGTH_CODE = 1;
const BLOCK_CODE = 2;

/** A canonical Huffman code: a lookup table for codes up to ROOT bits, counts and sorted symbols for the rest. */
class Huffman {
  /** By the next ROOT bits (reversed code): symbol << 4 | length; 0 when the code is longer; -1 when no code. */
  readonly table = new Int32Array(1 << ROOT);
  readonly count = new Uint16Array(16);
  readonly symbol: Uint16Array;
  constructor(symbols: number) {
    this.symbol = new Uint16Array(symbols);
  }

  /**
   * Builds the code from lengths[0, n); false, as zlib refuses it, when the lengths over-subscribe the code space or
   * leave part of it unused: an incomplete code is taken only when fixed (its distance code has 30 of 32 codes), when
   * it has no code at all (an error only if used), or when a block's code is a single one-bit code (a block with
   * one distance, or only end-of-block). The code-length code must be complete.
   */
  build(lengths: Uint8Array, n: number, kind: number): boolean {
    const count = this.count;
    count.fill(0);
    for (let s = 0; s < n; s++) count[lengths[s]!]!++;
    count[0] = 0;
    let left = 1;
    for (let len = 1; len < 16; len++) {
      left = (left << 1) - count[len]!;
      if (left < 0) return false;
    }
    if (left > 0 && kind !== FIXED_CODE) {
      let max = 15;
      while (max > 0 && count[max] === 0) max--;
      if (max > 0 && (kind === CODE_LENGTH_CODE || max > 1)) return false;
    }
    const offs = new Uint16Array(16);
    const next = new Uint16Array(16);
    let code = 0;
    for (let len = 1; len < 16; len++) {
      offs[len] = offs[len - 1]! + count[len - 1]!;
      code = (code + count[len - 1]!) << 1;
      next[len] = code;
    }
    offs[0] = 0;
    const table = this.table;
    table.fill(-1);
    for (let s = 0; s < n; s++) {
      const len = lengths[s]!;
      if (len === 0) continue;
      this.symbol[offs[len]!++] = s;
      const c = next[len]!++;
      let rev = 0;
      for (let i = 0; i < len; i++) rev |= ((c >> i) & 1) << (len - 1 - i);
      if (len <= ROOT) {
        for (let j = rev; j < 1 << ROOT; j += 1 << len) table[j] = (s << 4) | len;
      } else {
        table[rev & ((1 << ROOT) - 1)] = 0;
      }
    }
    return true;
  }
}

const FIXED_LIT = new Huffman(288);
const FIXED_DIST = new Huffman(30);
{
  const l = new Uint8Array(288);
  l.fill(8, 0, 144);
  l.fill(9, 144, 256);
  l.fill(7, 256, 280);
  l.fill(8, 280, 288);
  FIXED_LIT.build(l, 288, FIXED_CODE);
  FIXED_DIST.build(new Uint8Array(30).fill(5), 30, FIXED_CODE);
}

const NEED_MORE = -1;
const BAD_CODE = -2;

export class RawInflate {
  /** History and the message being inflated: out[histStart, pos) is valid, the message is out[msgStart, pos). */
  out = new Uint8Array(START_BYTES);
  private pos = 0;
  private histStart = 0;
  msgStart = 0;
  /** Bits read from the input but not used yet (LSB first), carried from one message to the next. */
  private bitBuf = 0;
  private bitCnt = 0;
  private input: Uint8Array = this.out;
  private ip = 0;
  private end = 0;
  /** Dynamic-block codes, made on first use and reused. */
  private lit: Huffman | undefined;
  private dist: Huffman | undefined;
  private lens: Uint8Array | undefined;

  /** How many bytes the last message inflated to (so far, when it was cut). */
  inflated = 0;

  /**
   * Inflates the message input[start, end) (its sync-flush tail included) to at most `cap` bytes: INFLATE_OK or
   * INFLATE_END, with the message at out[msgStart, msgStart + inflated) until the next call; or why not.
   */
  inflate(input: Uint8Array, start: number, end: number, cap: number): number {
    if (
      this.out.length > SHRINK_FROM ||
      (this.pos - this.histStart > WINDOW && this.pos + SHIFT_FREE > this.out.length)
    )
      this.keepHistoryOnly();
    this.msgStart = this.pos;
    this.input = input;
    this.ip = start;
    this.end = end;
    const status = this.blocks(cap);
    this.inflated = this.pos - this.msgStart;
    this.input = this.out;
    return status;
  }

  /** Moves the last WINDOW bytes of history to the front (into a STEADY_BYTES buffer when it had grown). */
  private keepHistoryOnly(): void {
    const keep = Math.min(WINDOW, this.pos - this.histStart);
    if (this.out.length > SHRINK_FROM) {
      const next = new Uint8Array(STEADY_BYTES);
      next.set(this.out.subarray(this.pos - keep, this.pos));
      this.out = next;
    } else this.out.copyWithin(0, this.pos - keep, this.pos);
    this.pos = keep;
    this.histStart = 0;
  }

  /** `n` bits (n <= 16), or NEED_MORE when the input ends first. */
  private bits(n: number): number {
    while (this.bitCnt < n) {
      if (this.ip >= this.end) return NEED_MORE;
      this.bitBuf |= this.input[this.ip++]! << this.bitCnt;
      this.bitCnt += 8;
    }
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCnt -= n;
    return v;
  }

  private blocks(cap: number): number {
    for (;;) {
      if (this.ip >= this.end && this.bitCnt < 3) return INFLATE_OK;
      const head = this.bits(3);
      if (head < 0) return INFLATE_CORRUPT;
      const type = head >> 1;
      let status: number;
      if (type === 0) status = this.stored(cap);
      else if (type === 1) status = this.codes(FIXED_LIT, FIXED_DIST, cap);
      else if (type === 2) status = this.dynamic(cap);
      else return INFLATE_CORRUPT;
      if (status !== INFLATE_OK) return status;
      if (head & 1) {
        // The stream ended: what follows (the appended tail) is not part of it, and the next starts afresh.
        this.bitBuf = 0;
        this.bitCnt = 0;
        this.histStart = this.pos;
        return INFLATE_END;
      }
    }
  }

  private stored(cap: number): number {
    this.bitBuf >>>= this.bitCnt & 7;
    this.bitCnt -= this.bitCnt & 7;
    const len = this.bits(16);
    const nlen = this.bits(16);
    if (len < 0 || nlen < 0 || len !== (~nlen & 0xffff)) return INFLATE_CORRUPT;
    // Whole bytes may still be in the bit buffer (read ahead for the header): those come first.
    let n = len;
    if (!this.room(len, cap)) return INFLATE_OVER_CAP;
    const out = this.out;
    while (n > 0 && this.bitCnt >= 8) {
      out[this.pos++] = this.bitBuf & 0xff;
      this.bitBuf >>>= 8;
      this.bitCnt -= 8;
      n--;
    }
    if (this.end - this.ip < n) return INFLATE_CORRUPT;
    out.set(this.input.subarray(this.ip, this.ip + n), this.pos);
    this.ip += n;
    this.pos += n;
    return INFLATE_OK;
  }

  private dynamic(cap: number): number {
    const hlit = this.bits(5) + 257;
    const hdist = this.bits(5) + 1;
    const hclen = this.bits(4) + 4;
    if (hlit < 257 || hdist < 1 || hclen < 4 || hlit > 286 || hdist > 30) return INFLATE_CORRUPT;
    const lens = (this.lens ??= new Uint8Array(320));
    lens.fill(0, 0, 19);
    for (let i = 0; i < hclen; i++) {
      const v = this.bits(3);
      if (v < 0) return INFLATE_CORRUPT;
      lens[CL_ORDER[i]!] = v;
    }
    const lit = (this.lit ??= new Huffman(288));
    const dist = (this.dist ??= new Huffman(30));
    // The code-length code is built in `lit`, used, then `lit` is rebuilt for literals and lengths.
    if (!lit.build(lens, 19, CODE_LENGTH_CODE)) return INFLATE_CORRUPT;
    const all = hlit + hdist;
    const l = new Uint8Array(all);
    for (let i = 0; i < all;) {
      const sym = this.decode(lit);
      if (sym < 0) return INFLATE_CORRUPT;
      if (sym < 16) {
        l[i++] = sym;
        continue;
      }
      // 16: the previous length 3-6 times; 17: zero 3-10 times; 18: zero 11-138 times.
      if (sym === 16 && i === 0) return INFLATE_CORRUPT;
      const value = sym === 16 ? l[i - 1]! : 0;
      const extra = this.bits(sym === 16 ? 2 : sym === 17 ? 3 : 7);
      if (extra < 0) return INFLATE_CORRUPT;
      const repeat = (sym === 18 ? 11 : 3) + extra;
      if (i + repeat > all) return INFLATE_CORRUPT;
      l.fill(value, i, i + repeat);
      i += repeat;
    }
    if (l[256] === 0) return INFLATE_CORRUPT;
    if (!lit.build(l, hlit, BLOCK_CODE) || !dist.build(l.subarray(hlit), hdist, BLOCK_CODE))
      return INFLATE_CORRUPT;
    return this.codes(lit, dist, cap);
  }

  /** The next symbol of code h, NEED_MORE or BAD_CODE. */
  private decode(h: Huffman): number {
    while (this.bitCnt < 15 && this.ip < this.end) {
      this.bitBuf |= this.input[this.ip++]! << this.bitCnt;
      this.bitCnt += 8;
    }
    const e = h.table[this.bitBuf & ((1 << ROOT) - 1)]!;
    if (e > 0) {
      const len = e & 15;
      if (len > this.bitCnt) return NEED_MORE;
      this.bitBuf >>>= len;
      this.bitCnt -= len;
      return e >> 4;
    }
    if (e < 0) return this.bitCnt >= ROOT ? BAD_CODE : NEED_MORE;
    // Longer than ROOT bits: canonical decoding, one bit at a time.
    let code = 0;
    let first = 0;
    let index = 0;
    let b = this.bitBuf;
    for (let len = 1; len < 16; len++) {
      if (len > this.bitCnt) return NEED_MORE;
      code |= b & 1;
      b >>>= 1;
      const count = h.count[len]!;
      if (code - count < first) {
        this.bitBuf >>>= len;
        this.bitCnt -= len;
        return h.symbol[index + (code - first)]!;
      }
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    return BAD_CODE;
  }

  /** The symbols of one block with codes lit and dist, up to its end-of-block. */
  private codes(lit: Huffman, dist: Huffman, cap: number): number {
    for (;;) {
      const sym = this.decode(lit);
      if (sym < 0) return INFLATE_CORRUPT;
      if (sym < 256) {
        if (this.pos >= this.out.length || this.pos - this.msgStart >= cap) {
          if (!this.room(1, cap)) return INFLATE_OVER_CAP;
        }
        this.out[this.pos++] = sym;
        continue;
      }
      if (sym === 256) return INFLATE_OK;
      const li = sym - 257;
      if (li >= 29) return INFLATE_CORRUPT;
      const le = this.bits(LEN_EXTRA[li]!);
      const ds = this.decode(dist);
      if (le < 0 || ds < 0 || ds >= 30) return INFLATE_CORRUPT;
      const de = this.bits(DIST_EXTRA[ds]!);
      if (de < 0) return INFLATE_CORRUPT;
      const len = LEN_BASE[li]! + le;
      const d = DIST_BASE[ds]! + de;
      if (d > this.pos - this.histStart) return INFLATE_CORRUPT;
      if (!this.room(len, cap)) return INFLATE_OVER_CAP;
      const out = this.out;
      let p = this.pos;
      const stop = p + len;
      // Byte by byte: a match may overlap the bytes it makes (d < len repeats them).
      for (; p < stop; p++) out[p] = out[p - d]!;
      this.pos = stop;
    }
  }

  /** Room for `n` more bytes of this message within `cap`: false when the cap would be passed. */
  private room(n: number, cap: number): boolean {
    if (this.pos + n - this.msgStart > cap) return false;
    if (this.pos + n <= this.out.length) return true;
    // Doubled, then (past 1 MiB: a large message) grown fourfold (few copies), never past what the cap allows.
    const factor = this.out.length < 1 << 20 ? 2 : 4;
    const size = Math.min(Math.max(this.out.length * factor, this.pos + n), this.msgStart + cap);
    const next = new Uint8Array(size);
    next.set(this.out.subarray(0, this.pos));
    this.out = next;
    return true;
  }
}

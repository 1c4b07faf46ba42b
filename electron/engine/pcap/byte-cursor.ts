/**
 * Reads a byte stream that arrives in chunks (a file read piece by piece) as if it were one buffer, keeping only
 * the part not consumed yet: records that straddle two chunks are joined, everything before the cursor is let go.
 * Offsets passed to the readers are relative to the cursor. Slices handed out stay valid (chunks are never
 * overwritten, only dropped once nothing refers to them).
 */
export class ByteCursor {
  private buf: Uint8Array = new Uint8Array(0);
  private dv = new DataView(this.buf.buffer);
  private off = 0;
  /** Absolute offset of buf[0] in the stream. */
  private base = 0;
  private readonly chunks: Iterator<Uint8Array>;

  constructor(input: Iterable<Uint8Array>) {
    this.chunks = input[Symbol.iterator]();
  }

  /** Absolute offset of the cursor in the stream. */
  get position(): number {
    return this.base + this.off;
  }

  /** Bytes available without reading on. */
  get buffered(): number {
    return this.buf.length - this.off;
  }

  /** Makes `n` bytes available at the cursor; false when the stream ends first (what there is stays available). */
  ensure(n: number): boolean {
    const rest = this.buf.length - this.off;
    if (rest >= n) return true;
    // Gathered first and joined once: a record spread over many small chunks costs one copy, not one per chunk.
    const more: Uint8Array[] = [];
    let have = rest;
    while (have < n) {
      const next = this.chunks.next();
      if (next.done) break;
      if (next.value.length === 0) continue;
      // A plain view, not a Buffer: every record is a subarray of it, and a Buffer's subarray costs several times more.
      more.push(
        next.value instanceof Buffer
          ? new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.length)
          : next.value,
      );
      have += next.value.length;
    }
    if (more.length > 0) {
      let joined: Uint8Array;
      if (rest === 0 && more.length === 1) joined = more[0]!;
      else {
        joined = new Uint8Array(have);
        joined.set(this.buf.subarray(this.off));
        let at = rest;
        for (const c of more) {
          joined.set(c, at);
          at += c.length;
        }
      }
      this.base += this.off;
      this.off = 0;
      this.buf = joined;
      this.dv = new DataView(joined.buffer, joined.byteOffset, joined.byteLength);
    }
    return have >= n;
  }

  /** True when nothing is left at the cursor, nor in the stream. */
  atEnd(): boolean {
    return !this.ensure(1);
  }

  u8(at: number): number {
    return this.buf[this.off + at]!;
  }

  u16(at: number, le: boolean): number {
    return this.dv.getUint16(this.off + at, le);
  }

  u32(at: number, le: boolean): number {
    return this.dv.getUint32(this.off + at, le);
  }

  /** The bytes the cursor reads now (ensure first): `view[offset(at)]` is the byte at `at`, valid as long as kept. */
  get view(): Uint8Array {
    return this.buf;
  }

  offset(at: number): number {
    return this.off + at;
  }

  /** `len` bytes from `at` (ensure them first). */
  slice(at: number, len: number): Uint8Array {
    return this.buf.subarray(this.off + at, this.off + at + len);
  }

  skip(n: number): void {
    this.off += n;
  }
}

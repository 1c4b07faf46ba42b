/**
 * An input whose chunks may arrive later (a file read asynchronously, see FileChunkFeed): `hungry` is true after it
 * handed no chunk though more are to come. A reader in steps then pauses (see ByteCursor.more) until it is fed.
 */
export interface LateChunks extends Iterable<Uint8Array> {
  readonly hungry: boolean;
}

/**
 * Reads a byte stream that arrives in chunks (a file read piece by piece) as if it were one buffer, keeping only
 * the part not consumed yet: everything before the cursor is let go. Records are read in the chunk itself; one that
 * straddles two chunks is joined in a small bridge of its own bytes, after which reading goes on in the next chunk
 * (copying the whole next chunk behind it cost as much as a tenth of a pcap decode). Offsets passed to the readers
 * are relative to the cursor. Slices handed out stay valid (chunks are never overwritten, only dropped once nothing
 * refers to them).
 */
export class ByteCursor {
  private buf: Uint8Array = new Uint8Array(0);
  private dv = new DataView(this.buf.buffer);
  private off = 0;
  /** Absolute offset of buf[0] in the stream. */
  private base = 0;
  /** The chunk after buf when buf is a bridge: its bytes before followAt are the bridge's last bytes. */
  private follow: Uint8Array | undefined;
  private followAt = 0;
  private readonly chunks: Iterator<Uint8Array>;
  private readonly late: LateChunks | undefined;

  constructor(input: Iterable<Uint8Array> | LateChunks) {
    this.chunks = input[Symbol.iterator]();
    this.late = 'hungry' in input ? input : undefined;
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
    return this.buf.length - this.off >= n || this.readOn(n);
  }

  private readOn(n: number): boolean {
    if (this.buf.length === this.off) {
      // Nothing left here: go on in the next chunk itself.
      const c = this.follow ?? this.nextChunk();
      if (!c) return false;
      const at = this.follow ? this.followAt : 0;
      this.follow = undefined;
      this.use(c, at, this.base + this.buf.length);
      if (c.length - at >= n) return true;
    }
    // A record straddles chunks: a bridge holds what is left here and the missing bytes from the chunks after it.
    const rest = this.buf.length - this.off;
    const parts: Uint8Array[] = [];
    let have = rest;
    while (have < n) {
      let c: Uint8Array | undefined = this.follow;
      let at = this.followAt;
      this.follow = undefined;
      if (!c) {
        c = this.nextChunk();
        at = 0;
        if (!c) break;
      }
      const take = Math.min(c.length - at, n - have);
      parts.push(c.subarray(at, at + take));
      have += take;
      if (at + take < c.length) {
        this.follow = c;
        this.followAt = at + take;
      }
    }
    if (parts.length === 0) return false;
    const bridge = new Uint8Array(have);
    bridge.set(this.buf.subarray(this.off));
    let o = rest;
    for (const p of parts) {
      bridge.set(p, o);
      o += p.length;
    }
    this.use(bridge, 0, this.base + this.off);
    return have >= n;
  }

  /** The next non-empty chunk of the input, as a plain view (every record is a subarray of it, and a Buffer's
   * subarray costs several times more). */
  private nextChunk(): Uint8Array | undefined {
    for (;;) {
      const next = this.chunks.next();
      if (next.done) return undefined;
      const c = next.value;
      if (c.length === 0) continue;
      return c instanceof Buffer ? new Uint8Array(c.buffer, c.byteOffset, c.length) : c;
    }
  }

  /** Reads on in `c` from `at`, which is the stream's byte `position`. */
  private use(c: Uint8Array, at: number, position: number): void {
    this.buf = c;
    this.off = at;
    this.base = position - at;
    this.dv = new DataView(c.buffer, c.byteOffset, c.byteLength);
  }

  /**
   * ensure's slow path for an input whose chunks may arrive later: pauses (yields) while the input waits for a
   * chunk, and says at last whether `n` bytes are available. Called only when ensure(n) failed, so a record that
   * lies in one chunk (nearly all) costs no generator: `cur.ensure(n) || (yield* cur.more(n))`.
   */
  *more(n: number): Generator<void, boolean, void> {
    while (this.late?.hungry) {
      yield;
      if (this.ensure(n)) return true;
    }
    return false;
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

/**
 * The bytes the pcap import makes (unmasked payloads, compressed messages with their tail, inflated messages) are cut
 * from shared 64 KiB slabs: most are small, and a typed array of their own (memory outside the heap, zeroed, tracked)
 * costs more than filling it. A slab lives as long as any view cut from it. Bytes used only on the spot (a text
 * decoded at once) are given back, so the slab also serves as scratch space and is not used up by them.
 * One per process: the import is synchronous, so no two users interleave.
 */

export const SLAB_BYTES = 64 * 1024;
/** Larger pieces get an array of their own (a slab would hold too few of them to be worth sharing). */
const OWN_ARRAY_FROM = SLAB_BYTES / 8;

class ByteSlab {
  /** The current slab, filled up to `used`. */
  buf = new Uint8Array(SLAB_BYTES);
  /** A DataView of buf (for reading and writing it four bytes at a time). */
  view = new DataView(this.buf.buffer);
  used = 0;
  /** Where the piece `take` handed out starts in the array it returned. */
  at = 0;

  /** Makes at least `n` (<= SLAB_BYTES) free bytes in `buf` from `used` on: a fresh slab when this one has less. */
  room(n: number): void {
    if (SLAB_BYTES - this.used < n) {
      this.buf = new Uint8Array(SLAB_BYTES);
      this.view = new DataView(this.buf.buffer);
      this.used = 0;
    }
  }

  /** `len` bytes to fill: the array holding them, from `at` on (an array of their own when large). */
  take(len: number): Uint8Array {
    if (len > OWN_ARRAY_FROM) {
      this.at = 0;
      return new Uint8Array(len);
    }
    this.room(len);
    this.at = this.used;
    this.used += len;
    return this.buf;
  }

  /**
   * Everything taken from `buf` since `at` is no longer referred to: the slab reuses that space. Nothing happens
   * when `buf` is not the current slab (it is let go with its last view).
   */
  giveBack(buf: Uint8Array, at: number): void {
    if (buf === this.buf && at < this.used) this.used = at;
  }
}

export const slab = new ByteSlab();

import type { FileHandle } from 'node:fs/promises';

/**
 * Reads a file from the start, one chunk ahead: while the caller works on what it got, the next chunk is already
 * being read (on libuv's thread pool). A plain read-then-work loop waits for the disk, and then for the scheduler to
 * wake it, once per chunk; on a busy machine those waits were most of the time an open took.
 */
export class PrefetchReader {
  private readonly buffers: [Buffer, Buffer];
  private which = 0;
  private cur: Buffer;
  private curLen = 0;
  private curPos = 0;
  private pos = 0;
  private ended = false;
  private next: Promise<number> | undefined;

  constructor(
    private readonly fh: FileHandle,
    chunkBytes: number,
  ) {
    this.buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
    this.cur = this.buffers[0];
    this.next = this.fetch(this.buffers[0]);
  }

  /** Like FileHandle.read at the next position: up to `want` bytes into `into` at `at`; 0 at the end. */
  async read(into: Buffer, at: number, want: number): Promise<number> {
    if (this.curPos === this.curLen) {
      if (this.ended || !this.next) return 0;
      const n = await this.next;
      this.cur = this.buffers[this.which]!;
      this.curLen = n;
      this.curPos = 0;
      this.next = undefined;
      if (n === 0) {
        this.ended = true;
        return 0;
      }
      this.pos += n;
      this.which ^= 1;
      this.next = this.fetch(this.buffers[this.which]!);
    }
    const take = Math.min(want, this.curLen - this.curPos);
    this.cur.copy(into, at, this.curPos, this.curPos + take);
    this.curPos += take;
    return take;
  }

  /** Waits for a read still under way (so the file can be closed after it), ignoring its outcome. */
  async stop(): Promise<void> {
    const pending = this.next;
    this.next = undefined;
    this.ended = true;
    await pending?.catch(() => 0);
  }

  private fetch(into: Buffer): Promise<number> {
    const p = this.fh.read(into, 0, into.length, this.pos).then((r) => r.bytesRead);
    // Failures surface at the read() that awaits it; one nobody awaits (the file was closed) is not unhandled.
    p.catch(() => 0);
    return p;
  }
}

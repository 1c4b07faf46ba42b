import type { FileHandle } from 'node:fs/promises';
import { readAt } from './read-fully';

/** The big block: what one read in file order brings in (more when one line is longer). */
const BIG_BLOCK = 4 << 20;
/** The small block: a line away from the big one is read with this much around it. */
const SMALL_BLOCK = 4 << 10;

/**
 * Lines of a file read back in an order of their own (the decoded spool's time order), asynchronously. Going on in
 * file order, one big read serves many lines; a line elsewhere (an event the sort moved far, or a file out of order
 * throughout) gets a small read of its own and the big block stays: a crafted capture in random time order costs a
 * small read a line, not a big one.
 */
export class LineBlocks {
  private big: Buffer = Buffer.alloc(0);
  private bigAt = 0;
  private small: Buffer = Buffer.alloc(0);
  private smallAt = 0;

  constructor(private readonly fh: FileHandle) {}

  /** The line at [start, start + len) when it has been read; otherwise undefined (load it first). */
  text(start: number, len: number): string | undefined {
    if (start >= this.bigAt && start + len <= this.bigAt + this.big.length)
      return this.big.toString('utf8', start - this.bigAt, start - this.bigAt + len);
    if (start >= this.smallAt && start + len <= this.smallAt + this.small.length)
      return this.small.toString('utf8', start - this.smallAt, start - this.smallAt + len);
    return undefined;
  }

  /** Reads what holds the line at [start, start + len). */
  async load(start: number, len: number): Promise<void> {
    // Within a block or just past it: reading on in file order (from where the small block was, too).
    if (
      (start >= this.bigAt && start <= this.bigAt + this.big.length + SMALL_BLOCK) ||
      (start >= this.smallAt && start <= this.smallAt + this.small.length + SMALL_BLOCK)
    ) {
      this.big = await readAt(this.fh, start, Math.max(BIG_BLOCK, len));
      this.bigAt = start;
    } else {
      this.small = await readAt(this.fh, start, Math.max(SMALL_BLOCK, len));
      this.smallAt = start;
    }
  }
}

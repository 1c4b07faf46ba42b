import { writeSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { ScopeEvent } from '../../../shared/capture/events';
import type { Unstamped } from '../pcap/pcap-import';
import { runGivingTurns } from '../pcap/run-giving-turns';
import { LineBlocks } from './line-blocks';
import { timeOrderSteps } from './time-order';

/**
 * The events a decode hands over in decode order, kept on disk (one JSON line each) with only their time and place
 * in memory (20 bytes an event), then given back in time order (stable: equal times keep the decode's order) with
 * seq and mono stamped, exactly as decodePcapFrames orders and stamps the events it holds in memory. The file is
 * written synchronously, as the decode that feeds it runs (a write goes to the page cache, 1 MiB at a time), and read
 * back asynchronously: the event loop is never held by the disk, nor by the sort of a decode out of time order.
 */

/** Lines are written at once past this many bytes (UTF-16 length, an estimate). */
const FLUSH_CHARS = 1 << 20;
/** Events handed back together at most (parsed from one block read). */
const BATCH = 1000;

export class DecodedSpool {
  private fh: FileHandle | undefined;
  private n = 0;
  private t = new Float64Array(1024);
  private offset = new Float64Array(1024);
  private length = new Uint32Array(1024);
  private bytes = 0;
  private pending: string[] = [];
  private pendingChars = 0;
  private sorted = true;

  private constructor(
    readonly path: string,
    fh: FileHandle,
  ) {
    this.fh = fh;
  }

  /** A new spool file at `path` (which must not exist), private to this user. */
  static async create(path: string): Promise<DecodedSpool> {
    return new DecodedSpool(path, await open(path, 'wx+', 0o600));
  }

  get count(): number {
    return this.n;
  }

  push(e: Unstamped): void {
    const line = JSON.stringify(e) + '\n';
    if (this.n === this.t.length) this.grow();
    const i = this.n++;
    const len = Buffer.byteLength(line);
    this.t[i] = e.t;
    this.offset[i] = this.bytes;
    this.length[i] = len;
    this.bytes += len;
    if (i > 0 && e.t < this.t[i - 1]!) this.sorted = false;
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }

  private grow(): void {
    const cap = this.t.length * 2;
    const t = new Float64Array(cap);
    t.set(this.t);
    this.t = t;
    const offset = new Float64Array(cap);
    offset.set(this.offset);
    this.offset = offset;
    const length = new Uint32Array(cap);
    length.set(this.length);
    this.length = length;
  }

  private flush(): void {
    if (this.pending.length === 0 || this.fh === undefined) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    let off = 0;
    while (off < buf.length) off += writeSync(this.fh.fd, buf, off, buf.length - off);
  }

  /**
   * The events in time order with seq and mono stamped (mono from the earliest event), in batches. Call once, after
   * the decode.
   */
  async *ordered(): AsyncGenerator<ScopeEvent[], void, void> {
    this.flush();
    const fh = this.fh;
    if (fh === undefined) return;
    const n = this.n;
    const order = this.sorted ? undefined : await runGivingTurns(timeOrderSteps(this.t, n));
    const t0 = n > 0 ? this.t[order ? order[0]! : 0]! : 0;
    const lines = new LineBlocks(fh);
    let batch: ScopeEvent[] = [];
    for (let k = 0; k < n; k++) {
      const i = order ? order[k]! : k;
      const start = this.offset[i]!;
      const len = this.length[i]!;
      let text = lines.text(start, len);
      if (text === undefined) {
        if (batch.length > 0) {
          yield batch;
          batch = [];
        }
        await lines.load(start, len);
        text = lines.text(start, len)!;
      }
      const e = JSON.parse(text) as ScopeEvent;
      e.seq = k;
      e.mono = e.t - t0;
      batch.push(e);
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** Closes and deletes the file. */
  async dispose(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    this.pending = [];
    await fh?.close();
    await rm(this.path, { force: true });
  }
}

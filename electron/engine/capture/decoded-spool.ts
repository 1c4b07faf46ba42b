import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { ScopeEvent } from '../../../shared/capture/events';
import type { Unstamped } from '../pcap/pcap-import';

/**
 * The events a decode hands over in decode order, kept on disk (one JSON line each) with only their time and place
 * in memory (20 bytes an event), then given back in time order (stable: equal times keep the decode's order) with
 * seq and mono stamped, exactly as decodePcapFrames orders and stamps the events it holds in memory. The file is
 * written and read synchronously, like the decode that feeds it.
 */

/** Lines are written at once past this many bytes (UTF-16 length, an estimate). */
const FLUSH_CHARS = 1 << 20;
/** The file is read back this much at a time (more when one line is longer). */
const READ_BLOCK = 4 << 20;

export class DecodedSpool {
  private fd: number | undefined;
  private n = 0;
  private t = new Float64Array(1024);
  private offset = new Float64Array(1024);
  private length = new Uint32Array(1024);
  private bytes = 0;
  private pending: string[] = [];
  private pendingChars = 0;
  private sorted = true;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx+', 0o600);
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
    if (this.pending.length === 0 || this.fd === undefined) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
  }

  /** The events in time order with seq and mono stamped (mono from the earliest event). Call once, after the decode. */
  *ordered(): Generator<ScopeEvent> {
    this.flush();
    if (this.fd === undefined) return;
    const n = this.n;
    let order: Uint32Array | undefined;
    if (!this.sorted) {
      const t = this.t;
      order = new Uint32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => t[a]! - t[b]! || a - b);
    }
    const t0 = n > 0 ? this.t[order ? order[0]! : 0]! : 0;
    let block = Buffer.alloc(0);
    let blockStart = 0;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k]! : k;
      const start = this.offset[i]!;
      const len = this.length[i]!;
      // Mostly in file order (sorting moves few events far): one read serves many lines.
      if (start < blockStart || start + len > blockStart + block.length) {
        block = Buffer.allocUnsafe(Math.max(READ_BLOCK, len));
        let got = 0;
        for (;;) {
          const r = readSync(this.fd, block, got, block.length - got, start + got);
          got += r;
          if (r === 0 || got === block.length) break;
        }
        block = block.subarray(0, got);
        blockStart = start;
      }
      const o = start - blockStart;
      const e = JSON.parse(block.toString('utf8', o, o + len)) as ScopeEvent;
      e.seq = k;
      e.mono = e.t - t0;
      yield e;
    }
  }

  /** Closes and deletes the file. */
  dispose(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pending = [];
    rmSync(this.path, { force: true });
  }
}

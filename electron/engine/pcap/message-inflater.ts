import { Z_BUF_ERROR, Z_OK, Z_STREAM_END, Z_SYNC_FLUSH, ZStream, zlibInflate, zlibInflateInit2 } from 'pako';
import type { Finding } from '../../../shared/capture/events';
import { slab } from './byte-slab';

/**
 * permessage-deflate (RFC 7692) for one direction of one connection: a single inflate context fed message by
 * message, so context takeover costs each message only its own bytes (nothing of the history is inflated again).
 * Synchronous, because the import is: Node's zlib has no synchronous streaming inflate (its sync calls close their
 * context after one call), so the context is pako's zlib port, driven through its zlib-style stream API. Output
 * goes into the shared slabs (byte-slab.ts). Bounded: a message inflating past MAX_INFLATED_MESSAGE, or the import
 * past its shared budget, is cut as soon as its output gets there (a deflate bomb costs at most that much memory and
 * time), and this side is inflated no further.
 */

/** One message may inflate to this much; past it (a deflate bomb) that side is no longer inflated. */
export const MAX_INFLATED_MESSAGE = 16 << 20;
/** What all the messages of one import may inflate to together. */
export const MAX_INFLATED_IMPORT = 256 << 20;

/** Shared by every decoder of one import: inflated bytes still allowed. */
export interface InflateBudget {
  left: number;
}

/** The sync-flush tail every message had and permessage-deflate drops from the wire. */
export const DEFLATE_TAIL = new Uint8Array([0, 0, 0xff, 0xff]);
/** Raw deflate with the largest window (permessage-deflate's default; smaller windows inflate with it too). */
const RAW_WINDOW_BITS = -15;
/** A message's output starts in the current slab only when this much is left of it. */
const MIN_ROOM = 4 * 1024;

const EMPTY = new Uint8Array(0);
const CORRUPT = -1;
const OVER_CAP = -2;

export class MessageInflater {
  private z: ZStream | undefined;
  /** Why this side is no longer inflated (its context is lost), once that happened. */
  private stopped: Finding | undefined;
  /** Output of the message being inflated, when it spans more than one slab. */
  private parts: Uint8Array[] = [];
  private firstBuf: Uint8Array = EMPTY;
  private firstAt = 0;
  private firstLen = 0;
  private total = 0;
  /** Where inflateAt left the message: out[outAt, outAt + its length). */
  out: Uint8Array = EMPTY;
  outAt = 0;

  constructor(
    /** 'station' or 'CSMS', for the findings. */
    private readonly side: string,
    private readonly budget: InflateBudget,
    private readonly fail: (f: Finding) => void,
  ) {}

  /** The inflated message (without its tail, as on the wire), or the finding that says why it stays compressed. */
  inflate(data: Uint8Array): Uint8Array | Finding {
    const n = this.inflateAt(data, 0, data.length, false);
    return typeof n === 'number' ? this.out.subarray(this.outAt, this.outAt + n) : n;
  }

  /**
   * Inflates the message in[start, end) (`tailed`: its sync-flush tail is there too, right after it); its length, with
   * the bytes at out[outAt, ...), or the finding that says why it stays compressed. The bytes stay valid as long
   * as the caller keeps `out` (they are in a shared slab: see byte-slab.ts).
   */
  inflateAt(input: Uint8Array, start: number, end: number, tailed: boolean): number | Finding {
    if (this.stopped) return this.stopped;
    const cap = Math.min(MAX_INFLATED_MESSAGE, this.budget.left);
    if (cap <= 0) return this.overBudget();
    const z = this.z ?? this.context();
    if (!z) return this.corrupt();
    this.total = 0;
    this.firstBuf = EMPTY;
    this.firstAt = 0;
    this.firstLen = 0;
    let status = this.feed(z, input, start, end - start, cap);
    if (status === Z_OK && !tailed) status = this.feed(z, DEFLATE_TAIL, 0, DEFLATE_TAIL.length, cap);
    z.input = EMPTY;
    if (status === OVER_CAP) return this.cut(cap);
    if (status === CORRUPT) return this.corrupt();
    // A block with BFINAL set ends the deflate stream (RFC 7692 7.2.3.4 allows it): the next message starts a new one.
    if (status === Z_STREAM_END) this.z = undefined;
    this.budget.left -= this.total;
    if (this.parts.length === 0) {
      this.out = this.firstBuf;
      this.outAt = this.firstAt;
    } else {
      const all = new Uint8Array(this.total);
      let o = 0;
      for (const p of this.parts) {
        all.set(p, o);
        o += p.length;
      }
      this.parts = [];
      this.out = all;
      this.outAt = 0;
    }
    this.firstBuf = EMPTY;
    return this.total;
  }

  /** Inflates `n` bytes of input from `at`: Z_OK once they are used, Z_STREAM_END, CORRUPT or OVER_CAP. */
  private feed(z: ZStream, input: Uint8Array, at: number, n: number, cap: number): number {
    z.input = input;
    z.next_in = at;
    z.avail_in = n;
    for (;;) {
      slab.room(MIN_ROOM);
      const start = slab.used;
      z.output = slab.buf;
      z.next_out = start;
      // Never more than the cap allows (plus one byte, to know it was passed).
      z.avail_out = Math.min(slab.buf.length - start, cap + 1 - this.total);
      const status = zlibInflate(z, Z_SYNC_FLUSH);
      const made = z.next_out - start;
      slab.used = z.next_out;
      if (made > 0) this.keep(slab.buf, start, made);
      if (this.total > cap) {
        this.parts = [];
        this.firstBuf = EMPTY;
        return OVER_CAP;
      }
      if (status === Z_STREAM_END) return status;
      if (status !== Z_OK && status !== Z_BUF_ERROR) return CORRUPT;
      // Done when all input is used and the output did not fill (zlib had room for everything it could give).
      if ((z.avail_in === 0 && z.avail_out > 0) || status === Z_BUF_ERROR) return Z_OK;
    }
  }

  private keep(buf: Uint8Array, at: number, len: number): void {
    this.total += len;
    if (this.firstLen === 0 && this.parts.length === 0) {
      this.firstBuf = buf;
      this.firstAt = at;
      this.firstLen = len;
      return;
    }
    if (this.parts.length === 0)
      this.parts.push(this.firstBuf.subarray(this.firstAt, this.firstAt + this.firstLen));
    this.parts.push(buf.subarray(at, at + len));
  }

  /** The connection ended: its context (a 32 KiB window) is let go. */
  end(): void {
    this.z = undefined;
  }

  private context(): ZStream | undefined {
    const z = new ZStream();
    if (zlibInflateInit2(z, RAW_WINDOW_BITS) !== Z_OK) return undefined;
    this.z = z;
    return z;
  }

  private cut(cap: number): Finding {
    if (cap < MAX_INFLATED_MESSAGE) return this.overBudget();
    return this.stop(
      'pcap-inflate-too-large',
      `A message of the ${this.side} side inflates to more than ${MAX_INFLATED_MESSAGE >> 20} MB (a deflate bomb?): it and the later compressed messages of this side are shown as their compressed bytes.`,
    );
  }

  private corrupt(): Finding {
    return this.stop(
      'pcap-permessage-deflate',
      `A message of the ${this.side} side could not be inflated (its context is from before the capture, or the data is corrupt): it and the later compressed messages of this side are shown as their compressed bytes.`,
    );
  }

  private overBudget(): Finding {
    return this.stop(
      'pcap-inflate-budget',
      `The messages of this capture inflate to more than ${MAX_INFLATED_IMPORT >> 20} MB together: from here on, compressed messages of the ${this.side} side are shown as their compressed bytes.`,
    );
  }

  private stop(code: string, message: string): Finding {
    this.z = undefined;
    const f: Finding = { code, severity: 'error', message };
    this.stopped = f;
    this.fail(f);
    return f;
  }
}

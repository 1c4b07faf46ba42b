import { Z_BUF_ERROR, Z_OK, Z_STREAM_END, Z_SYNC_FLUSH, ZStream, zlibInflate, zlibInflateInit2 } from 'pako';
import type { Finding } from '../../../shared/capture/events';

/**
 * permessage-deflate (RFC 7692) for one direction of one connection: a single inflate context fed message by
 * message, so context takeover costs each message only its own bytes (nothing of the history is inflated again).
 * Synchronous, because the import is: Node's zlib has no synchronous streaming inflate (its sync calls close their
 * context after one call), so the context is pako's zlib port, driven through its zlib-style stream API. Output
 * goes into shared slabs (most messages are small, and a buffer of their own costs more than inflating them).
 * Bounded: a message inflating past MAX_INFLATED_MESSAGE, or the import past its shared budget, is cut as soon as
 * its output gets there (a deflate bomb costs at most that much memory and time), and this side is inflated no
 * further.
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
const TAIL = new Uint8Array([0, 0, 0xff, 0xff]);
/** Raw deflate with the largest window (permessage-deflate's default; smaller windows inflate with it too). */
const RAW_WINDOW_BITS = -15;
const SLAB = 64 * 1024;
/** A message starts in the current slab only when this much is left of it. */
const MIN_ROOM = 4 * 1024;

let slab = new Uint8Array(SLAB);
let slabUsed = 0;

export class MessageInflater {
  private z: ZStream | undefined;
  /** Why this side is no longer inflated (its context is lost), once that happened. */
  private stopped: Finding | undefined;

  constructor(
    /** 'station' or 'CSMS', for the findings. */
    private readonly side: string,
    private readonly budget: InflateBudget,
    private readonly fail: (f: Finding) => void,
  ) {}

  /** The inflated message, or the finding that says why it stays compressed. */
  inflate(data: Uint8Array): Uint8Array | Finding {
    if (this.stopped) return this.stopped;
    const cap = Math.min(MAX_INFLATED_MESSAGE, this.budget.left);
    if (cap <= 0) return this.overBudget();
    const z = this.z ?? this.context();
    if (!z) return this.corrupt();
    const input = new Uint8Array(data.length + 4);
    input.set(data);
    input.set(TAIL, data.length);
    z.input = input;
    z.next_in = 0;
    z.avail_in = input.length;
    const parts: Uint8Array[] = [];
    let total = 0;
    let ended = false;
    for (;;) {
      if (SLAB - slabUsed < MIN_ROOM) {
        slab = new Uint8Array(SLAB);
        slabUsed = 0;
      }
      const start = slabUsed;
      z.output = slab;
      z.next_out = start;
      // Never more than the cap allows (plus one byte, to know it was passed).
      z.avail_out = Math.min(SLAB - start, cap + 1 - total);
      const status = zlibInflate(z, Z_SYNC_FLUSH);
      const made = z.next_out - start;
      slabUsed = z.next_out;
      if (made > 0) parts.push(slab.subarray(start, start + made));
      total += made;
      if (total > cap) return this.cut(cap);
      if (status === Z_STREAM_END) {
        ended = true;
        break;
      }
      if (status !== Z_OK && status !== Z_BUF_ERROR) return this.corrupt();
      // Done when all input is used and the output did not fill (zlib had room for everything it could give).
      if ((z.avail_in === 0 && z.avail_out > 0) || status === Z_BUF_ERROR) break;
    }
    z.input = EMPTY;
    // A block with BFINAL set ends the deflate stream (RFC 7692 7.2.3.4 allows it): the next message starts a new one.
    if (ended) this.z = undefined;
    this.budget.left -= total;
    return concatBytes(parts, total);
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

const EMPTY = new Uint8Array(0);

/** The parts one after another (the only part itself, when there is one). */
export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

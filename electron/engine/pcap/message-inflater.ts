import type { Finding } from '../../../shared/capture/events';
import { INFLATE_END, INFLATE_OK, INFLATE_OVER_CAP, RawInflate, SHRINK_FROM, WINDOW } from './raw-inflate';

/**
 * permessage-deflate (RFC 7692) for one direction of one connection: a single inflate context fed message by
 * message, so context takeover costs each message only its own bytes (nothing of the history is inflated again).
 * Synchronous, because the import is: Node's zlib has no synchronous streaming inflate (its sync calls close their
 * context after one call), and a general-purpose port (pako) cost several times more per message than the message
 * itself, so the context is raw-inflate.ts. Bounded: a message inflating past MAX_INFLATED_MESSAGE is cut as soon as
 * its output gets there (a deflate bomb costs at most that much memory and time), and this side is inflated no
 * further. What all the inflaters of one import hold at once (each its buffer: history and the last message, which
 * stays there only until the next message or the end of the connection) is kept within MAX_INFLATED_IMPORT: a message
 * that would take the buffers past it is cut the same way. The bytes a message took are given back once it has been
 * handed on, so a capture may inflate to any total.
 */

/** One message may inflate to this much; past it (a deflate bomb) that side is no longer inflated. */
export const MAX_INFLATED_MESSAGE = 16 << 20;
/** What the inflaters of one import may hold at once, together (their buffers, not what they inflated in all). */
export const MAX_INFLATED_IMPORT = 256 << 20;

/**
 * Shared by every inflater of one import: the bytes their buffers may still take. An inflater takes its buffer's
 * size, and gives it back when its connection ends or its side is cut; a buffer that shrinks gives the difference.
 */
export interface InflateBudget {
  left: number;
}

/** The sync-flush tail every message had and permessage-deflate drops from the wire. */
export const DEFLATE_TAIL = new Uint8Array([0, 0, 0xff, 0xff]);

const EMPTY = new Uint8Array(0);

export class MessageInflater {
  private z: RawInflate | undefined;
  /** Why this side is no longer inflated (its context is lost), once that happened. */
  private stopped: Finding | undefined;
  /** What of the budget this side holds now: its buffer's size (read only, outside). */
  held = 0;
  /** Where inflateAt left the message: out[outAt, outAt + its length), until the next call. */
  out: Uint8Array = EMPTY;
  outAt = 0;

  constructor(
    /** 'station' or 'CSMS', for the findings. */
    private readonly side: string,
    private readonly budget: InflateBudget,
    private readonly fail: (f: Finding) => void,
  ) {}

  /** The inflated message (a copy), or the finding that says why it stays compressed. */
  inflate(data: Uint8Array): Uint8Array | Finding {
    const input = new Uint8Array(data.length + DEFLATE_TAIL.length);
    input.set(data);
    input.set(DEFLATE_TAIL, data.length);
    const n = this.inflateAt(input, 0, input.length);
    return typeof n === 'number' ? this.out.slice(this.outAt, this.outAt + n) : n;
  }

  /**
   * Inflates the message input[start, end), its sync-flush tail included: its length, with the bytes at
   * out[outAt, ...) until the next call, or the finding that says why it stays compressed.
   */
  inflateAt(input: Uint8Array, start: number, end: number): number | Finding {
    if (this.stopped) return this.stopped;
    let z = this.z;
    if (!z) {
      z = new RawInflate();
      if (z.out.length > this.budget.left) return this.overBudget();
      this.z = z;
      this.take(z.out.length);
    }
    // The buffer (held, taken already) may grow to where this message starts plus its cap: this cap keeps it within
    // what it holds now and what the budget has left (the room left in it is always usable). The message starts where
    // the last one ended, or nearer the front when the history is moved there; a buffer grown past SHRINK_FROM is
    // first replaced by a small one (the message before was handed on), with the message WINDOW bytes from its start
    // at most.
    const from = z.out.length > SHRINK_FROM ? WINDOW : z.msgStart + z.inflated;
    const cap = Math.min(MAX_INFLATED_MESSAGE, this.budget.left + this.held - from);
    const status = z.inflate(input, start, end, cap);
    if (status === INFLATE_OVER_CAP) return this.cut(cap);
    if (status !== INFLATE_OK && status !== INFLATE_END) return this.corrupt();
    // The buffer now: grown for this message, or shrunk back (the message before it was handed on).
    this.take(z.out.length - this.held);
    this.out = z.out;
    this.outAt = z.msgStart;
    return z.inflated;
  }

  /** The connection ended: its context (a 32 KiB window) is let go, and what it held is given back. */
  end(): void {
    this.z = undefined;
    this.out = EMPTY;
    this.take(-this.held);
  }

  /** Takes n bytes of the budget (gives them back when negative). */
  private take(n: number): void {
    this.budget.left -= n;
    this.held += n;
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
      'pcap-inflate-failed',
      `A message of the ${this.side} side could not be inflated (its context is from before the capture, or the data is corrupt): it and the later compressed messages of this side are shown as their compressed bytes.`,
    );
  }

  private overBudget(): Finding {
    return this.stop(
      'pcap-inflate-budget',
      `The compressed connections of this capture would hold more than ${MAX_INFLATED_IMPORT >> 20} MB of inflated messages at once (large messages on several connections at the same time): a message of the ${this.side} side is cut there, and it and the later compressed messages of this side are shown as their compressed bytes.`,
    );
  }

  private stop(code: string, message: string): Finding {
    this.end();
    const f: Finding = { code, severity: 'error', message };
    this.stopped = f;
    this.fail(f);
    return f;
  }
}

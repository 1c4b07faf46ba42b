import type { Finding } from '../../../shared/capture/events';
import { INFLATE_END, INFLATE_OK, INFLATE_OVER_CAP, RawInflate } from './raw-inflate';

/**
 * permessage-deflate (RFC 7692) for one direction of one connection: a single inflate context fed message by
 * message, so context takeover costs each message only its own bytes (nothing of the history is inflated again).
 * Synchronous, because the import is: Node's zlib has no synchronous streaming inflate (its sync calls close their
 * context after one call), and a general-purpose port (pako) cost several times more per message than the message
 * itself, so the context is raw-inflate.ts. Bounded: a message inflating past MAX_INFLATED_MESSAGE, or the import
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

const EMPTY = new Uint8Array(0);

export class MessageInflater {
  private z: RawInflate | undefined;
  /** Why this side is no longer inflated (its context is lost), once that happened. */
  private stopped: Finding | undefined;
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
    const cap = Math.min(MAX_INFLATED_MESSAGE, this.budget.left);
    if (cap <= 0) return this.overBudget();
    const z = (this.z ??= new RawInflate());
    const status = z.inflate(input, start, end, cap);
    if (status === INFLATE_OVER_CAP) return this.cut(cap);
    if (status !== INFLATE_OK && status !== INFLATE_END) return this.corrupt();
    this.budget.left -= z.inflated;
    this.out = z.out;
    this.outAt = z.msgStart;
    return z.inflated;
  }

  /** The connection ended: its context (a 32 KiB window) is let go. */
  end(): void {
    this.z = undefined;
    this.out = EMPTY;
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
    this.out = EMPTY;
    const f: Finding = { code, severity: 'error', message };
    this.stopped = f;
    this.fail(f);
    return f;
  }
}

import { Inflate } from 'pako';
import type { Finding } from '../../../shared/capture/events';

/**
 * permessage-deflate (RFC 7692) for one direction of one connection: a single inflate context fed message by
 * message, so context takeover costs each message only its own bytes (nothing of the history is inflated again).
 * Synchronous, because the import is: Node's zlib has no synchronous streaming inflate (its sync calls close their
 * context after one call), so the context is pako's (a port of zlib). Bounded: a message inflating past
 * MAX_INFLATED_MESSAGE, or the import past its shared budget, is cut as soon as its output gets there (a deflate
 * bomb costs at most that much memory and time), and this side is inflated no further.
 */

/** One message may inflate to this much; past it (a deflate bomb) that side is no longer inflated. */
export const MAX_INFLATED_MESSAGE = 16 << 20;
/** What all the messages of one import may inflate to together. */
export const MAX_INFLATED_IMPORT = 256 << 20;

/** Shared by every decoder of one import: inflated bytes still allowed. */
export interface InflateBudget {
  left: number;
}

/** Each message's output starts in a fresh buffer of this size: small, since most OCPP messages are. */
const OUTPUT_CHUNK = 1024;
/** The sync-flush tail every message had and permessage-deflate drops from the wire. */
const TAIL = new Uint8Array([0, 0, 0xff, 0xff]);
const Z_SYNC_FLUSH = 2;
/** Thrown out of pako's output callback to stop a message at its cap (pako offers no other way to stop early). */
const CUT = Symbol('inflate-cut');

export class MessageInflater {
  private z: Inflate | undefined;
  private parts: Uint8Array[] = [];
  private bytes = 0;
  private cap = 0;
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
    this.cap = Math.min(MAX_INFLATED_MESSAGE, this.budget.left);
    if (this.cap <= 0) return this.overBudget();
    const z = (this.z ??= this.context());
    const input = new Uint8Array(data.length + 4);
    input.set(data);
    input.set(TAIL, data.length);
    this.parts = [];
    this.bytes = 0;
    try {
      z.push(input, Z_SYNC_FLUSH);
    } catch (e) {
      if (e !== CUT) throw e;
      this.parts = [];
      if (this.cap < MAX_INFLATED_MESSAGE) return this.overBudget();
      return this.stop(
        'pcap-inflate-too-large',
        `A message of the ${this.side} side inflates to more than ${MAX_INFLATED_MESSAGE >> 20} MB (a deflate bomb?): it and the later compressed messages of this side are shown as their compressed bytes.`,
      );
    }
    if (z.err !== 0) {
      return this.stop(
        'pcap-permessage-deflate',
        `A message of the ${this.side} side could not be inflated (its context is from before the capture, or the data is corrupt): it and the later compressed messages of this side are shown as their compressed bytes.`,
      );
    }
    // A block with BFINAL set ends the deflate stream (RFC 7692 7.2.3.4 allows it): the next message starts a new one.
    if (z.ended) this.z = undefined;
    const parts = this.parts;
    this.parts = [];
    this.budget.left -= this.bytes;
    return concatBytes(parts, this.bytes);
  }

  /** The connection ended: its context (a 32 KiB window) is let go. */
  end(): void {
    this.z = undefined;
  }

  private context(): Inflate {
    const z = new Inflate({ raw: true, chunkSize: OUTPUT_CHUNK });
    z.onData = (chunk: Uint8Array): void => {
      this.bytes += chunk.length;
      if (this.bytes > this.cap) throw CUT;
      this.parts.push(chunk);
    };
    return z;
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

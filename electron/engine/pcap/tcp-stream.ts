/**
 * One direction of a TCP connection, reassembled: segments are delivered in sequence order exactly once, whatever
 * order and how many times they were captured. Holes that never fill (lost from the capture, or cut by snaplen) are
 * reported as gaps so the layer above can stop trusting its framing.
 */

const MAX_PENDING = 4096;

export interface TcpSink {
  /** The next bytes of the stream: bytes[start, end), captured at `t` (a view of the capture, valid for good). */
  data(bytes: Uint8Array, t: number, start: number, end: number): void;
  gap(bytes: number, t: number): void;
}

export class TcpDirection {
  private next: number | undefined;
  private readonly pending = new Map<number, { data: Uint8Array; missing: number; t: number }>();
  /** Where this side's data ends, by its FIN (exact) or by the peer's highest ACK (what the peer got). */
  private finAt: number | undefined;
  private ackedTo: number | undefined;
  bytes = 0;
  retransmitted = 0;
  outOfOrder = 0;

  constructor(private readonly sink: TcpSink) {}

  get started(): boolean {
    return this.next !== undefined;
  }

  syn(seq: number): void {
    this.next = (seq + 1) >>> 0;
    this.pending.clear();
  }

  /**
   * A segment whose payload is data[start, end) (a view of the capture, kept as such while out of order), followed
   * by `missing` bytes the capture cut off.
   */
  segment(seq: number, data: Uint8Array, missing: number, t: number, start = 0, end = data.length): void {
    const size = end - start;
    if (size + missing === 0) return;
    if (this.next === undefined) this.next = seq;
    const diff = (seq - this.next) | 0;
    if (diff > 0) {
      if (!this.pending.has(seq)) {
        this.outOfOrder++;
        this.pending.set(seq, { data: data.subarray(start, end), missing, t });
      }
      if (this.pending.size > MAX_PENDING) this.skipToPending(t);
      return;
    }
    this.accept(seq, data, start, size, missing, t);
    if (this.pending.size > 0) this.drain();
  }

  private accept(
    seq: number,
    data: Uint8Array,
    start: number,
    size: number,
    missing: number,
    t: number,
  ): void {
    const diff = (seq - this.next!) | 0;
    const len = size + missing;
    if (diff + len <= 0) {
      this.retransmitted++;
      return;
    }
    if (diff < 0) this.retransmitted++;
    const skip = -Math.min(0, diff);
    if (skip < size) {
      this.bytes += size - skip;
      this.sink.data(data, t, start + skip, start + size);
      if (missing > 0) this.sink.gap(missing, t);
    } else if (missing - (skip - size) > 0) {
      this.sink.gap(missing - (skip - size), t);
    }
    this.next = (seq + len) >>> 0;
  }

  private drain(): void {
    let progress = true;
    while (progress && this.pending.size > 0) {
      progress = false;
      for (const [seq, p] of this.pending) {
        if (((seq - this.next!) | 0) <= 0) {
          this.pending.delete(seq);
          this.accept(seq, p.data, 0, p.data.length, p.missing, p.t);
          progress = true;
        }
      }
    }
  }

  /** The hole before the earliest pending segment will not fill: report it and continue after it. */
  private skipToPending(t: number): void {
    let best: number | undefined;
    for (const seq of this.pending.keys()) {
      if (best === undefined || ((seq - best) | 0) < 0) best = seq;
    }
    if (best === undefined) return;
    this.sink.gap((best - this.next!) >>> 0, t);
    this.next = best;
    this.drain();
  }

  /** This side sent FIN after `seq` (the segment's sequence number plus its payload): its data ends there. */
  fin(seq: number): void {
    this.finAt = seq >>> 0;
  }

  /** The peer acknowledged this side's bytes up to `ack`: it received them, even if the capture did not. */
  acked(ack: number): void {
    if (this.ackedTo === undefined || ((ack - this.ackedTo) | 0) > 0) this.ackedTo = ack >>> 0;
  }

  /**
   * End of capture or FIN: whatever is still pending lies behind a hole, and so does anything the FIN or the peer's
   * ACKs show was sent after the last byte we have (lost segments with no later data segment to reveal them).
   */
  finish(t: number): void {
    while (this.pending.size > 0) this.skipToPending(t);
    if (this.next === undefined) return;
    // A FIN is exact; an ACK may also count the FIN itself (one sequence number), so it only tells when no FIN came.
    const end = this.finAt ?? this.ackedTo;
    if (end === undefined) return;
    const lost = (end - this.next) | 0;
    if (lost > 0) {
      this.sink.gap(lost, t);
      this.next = end;
    }
  }
}

/** Something the clock ticks once per interval (a connection sending its WebSocket ping). */
export interface Pinged {
  pingTick(): void;
}

/** The finest a tick is placed: an interval is cut in at most this many slots, none shorter than MIN_SLOT_MS. */
const SLOTS = 30;
const MIN_SLOT_MS = 100;

/**
 * One timer for every connection pinging at the same interval, instead of a Timeout (and its arguments) each: a
 * connection sits in the slot of the moment it joined and is ticked once per interval from then on, to within one
 * slot (a thirtieth of the interval). Members are spread over the slots as they joined, so ten thousand chargers
 * are not all pinged at the same instant. The timer runs only while some connection is in.
 */
export class PingClock {
  private readonly slots: Set<Pinged>[];
  private readonly slotMs: number;
  private pos = 0;
  private members = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly intervalMs: number) {
    const n = Math.max(1, Math.min(SLOTS, Math.floor(intervalMs / MIN_SLOT_MS)));
    this.slotMs = intervalMs / n;
    this.slots = Array.from({ length: n }, () => new Set<Pinged>());
  }

  /** Ticks `p` every interval, the first time one interval from now (less at most one slot). Once only. */
  add(p: Pinged): void {
    if (this.slots.some((slot) => slot.has(p))) return;
    this.slots[this.pos]!.add(p);
    if (this.members++ === 0) {
      this.timer = setInterval(() => this.tick(), this.slotMs);
      this.timer.unref();
    }
  }

  remove(p: Pinged): void {
    for (const slot of this.slots) {
      if (!slot.delete(p)) continue;
      if (--this.members === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
      return;
    }
  }

  private tick(): void {
    this.pos = this.pos + 1 >= this.slots.length ? 0 : this.pos + 1;
    // A member may leave while ticked (a dead peer is dropped): a Set visits no entry deleted meanwhile.
    for (const p of this.slots[this.pos]!) {
      try {
        p.pingTick();
      } catch {
        // One connection's failure must not stop the others' pings.
      }
    }
  }
}

const clocks = new Map<number, PingClock>();

/** The process's clock for pings every `intervalMs`. */
export function pingClock(intervalMs: number): PingClock {
  let clock = clocks.get(intervalMs);
  if (!clock) {
    clock = new PingClock(intervalMs);
    clocks.set(intervalMs, clock);
  }
  return clock;
}

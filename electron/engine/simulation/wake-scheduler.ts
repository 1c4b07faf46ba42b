/** Something the scheduler wakes at a time it asked for. */
export interface Wakeable {
  /** Called once the time it last asked for has come (never earlier). */
  wake(now: number): void;
  /**
   * Its place in the scheduler, kept on it by the scheduler (one scheduler per target): found without a lookup at
   * every re-schedule (a WeakMap lookup twice per heartbeat, cold at ten thousand chargers, and an entry each).
   */
  wakeSlot?: WakeSlot | undefined;
}

/** A target's place in the heap: one per target for its whole life, updated in place (no garbage per wake-up). */
export interface WakeSlot {
  at: number;
  /** Its index in the heap; -1 while it waits for nothing. */
  index: number;
  readonly target: Wakeable;
}

/**
 * One scheduler for any number of simulated chargers: a binary min-heap of wake-up times and a single Node timer armed
 * for the earliest. An idle charger costs one heap slot, never a timer of its own. Each target keeps one slot that
 * moves in the heap when it re-schedules: ten thousand chargers re-scheduling after every heartbeat leave no
 * object behind each time (such objects lived for a heartbeat interval and burdened the old generation's GC).
 */
export class WakeScheduler {
  private readonly heap: WakeSlot[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private running = false;

  constructor(
    private readonly clock: () => number = Date.now,
    /**
     * How late a wake-up may come so that wake-ups close in time share one timer run (never early): ten thousand
     * chargers heart-beating every 10 s are due about every millisecond, and a timer run each costs more than the
     * step of the charger it wakes. A few milliseconds are nothing beside a heartbeat or a meter interval.
     */
    readonly gatherMs = 10,
  ) {}

  /** Wakes `target` at `at` (epoch ms), replacing any earlier request; undefined cancels. */
  schedule(target: Wakeable, at: number | undefined): void {
    let slot = target.wakeSlot;
    if (at === undefined || !Number.isFinite(at)) {
      if (slot && slot.index >= 0) this.remove(slot);
      return;
    }
    if (!slot) {
      slot = { at, index: -1, target };
      target.wakeSlot = slot;
    } else if (slot.index >= 0) {
      // The same time again (a charger re-schedules after every answer): nothing moves.
      if (slot.at === at) return;
      const earlier = at < slot.at;
      slot.at = at;
      if (earlier) this.up(slot.index);
      else this.down(slot.index);
    }
    if (slot.index < 0) {
      slot.at = at;
      slot.index = this.heap.length;
      this.heap.push(slot);
      this.up(slot.index);
    }
    if (!this.running && at < this.timerAt) this.arm();
  }

  cancel(target: Wakeable): void {
    this.schedule(target, undefined);
  }

  /** Targets waiting to be woken (for tests and the benchmark). */
  get size(): number {
    return this.heap.length;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    for (const slot of this.heap) slot.index = -1;
    this.heap.length = 0;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    const first = this.heap[0];
    if (!first) return;
    this.timerAt = first.at;
    this.timer = setTimeout(() => this.run(), Math.max(0, first.at - this.clock()) + this.gatherMs);
  }

  /** Runs every due wake-up; a slow batch yields to I/O after a bounded count so sockets are still served. */
  private run(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    this.running = true;
    let budget = 2000;
    try {
      const now = this.clock();
      while (this.heap.length > 0 && this.heap[0]!.at <= now && budget-- > 0) {
        // Consumed: a target that does not re-schedule is not woken again.
        const slot = this.heap[0]!;
        this.remove(slot);
        try {
          slot.target.wake(now);
        } catch {
          // One charger's bug must not stop the others' clocks.
        }
      }
    } finally {
      this.running = false;
    }
    if (budget <= 0 && this.heap.length > 0) {
      this.timerAt = 0;
      this.timer = setTimeout(() => this.run(), 0);
    } else this.arm();
  }

  private remove(slot: WakeSlot): void {
    const h = this.heap;
    const i = slot.index;
    slot.index = -1;
    const last = h.pop()!;
    if (last === slot) return;
    h[i] = last;
    last.index = i;
    this.up(i);
    this.down(last.index);
  }

  private up(i: number): void {
    const h = this.heap;
    const slot = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (parent.at <= slot.at) break;
      h[i] = parent;
      parent.index = i;
      i = p;
    }
    h[i] = slot;
    slot.index = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const slot = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && h[r]!.at < h[l]!.at ? r : l;
      const child = h[c]!;
      if (child.at >= slot.at) break;
      h[i] = child;
      child.index = i;
      i = c;
    }
    h[i] = slot;
    slot.index = i;
  }
}

/**
 * The next due time of something repeating every `periodMs` that was due at `due` and ran at `now`: counted from
 * when it was due, not from when its wake-up came (a wake-up comes up to the scheduler's gather late, and counting
 * from it would add that lateness to every period: heartbeats 10 s apart would come 10.1 s apart). After a stall of
 * a whole period or more the missed ones are not made up: the next is a period from now.
 */
export function nextPeriod(due: number | undefined, periodMs: number, now: number): number {
  const next = (due ?? now) + periodMs;
  return next > now ? next : now + periodMs;
}

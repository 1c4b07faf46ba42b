/** Something the scheduler wakes at a time it asked for. */
export interface Wakeable {
  /** Called once the time it last asked for has come (never earlier). */
  wake(now: number): void;
}

interface Entry {
  at: number;
  gen: number;
  target: Wakeable;
}

/**
 * One scheduler for any number of simulated chargers: a binary min-heap of wake-up times and a single Node timer armed
 * for the earliest. An idle charger costs one heap entry, never a timer of its own. Re-scheduling a target leaves its
 * old entry in the heap; the entry is recognised as stale by its generation and skipped when it comes up.
 */
export class WakeScheduler {
  private readonly heap: Entry[] = [];
  private readonly gens = new WeakMap<Wakeable, number>();
  /** The time of each target's live entry. */
  private readonly pending = new WeakMap<Wakeable, number>();
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
    private readonly gatherMs = 10,
  ) {}

  /** Wakes `target` at `at` (epoch ms), replacing any earlier request; undefined cancels. */
  schedule(target: Wakeable, at: number | undefined): void {
    const valid = at !== undefined && Number.isFinite(at);
    // The same time again (a charger re-schedules after every answer): its live entry stands, no stale one is added.
    if (valid && this.pending.get(target) === at) return;
    const gen = (this.gens.get(target) ?? 0) + 1;
    this.gens.set(target, gen);
    if (!valid) {
      this.pending.delete(target);
      return;
    }
    this.pending.set(target, at);
    this.push({ at, gen, target });
    if (!this.running && at < this.timerAt) this.arm();
  }

  cancel(target: Wakeable): void {
    this.schedule(target, undefined);
  }

  /** Entries in the heap, stale ones included (for tests and the benchmark). */
  get size(): number {
    return this.heap.length;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    for (const e of this.heap) this.pending.delete(e.target);
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
        const e = this.pop()!;
        if (this.gens.get(e.target) !== e.gen) continue;
        // Consumed: a target that does not re-schedule is not woken again.
        this.gens.set(e.target, e.gen + 1);
        this.pending.delete(e.target);
        try {
          e.target.wake(now);
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

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= e.at) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && h[r]!.at < h[l]!.at ? r : l;
      if (h[c]!.at >= last.at) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
    return top;
  }
}

/** Whose calls time out: told when a deadline it asked for has come. */
export interface DeadlineOwner {
  /**
   * A deadline `at` it asked for (a call of `sec` seconds) has come (never earlier). The owner knows which call had
   * that deadline, if any still has: an answered or re-armed call's entry is passed over there, not removed here.
   */
  callDeadline(at: number, sec: number): void;
  /**
   * True while some call of its still has the deadline `at` (not answered, re-armed or closed since). A sweep asks it
   * of every entry: it must be a look-up, not a walk of the owner's calls in flight (thousands on one connection
   * made the sweep quadratic).
   */
  waitsFor(at: number): boolean;
}

/** One timeout length's deadlines, in the order they were set (so in the order they come due). */
interface Queue {
  owners: DeadlineOwner[];
  ats: number[];
  head: number;
  /** The length at which the queue is swept of answered calls' entries (see sweep). */
  sweepAt: number;
}

/** The fewest entries a queue is swept at: a sweep of a few entries each call would cost more than it frees. */
const SWEEP_MIN = 1024;

/**
 * The call timeouts of every connection in the process, on one timer. A charger answered every heartbeat used to
 * make and clear a Node timer (and a closure) per call: at ten thousand simulated chargers that was a timer object
 * per heartbeat, garbage for the young generation. Deadlines of one length arrive in order, so each length keeps a
 * first-in first-out queue of two parallel arrays (no object per call, and nothing of the call kept: its id string
 * would live as long as the timeout, past the young generation); an answered call is not looked for, its entry is
 * passed over when due. Deadlines close in time share one timer run (`gatherMs` late at most, never early): a
 * timeout counts in seconds, and a run for each answered call would cost more than the timer it replaces.
 */
export class CallDeadlines {
  private readonly queues = new Map<number, Queue>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(
    private readonly clock: () => number = () => performance.now(),
    private readonly gatherMs = 100,
  ) {}

  /** Sets a deadline `sec` seconds from now for `owner`; returns it (the owner keeps it with the call). */
  add(owner: DeadlineOwner, sec: number): number {
    const at = this.clock() + sec * 1000;
    let q = this.queues.get(sec);
    if (!q) {
      q = { owners: [], ats: [], head: 0, sweepAt: SWEEP_MIN };
      this.queues.set(sec, q);
    }
    // Before this one goes in: its owner keeps its deadline only once this returns it.
    if (q.ats.length - q.head >= q.sweepAt) sweep(q);
    q.owners.push(owner);
    q.ats.push(at);
    if (at + this.gatherMs < this.timerAt) this.arm(at);
    return at;
  }

  /** Entries not yet due, answered ones included (for tests). */
  get size(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.ats.length - q.head;
    return n;
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at + this.gatherMs;
    this.timer = setTimeout(() => this.run(), Math.max(0, this.timerAt - this.clock()));
    // A pending call's deadline must not keep the process alive (as the per-call timers it replaces).
    this.timer.unref();
  }

  private run(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock();
    let next = Infinity;
    try {
      for (const [sec, q] of this.queues) {
        while (q.head < q.ats.length && q.ats[q.head]! <= now) {
          const i = q.head++;
          const owner = q.owners[i]!;
          // Let go of the owner at once: a closed connection is not held until the queue compacts.
          q.owners[i] = undefined as unknown as DeadlineOwner;
          owner.callDeadline(q.ats[i]!, sec);
        }
        if (q.head === q.ats.length) this.queues.delete(sec);
        else {
          if (q.head > 1024 && q.head * 2 > q.ats.length) compact(q);
          next = Math.min(next, q.ats[q.head]!);
        }
      }
    } finally {
      // Also after an owner threw (that error goes on as from any timer): the other deadlines still come.
      for (const q of this.queues.values()) if (q.head < q.ats.length) next = Math.min(next, q.ats[q.head]!);
      if (next + this.gatherMs < this.timerAt) this.arm(next);
    }
  }
}

/**
 * Drops the entries of calls answered since (most of them: a charger's call is answered within milliseconds, its
 * entry would wait the whole timeout). Ten thousand simulated chargers heart-beating every 10 s with a 30 s timeout
 * kept some 30,000 entries for a handful of calls in flight. Swept again once the queue has doubled: each entry is
 * looked at a bounded number of times (one question to its owner each), and the order (of the deadlines) is kept.
 */
function sweep(q: Queue): void {
  const { owners, ats } = q;
  let n = 0;
  for (let i = q.head; i < ats.length; i++) {
    const owner = owners[i]!;
    const at = ats[i]!;
    if (!owner.waitsFor(at)) continue;
    owners[n] = owner;
    ats[n] = at;
    n++;
  }
  owners.length = n;
  ats.length = n;
  q.head = 0;
  q.sweepAt = Math.max(SWEEP_MIN, 2 * n);
}

function compact(q: Queue): void {
  q.owners.splice(0, q.head);
  q.ats.splice(0, q.head);
  q.head = 0;
}

/** The process's one set of call deadlines. */
export const callDeadlines = new CallDeadlines();

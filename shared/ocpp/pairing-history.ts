/**
 * The recently finished requests of one sender on one connection (see pairing.ts): what a reused message id, a late
 * or a second answer is recognised by.
 */

/**
 * A finished request, as a sender's history keeps it: its connection and sender are those of the history, and its
 * type follows from the outcome (only a SEND ends as 'send').
 */
export interface Done {
  id: string;
  action: string;
  seq: number;
  /** When it was sent (monotonic ms), for a request that timed out or was dropped; 0 for the others (not kept). */
  mono: number;
  /**
   * How it ended: 3/4 answered, 'timeout' expired without answer, 'send' a SEND (never answered), 'dropped' let go
   * unanswered while too many requests of its sender were in flight (not timed out: its answer may still come).
   */
  outcome: 3 | 4 | 'timeout' | 'send' | 'dropped';
  /** The response's seq, for an answered request (3/4) only (not kept for the others). */
  responseSeq?: number;
}

/** The newest entry for an id wins; the oldest entries fall out. */
export interface History {
  get(id: string): Done | undefined;
  has(id: string): boolean;
  add(d: Done): void;
  /** add() of an answered request, from its parts: no Done object made (this runs for every CALL answered). */
  addAnswered(id: string, action: string, seq: number, outcome: 3 | 4, responseSeq: number): void;
  /** Updates the newest entry for d.id in place (a timed-out request answered late), keeping its age. */
  replace(d: Done): void;
}

/** The outcomes by the code kept beside the seq (seq * 8 + code). */
const OUTCOMES: readonly Done['outcome'][] = [3, 4, 'timeout', 'send', 'dropped'];

/** A request's time is kept for these outcomes, a response's seq for the others. */
const timed = (outcome: Done['outcome']): boolean => outcome === 'timeout' || outcome === 'dropped';

/**
 * Slots an entry takes: a small hash of the id, the id, action, seq * 8 + outcome code, and the response's seq or the
 * request's time.
 */
const SLOTS = 5;

/**
 * A few characters of an id and its length, mixed: compared before the id itself, so that a lookup touches no
 * remembered id string unless this matches (with a thousand chargers those strings are cold in the CPU's cache:
 * about 370 ns a lookup through eight of them, against 60 ns warm). Random UUIDs differ here 4,095 times in 4,096.
 */
function idHash(id: string): number {
  const n = id.length;
  if (n === 0) return 0;
  return (
    ((n << 20) ^
      (id.charCodeAt(0) << 15) ^
      (id.charCodeAt(n >> 1) << 10) ^
      (id.charCodeAt(n >> 2) << 5) ^
      id.charCodeAt(n - 1)) &
    0x3fffffff
  );
}

/** The last slot of an entry without a response seq (nor a time to keep): seqs and times are never negative. */
const NONE = -1;

/**
 * A small history kept in one flat array, five slots an entry (oldest entries overwritten in place once full): a
 * small hash of the id, the id and action strings the request already had (nothing copied), `seq * 8 + outcome code`, and the seq of its
 * response (answered) or its time (timed out or dropped: only those need their time, and only an answered one has a
 * response seq). No object per entry, and no allocation per entry once full: ten thousand simulated chargers
 * rewrote a whole text of their last eight requests (about 550 bytes) at every answer, held until the next one, which
 * made it old-generation garbage a heartbeat interval later; now what an answer leaves behind is the request's id.
 * About the memory of that text (an entry is the id string and five slots, about 70 bytes). A lookup compares the
 * hashes of the entries, newest first, and an id only where its hash matches.
 */
export class SlotHistory implements History {
  /** Grown by doubling until `size` entries, then a ring. */
  private slots: (string | number)[] | undefined;
  private count = 0;
  /** The entry the next add writes: the oldest once full. */
  private next = 0;

  constructor(private readonly size: number) {}

  /** The first slot of the newest entry for `id`, or -1. */
  private find(id: string): number {
    const slots = this.slots;
    if (slots === undefined) return -1;
    const n = this.count;
    const h = idHash(id);
    for (let k = 1; k <= n; k++) {
      let e = this.next - k;
      if (e < 0) e += n;
      const at = e * SLOTS;
      if (slots[at] === h && slots[at + 1] === id) return at;
    }
    return -1;
  }

  get(id: string): Done | undefined {
    const at = this.find(id);
    if (at < 0) return undefined;
    const slots = this.slots!;
    const packed = slots[at + 3] as number;
    const code = packed % 8;
    const outcome = OUTCOMES[code]!;
    const last = slots[at + 4] as number;
    return {
      id,
      action: slots[at + 2] as string,
      seq: (packed - code) / 8,
      mono: timed(outcome) && last !== NONE ? last : 0,
      outcome,
      responseSeq: !timed(outcome) && last !== NONE ? last : undefined,
    };
  }

  has(id: string): boolean {
    return this.find(id) >= 0;
  }

  add(d: Done): void {
    this.write(this.claim(), d);
  }

  addAnswered(id: string, action: string, seq: number, outcome: 3 | 4, responseSeq: number): void {
    this.writeParts(this.claim(), id, action, seq, outcome, responseSeq);
  }

  /** The first slot of the entry the next add writes: the next free one, or the oldest once full. */
  private claim(): number {
    let at: number;
    if (this.count < this.size) {
      const old = this.slots;
      const room = old === undefined ? 0 : old.length / SLOTS;
      if (this.count === room) {
        // Doubled up to `size` (three copies to eight entries, not one per entry: an entry made while growing
        // would otherwise leave the whole array before it behind).
        const grown = new Array<string | number>(Math.min(this.size, Math.max(1, room * 2)) * SLOTS);
        if (old) for (let i = 0; i < old.length; i++) grown[i] = old[i]!;
        this.slots = grown;
      }
      at = this.count * SLOTS;
      this.count++;
      this.next = this.count === this.size ? 0 : this.count;
    } else {
      at = this.next * SLOTS;
      this.next = this.next + 1 === this.size ? 0 : this.next + 1;
    }
    return at;
  }

  replace(d: Done): void {
    const at = this.find(d.id);
    if (at >= 0) this.write(at, d);
  }

  private write(at: number, d: Done): void {
    this.writeParts(
      at,
      d.id,
      d.action,
      d.seq,
      d.outcome,
      timed(d.outcome) ? d.mono : (d.responseSeq ?? NONE),
    );
  }

  /** `last`: the response's seq (answered), the request's time (timed out, dropped) or NONE. */
  private writeParts(
    at: number,
    id: string,
    action: string,
    seq: number,
    outcome: Done['outcome'],
    last: number,
  ): void {
    const slots = this.slots!;
    slots[at] = idHash(id);
    slots[at + 1] = id;
    slots[at + 2] = action;
    // Compared, not looked up by key: a table keyed by 3, 4 and strings made a slow keyed load per entry written.
    slots[at + 3] =
      seq * 8 +
      (outcome === 3 ? 0 : outcome === 4 ? 1 : outcome === 'timeout' ? 2 : outcome === 'send' ? 3 : 4);
    slots[at + 4] = last;
  }
}

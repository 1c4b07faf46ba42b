import { performance as nodePerformance } from 'node:perf_hooks';
import { DOUBLE_ZERO } from './double-zero';

/** What the scheduler keeps per connection (per proxy leg): its recent use of the engine's time. */
export interface ShareAccount {
  /** Engine time spent on this account's frames, ms, decaying with the window (so about "ms in the last window"). */
  busy: number;
  /** When busy was last decayed. */
  stamp: number;
  /** When a frame of it was last handled. */
  lastActive: number;
  /** Its frames wait until then (it used more than its share while others wanted time). */
  blockedUntil: number;
  /** How far before blockedUntil it may go ahead again (see RUN_MS), for the share it was last given. */
  slack: number;
  /**
   * Its place in its share's list of active accounts, -1 while not active (an account belongs to one LoopShare).
   * Kept on the account so that a frame asks no Set whether its connection is active: with a thousand chargers that
   * hash lookup was the share's largest cost per frame, and the Set's table was rebuilt as connections came and went.
   */
  activeAt: number;
}

export interface LoopShareOptions {
  /** The window over which use is measured, ms. */
  windowMs?: number;
  /**
   * The share of the engine's time a connection that uses more than its part gets while the others use little of it
   * (their use at most `lightUse` of the time).
   */
  heavyShare?: number;
  /**
   * The share it gets while the others use `busyUse` of the time or more: they want all they can get, and every
   * moment spent on the heavy one is theirs lost. In between, its share falls from heavyShare to this one.
   */
  busyShare?: number;
  /**
   * Below this fraction of the engine's time a connection is never slowed, whatever its part. It is also how long
   * a flood runs unslowed at its start, and the floor of what it gets beside a hundred busy chargers: at a twentieth
   * of the window a flood took 10-12% of the server's CPU from them (the reads and ws's parse of its frames are not
   * charged to it).
   */
  minUse?: number;
  clock?: () => number;
  /** The event loop's idle time so far, ms (time it sat waiting with nothing to do); for tests to fake. */
  idleClock?: () => number;
}

/** The fixed part of a frame's cost, in bytes: about what handling a small frame costs beyond its bytes. */
const FRAME_UNITS = 700;
/**
 * A connection is active (wants the engine's time) when a frame of it was handled within this long. Short: once the
 * others go quiet, a busy connection must not wait for nobody (a charger flushing its queue right after others were
 * busy was slowed for a second, the loop idle meanwhile). Well longer than a heavy frame's handling plus a good
 * peer's round trip on a loaded machine, so peers that keep calling stay active beside a heavy one.
 */
const ACTIVE_MS = 250;
/** Others' recent use below this (ms in the window) means nobody else wants the engine: nothing is slowed. */
const OTHERS_MIN_MS = 1;
/** Past its share by less than this a connection still goes ahead: its frames are handled in runs, not one by one. */
const SLACK_MS = 2;
/**
 * A connection made to wait goes ahead in runs of about this much of the engine's time, then waits for the others'
 * part of them: at a small share a slack of SLACK_MS let one small frame through per wake-up, and a flood's timers
 * and wake-ups cost more than its frames.
 */
const RUN_MS = 0.5;
/** The others' use of the engine's time (fraction) up to which a heavy connection keeps heavyShare... */
const LIGHT_USE = 0.025;
/** ...and from which it gets only busyShare. */
const BUSY_USE = 0.1;
/**
 * The longest one frame's cost makes its connection wait, unless heavyShare itself asks for longer. A ~1 MB frame is
 * charged by its bytes (about what 1,400 Heartbeats cost) and at busyShare would hold its connection back for about a
 * second; this bound keeps a heavy peer moving (about four such frames a second beside busy others) and lets it go
 * about as soon as the others are seen to have gone quiet (ACTIVE_MS). At 100 ms the good chargers beside a ~1 MB
 * frame peer lost about 10% of the server's CPU to it in the engine bench (15 frames a second).
 */
export const MAX_WAIT_MS = 250;

/**
 * Shares the engine's event loop between connections by what their frames cost: the time spent reading, parsing,
 * validating, recording and answering each one. Nobody is slowed while alone, nor while using no more than about
 * its part; a connection using well past its part (twice what the other active ones use on average, and at least
 * a fiftieth of the engine) while others are active is made to wait after each frame, so that it gets a share of
 * the time and the others the rest: `heavyShare` while the others use little of the engine, down to `busyShare`
 * while they use much of it (a hundred chargers calling as fast as they are answered beside a flood keep over 90%
 * of what they get alone). The waiting itself is IntakeLane's (reading from the peer pauses; nothing is dropped),
 * and it ends early whenever the others have nothing for the engine (IntakeLane: othersLastAt): the
 * share decides who goes first while others want the engine, never that the engine idles.
 */
export class LoopShare {
  private readonly windowMs: number;
  private readonly heavyShare: number;
  private readonly busyShare: number;
  private readonly minBusy: number;
  readonly now: () => number;
  /** See LoopShareOptions.idleClock. */
  readonly idleNow: () => number;
  private total = DOUBLE_ZERO;
  private totalStamp = DOUBLE_ZERO;
  /** The active accounts, in no particular order (each knows its place: ShareAccount.activeAt). */
  private readonly active: ShareAccount[] = [];
  private lastPrune = DOUBLE_ZERO;

  constructor(options: LoopShareOptions = {}) {
    this.windowMs = options.windowMs ?? 500;
    this.heavyShare = options.heavyShare ?? 0.2;
    // Low because a frame is charged only what its handling in the lane costs: reading it and ws's parse, its
    // lane's timers and pauses cost as much again or more (a flood given a thirtieth took 6-8% of the server's CPU).
    this.busyShare = Math.min(this.heavyShare, options.busyShare ?? 0.015);
    this.minBusy = (options.minUse ?? 0.02) * this.windowMs;
    // The global clock (the same as node:perf_hooks'), read at each call, so tests can fake it.
    this.now = options.clock ?? (() => performance.now());
    this.idleNow = options.idleClock ?? (() => nodePerformance.eventLoopUtilization().idle);
  }

  account(): ShareAccount {
    // Not yet made to wait, its slack unused: blockedUntil (0) minus any slack is in the past.
    return {
      busy: DOUBLE_ZERO,
      stamp: DOUBLE_ZERO,
      lastActive: Number.NEGATIVE_INFINITY,
      blockedUntil: DOUBLE_ZERO,
      slack: DOUBLE_ZERO,
      activeAt: -1,
    };
  }

  private spentMs = DOUBLE_ZERO;
  private spentUnits = DOUBLE_ZERO;
  /** The account whose frame was handled last, and when; and the last time before that of another account's. */
  private lastBy: ShareAccount | undefined;
  private lastAt = Number.NEGATIVE_INFINITY;
  private beforeAt = Number.NEGATIVE_INFINITY;

  /**
   * When a frame of a connection other than `a`'s was last handled (-Infinity: never): a connection made to wait
   * goes ahead anyway when none was while the loop sat idle for a while (IntakeLane.schedule).
   */
  othersLastAt(a: ShareAccount): number {
    return a === this.lastBy ? this.beforeAt : this.lastAt;
  }

  /**
   * Charges a frame of `bytes` to `a`, whose handling took `measuredMs` until `now`. A frame costs by its size (its
   * bytes are what is parsed, validated and recorded) plus a fixed part per frame, turned into engine time by the
   * rate measured over all frames: so a garbage collection or a moment the process was not scheduled, landing on
   * one small frame, is spread over everyone instead of being pinned on whoever was unlucky.
   */
  chargeFrame(a: ShareAccount, bytes: number, measuredMs: number, now: number): void {
    const units = bytes + FRAME_UNITS;
    const k = Math.exp((this.totalStamp - now) / this.windowMs);
    this.spentMs = this.spentMs * k + measuredMs;
    this.spentUnits = this.spentUnits * k + units;
    this.chargeDecayed(a, (units * this.spentMs) / this.spentUnits, now, k);
  }

  /** What a frame of `bytes` is expected to cost, ms, at the rate chargeFrame measured so far (0 before any). */
  costOf(bytes: number): number {
    return this.spentUnits > 0 ? ((bytes + FRAME_UNITS) * this.spentMs) / this.spentUnits : 0;
  }

  /** Charges `cost` ms of engine time, spent until `now`, to `a`; it may then have to wait (see blockedUntil). */
  charge(a: ShareAccount, cost: number, now: number): void {
    this.chargeDecayed(a, cost, now, Math.exp((this.totalStamp - now) / this.windowMs));
  }

  /** charge(), with the total's decay until `now` already worked out (`k`: chargeFrame has it, one exp per frame). */
  private chargeDecayed(a: ShareAccount, cost: number, now: number, k: number): void {
    const w = this.windowMs;
    const before = a.busy * Math.exp((a.stamp - now) / w);
    a.busy = before + cost;
    a.stamp = now;
    this.total = this.total * k + cost;
    this.totalStamp = now;
    if (a.activeAt < 0) {
      // Back after a quiet spell: what it used before counts again (the total holds the active ones' use only).
      a.activeAt = this.active.length;
      this.active.push(a);
      this.total += before;
    }
    a.lastActive = now;
    if (a !== this.lastBy) {
      this.beforeAt = this.lastAt;
      this.lastBy = a;
    }
    this.lastAt = now;
    if (now - this.lastPrune > ACTIVE_MS / 4) this.prune(now);
    const n = this.active.length;
    if (n < 2 || a.busy < this.minBusy) return;
    const others = this.total - a.busy;
    // Over its part: more than twice what the others use on average (equals never slow each other).
    if (others < OTHERS_MIN_MS || a.busy * (n - 1) <= others * 2) return;
    const s = this.shareBeside(others / w);
    a.slack = Math.max(SLACK_MS, (RUN_MS * (1 - s)) / s);
    const h = this.heavyShare;
    const longest = Math.max(MAX_WAIT_MS, (cost * (1 - h)) / h);
    a.blockedUntil = Math.min(Math.max(a.blockedUntil, now) + (cost * (1 - s)) / s, now + longest);
  }

  /** The share of the engine's time a connection over its part gets while the others use `use` of it. */
  private shareBeside(use: number): number {
    if (use <= LIGHT_USE) return this.heavyShare;
    if (use >= BUSY_USE) return this.busyShare;
    return (
      this.heavyShare + ((use - LIGHT_USE) / (BUSY_USE - LIGHT_USE)) * (this.busyShare - this.heavyShare)
    );
  }

  /** True when `a` may have a frame handled now. */
  admits(a: ShareAccount, now: number): boolean {
    return a.blockedUntil - a.slack <= now;
  }

  /** A connection closed: it waits for nothing any more, and its use no longer counts against the others. */
  forget(a: ShareAccount): void {
    // Not kept as the last frame's account: it would keep a closed connection (its lane's owner) reachable.
    if (this.lastBy === a) this.lastBy = undefined;
    // A quiet one's use was taken off the total already.
    if (!this.drop(a)) {
      a.busy = 0;
      return;
    }
    const now = this.now();
    this.total = Math.max(
      0,
      this.total * Math.exp((this.totalStamp - now) / this.windowMs) -
        a.busy * Math.exp((a.stamp - now) / this.windowMs),
    );
    this.totalStamp = now;
    a.busy = 0;
  }

  /** Takes `a` off the active list (its place goes to the last one); false when it was not on it. */
  private drop(a: ShareAccount): boolean {
    const at = a.activeAt;
    const active = this.active;
    if (at < 0 || active[at] !== a) return false;
    const last = active.pop()!;
    if (last !== a) {
      active[at] = last;
      last.activeAt = at;
    }
    a.activeAt = -1;
    return true;
  }

  /** Connections active within the last ACTIVE_MS (for tests and the bench). */
  get activeCount(): number {
    this.prune(this.now());
    return this.active.length;
  }

  /** Drops connections gone quiet, and their use with them: what the others use is what the active ones use. */
  private prune(now: number): void {
    this.lastPrune = now;
    let gone = 0;
    const active = this.active;
    // Walked from the end: a dropped account takes the last one's place, which was looked at already.
    for (let i = active.length - 1; i >= 0; i--) {
      const a = active[i]!;
      // A connection made to wait still wants time: it stays.
      if (a.lastActive >= now - ACTIVE_MS || a.blockedUntil >= now - ACTIVE_MS) continue;
      this.drop(a);
      gone += a.busy * Math.exp((a.stamp - now) / this.windowMs);
    }
    if (gone > 0) {
      this.total = Math.max(0, this.total * Math.exp((this.totalStamp - now) / this.windowMs) - gone);
      this.totalStamp = now;
    }
  }
}

/** The one event loop every connection of the process shares. */
export const loopShare = new LoopShare();

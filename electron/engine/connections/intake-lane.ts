import type { ShareAccount } from './loop-share';
import { loopShare } from './loop-share';
import type { LoopShare } from './loop-share';
import { DOUBLE_ZERO, plainZero } from './double-zero';

export type SlowReason = 'fair-share' | 'rate-limit';

/** How much one connection was slowed: reported after its first second, every 10 s while it lasts, and at its end. */
export interface SlowReport {
  reason: SlowReason;
  /** How long its frames were being delayed, ms (from the first delayed frame to the last handled one). */
  durationMs: number;
  /** Frames that waited. */
  frames: number;
  /** The longest and the average wait of a frame, from its read to its handling, ms. */
  maxDelayMs: number;
  meanDelayMs: number;
  /** The frames-per-second limit, for a rate-limit episode. */
  limit?: number;
  /** True for a report on an episode still going on. */
  ongoing: boolean;
}

/**
 * Who a lane works for (a Connection, a proxy leg). One object with methods rather than four callbacks: a lane is
 * made for each of thousands of connections, and a closure each would cost more than the lane.
 */
export interface LaneOwner {
  /** Handles a frame: at once, or when the lane lets it through. */
  laneFrame(data: Buffer, isBinary: boolean, at: number): void;
  /** Stop reading from the peer (frames of the read being handled still arrive, and are queued). */
  lanePause(): void;
  /** Read again: the queue is empty. */
  laneResume(): void;
  laneSlowed(report: SlowReport): void;
}

interface Episode {
  reason: SlowReason;
  /** Start of the period being reported. */
  from: number;
  frames: number;
  max: number;
  sum: number;
  /** Reports made on it so far. */
  reports: number;
}

interface Waiting {
  data: Buffer;
  isBinary: boolean;
  /** Its time at the wire. */
  at: number;
}

/** An episode's start (its delays are fractions of a ms: a double from the start, see double-zero.ts). */
function newEpisode(reason: SlowReason, from: number): Episode {
  const e: Episode = { reason, from: DOUBLE_ZERO, frames: 0, max: DOUBLE_ZERO, sum: DOUBLE_ZERO, reports: 0 };
  // Set after: a clock reading of a whole number of ms, were it the first, would make the field a small integer.
  e.from = from;
  return e;
}

/** Frames queued; pausing the socket keeps it to about one read's worth. */
export const MAX_DEFERRED = 10_000;
/** An episode ends after this long without a delayed frame. */
export const EPISODE_GAP_MS = 1000;
/** An episode is first reported after this long (so the user learns of it while it lasts), then every 10 s. */
export const FIRST_REPORT_MS = 1000;
export const REPORT_EVERY_MS = 10_000;
/**
 * A lane whose connection handled no frame for this long (and waits for nothing) may be let go. Four share windows
 * (LoopShare's 500 ms): what it used has decayed to under 2% by then, so a new lane's empty account changes nothing
 * a peer would notice. Not longer: a simulated charger heart-beating every 10 s held its lane (and the in-flight
 * maps let go with it) for more than half of its life at 5 s.
 */
const QUIET_MS = 2000;
/**
 * No other connection's frame handled for this long, ms: nobody else wants the engine now (see drain). Far
 * above the few turns between a busy peer's answer and its next call on loopback (tens of µs).
 */
const OTHERS_QUIET_MS = 0.25;
/** A queue is drained in runs of about this long, so that other connections are read in between. */
const DRAIN_RUN_MS = 8;

/**
 * The way in for one connection's (or proxy leg's) frames: handles each at once, except while the connection is
 * over its share of the engine's time with others waiting (LoopShare) or past an explicit frames-per-second limit
 * (0 = none, the default). Then frames wait in order, reading from the peer pauses, and nothing is lost; every
 * frame keeps its time at the wire. How long and how much the connection was slowed is reported per episode (and
 * every 10 s of a long one), never hidden.
 */
export class IntakeLane implements ShareAccount {
  private readonly account: ShareAccount;
  // The lane's own account (LoopShare.account's fields), unless it shares one: one object per busy connection, not two.
  // Times and costs in ms, fractional: created as such (see double-zero.ts). Until the lane is first made to wait
  // (which sets both) blockedUntil minus slack is 0, in the past: the slack holds nothing back.
  busy = DOUBLE_ZERO;
  stamp = DOUBLE_ZERO;
  lastActive = Number.NEGATIVE_INFINITY;
  blockedUntil = DOUBLE_ZERO;
  slack = DOUBLE_ZERO;
  activeAt = -1;
  private queue: Waiting[] | undefined;
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** While made to wait for its share: what the others and the loop were at when the wait began (see drain). */
  private shareWait: { othersAt: number; idle: number; looks: number } | undefined;
  private windowStart = Number.NEGATIVE_INFINITY;
  private windowCount = 0;
  private blockReason: SlowReason = 'fair-share';
  private episode: Episode | undefined;
  private episodeTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly maxFramesPerSec: number,
    private readonly owner: LaneOwner,
    private readonly share: LoopShare = loopShare,
    /** Lanes of one connection (a proxy's two legs) share one account: the connection is what gets its share. */
    account?: ShareAccount,
  ) {
    this.account = account ?? this;
  }

  /** The hot path: handles the frame now unless it has to wait. */
  offer(data: Buffer, isBinary: boolean, at: number): void {
    const now = this.share.now();
    if (this.queue === undefined && this.admit(now)) {
      // The frame keeps the time its bytes were read (`at`), however long the frames of the same read before it took.
      this.run(data, isBinary, at, now);
      return;
    }
    this.defer({ data, isBinary, at }, now);
  }

  /**
   * Nothing waits, no episode is open and the connection's recent use of the engine has decayed: the lane holds
   * nothing a new one would not, and a quiet connection may let it go.
   */
  idle(now: number): boolean {
    const a = this.account;
    return (
      this.queue === undefined &&
      this.episode === undefined &&
      this.timer === undefined &&
      this.immediate === undefined &&
      a.blockedUntil <= now &&
      now - a.lastActive > QUIET_MS
    );
  }

  get queued(): number {
    return this.queue ? this.queue.length - this.head : 0;
  }

  /** Handles everything still queued at once (the connection is closing: record it while it can be). */
  flush(): void {
    this.clearTimers();
    const queue = this.queue;
    const head = this.head;
    this.queue = undefined;
    this.head = 0;
    if (queue)
      for (let i = head; i < queue.length; i++) this.run(queue[i]!.data, queue[i]!.isBinary, queue[i]!.at);
    this.endEpisode();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.endEpisode();
    this.share.forget(this.account);
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  /** `started`: the share's clock now, when the caller just read it (one read fewer per frame). */
  private run(data: Buffer, isBinary: boolean, at: number, started?: number): void {
    const share = this.share;
    const t0 = started ?? share.now();
    this.owner.laneFrame(data, isBinary, at);
    const t1 = share.now();
    share.chargeFrame(this.account, data.length, t1 - t0, t1);
  }

  /** `quiet`: the others were quiet while the loop sat idle (see schedule), so the share does not hold it back. */
  private admit(now: number, quiet = false): boolean {
    if (!this.underRate(now)) return false;
    if (!quiet && !this.share.admits(this.account, now)) {
      this.blockReason = 'fair-share';
      return false;
    }
    this.windowCount++;
    return true;
  }

  /** How long the loop must sit idle, with no other connection's frame, for the next frame to go early (see schedule). */
  private quietFor(): number {
    const next = this.queue?.[this.head];
    return next ? Math.max(OTHERS_QUIET_MS, this.share.costOf(next.data.length)) : OTHERS_QUIET_MS;
  }

  private underRate(now: number): boolean {
    const max = this.maxFramesPerSec;
    if (max > 0) {
      if (now - this.windowStart >= 1000) {
        this.windowStart = now;
        this.windowCount = 0;
      }
      if (this.windowCount >= max) {
        this.blockReason = 'rate-limit';
        return false;
      }
    }
    return true;
  }

  /** When the next frame may go: the end of the rate window or of the share wait, whichever blocks it. */
  private nextAt(now: number): number {
    if (this.blockReason === 'rate-limit') return this.windowStart + 1000;
    // At the end of the wait: it then goes ahead for a run (LoopShare's slack), not for one frame.
    return Math.max(now, this.account.blockedUntil);
  }

  private defer(w: Waiting, now: number): void {
    const queue = (this.queue ??= []);
    if (queue.length - this.head >= MAX_DEFERRED) {
      // Past the bound only when the peer's data keeps arriving while paused: handle rather than hoard.
      this.run(w.data, w.isBinary, w.at);
      return;
    }
    queue.push(w);
    if (queue.length - this.head === 1) this.owner.lanePause();
    if (!this.episode) {
      this.episode = newEpisode(this.blockReason, now);
    }
    if (this.episodeTimer) {
      clearTimeout(this.episodeTimer);
      this.episodeTimer = undefined;
    }
    this.schedule(now);
  }

  private schedule(now: number): void {
    if (this.timer !== undefined || this.immediate !== undefined || this.stopped) return;
    let wait = this.nextAt(now) - now;
    if (wait <= 0) {
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.drain();
      });
      return;
    }
    if (this.blockReason === 'fair-share') {
      // Woken at its time, or sooner to look whether the others have gone quiet (see drain): after one quiet's worth,
      // then after two while they were not (half the wake-ups of a lane waiting up to 250 ms beside busy ones; longer
      // steps left a charger flushing its queue waiting out heart-beating neighbours' gaps), until a frame goes.
      const w = (this.shareWait ??= { othersAt: DOUBLE_ZERO, idle: DOUBLE_ZERO, looks: 0 });
      w.othersAt = this.share.othersLastAt(this.account);
      w.idle = this.share.idleNow();
      wait = Math.min(wait, Math.max(1, this.quietFor()) * 2 ** Math.min(w.looks++, 1));
    }
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.drain();
      },
      Math.max(1, Math.ceil(wait)),
    );
    this.timer.unref();
  }

  /** Handles queued frames while they are admitted, for at most one run; then waits, or resumes reading. */
  private drain(): void {
    const share = this.share;
    const start = share.now();
    // Made to wait for its share, and meanwhile no other connection had a frame handled while the loop sat idle for
    // as long as the next frame may take (and at least OTHERS_QUIET_MS): nobody waits for the engine, and holding
    // this one back would leave it idle (a charger flushing its queue beside a few heart-beating ones got a fifth of
    // an otherwise idle engine). Idle time, not time: while this or any work runs, the others cannot be read, and
    // their silence says nothing. The quiet asked for is longer than the gaps a peer calling as fast as it is answered
    // leaves, so it keeps the share it is owed; a ~1 MB frame (about 10 ms) goes early only after as long a quiet.
    // The frames then go in one run (DRAIN_RUN_MS), and the next turn reads the others again.
    const waited = this.shareWait;
    let idle = -1;
    if (waited !== undefined && share.othersLastAt(this.account) === waited.othersAt)
      idle = share.idleNow() - waited.idle;
    // Read once: the next wait starts afresh (schedule).
    if (waited) waited.othersAt = Number.NaN;
    let now = start;
    while (this.queue && this.head < this.queue.length) {
      const early = idle >= 0 && idle >= this.quietFor();
      if (!this.admit(now, early)) {
        this.reasonNow(now);
        this.schedule(now);
        return;
      }
      if (now - start > DRAIN_RUN_MS) {
        this.schedule(now);
        return;
      }
      const w = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as Waiting;
      this.noteDelay(w.at, now);
      this.run(w.data, w.isBinary, w.at);
      // A frame went: the next wait looks again soon (see schedule).
      if (waited) waited.looks = 0;
      now = share.now();
    }
    this.queue = undefined;
    this.head = 0;
    this.owner.laneResume();
    const ep = this.episode;
    if (ep && !this.stopped) {
      this.episodeTimer = setTimeout(() => {
        this.episodeTimer = undefined;
        this.endEpisode();
      }, EPISODE_GAP_MS);
      this.episodeTimer.unref();
    }
  }

  private noteDelay(at: number, now: number): void {
    const ep = this.episode;
    if (!ep) return;
    const d = Math.max(0, now - at);
    ep.frames++;
    ep.sum += d;
    if (d > ep.max) ep.max = d;
    if (now - ep.from >= (ep.reports === 0 ? FIRST_REPORT_MS : REPORT_EVERY_MS)) {
      this.report(ep, now, true);
      ep.reports++;
      ep.from = now;
      ep.frames = 0;
      ep.sum = 0;
      ep.max = 0;
    }
    this.lastHandled = now;
  }

  private lastHandled = DOUBLE_ZERO;

  /** Slowed for another reason than the episode's so far (the limit, then the share): each is reported apart. */
  private reasonNow(now: number): void {
    const ep = this.episode;
    if (!ep || ep.reason === this.blockReason) return;
    if (ep.frames > 0) this.report(ep, now, false);
    this.episode = newEpisode(this.blockReason, now);
  }

  private endEpisode(): void {
    if (this.episodeTimer) clearTimeout(this.episodeTimer);
    this.episodeTimer = undefined;
    const ep = this.episode;
    this.episode = undefined;
    if (ep && ep.frames > 0) this.report(ep, Math.max(this.lastHandled, ep.from), false);
  }

  private report(ep: Episode, end: number, ongoing: boolean): void {
    const r: SlowReport = {
      reason: ep.reason,
      durationMs: Math.max(0, end - ep.from),
      frames: ep.frames,
      maxDelayMs: plainZero(ep.max),
      meanDelayMs: ep.frames > 0 ? ep.sum / ep.frames : 0,
      ongoing,
    };
    if (ep.reason === 'rate-limit') r.limit = this.maxFramesPerSec;
    this.owner.laneSlowed(r);
  }
}

/** The engine note and finding that say how much a connection was slowed. `peer` names who sent the frames. */
export function slowedNote(
  report: SlowReport,
  peer: string,
): { text: string; code: string; message: string } {
  const s = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
  const how = `${report.frames} frame${report.frames === 1 ? '' : 's'} waited, up to ${s(report.maxDelayMs)} (${s(report.meanDelayMs)} on average), over ${s(report.durationMs)}${report.ongoing ? ' (still going on)' : ''}`;
  if (report.reason === 'rate-limit')
    return {
      text: `Frames from ${peer} over the limit of ${report.limit} per second were delayed: ${how}.`,
      code: 'rate-limit',
      message: `${peer} sent more than ${report.limit} frames per second (the configured limit): ${how}.`,
    };
  return {
    text: `${peer} used more than its share of the engine while other connections were active; its frames were delayed so the others keep theirs: ${how}.`,
    code: 'fair-share-slowed',
    message: `${peer} was slowed to share the engine fairly with other connections: ${how}.`,
  };
}

// The global performance clock (the same as node:perf_hooks'), so tests can fake it.
export interface RateGateHooks {
  /** Stop reading from the peer (frames of the read being parsed still arrive, and are queued). */
  pause(): void;
  /** Read again: the queue is empty. */
  resume(): void;
  /** The limit was passed: called once per episode (an episode ends with a window that stays within the limit). */
  limited(max: number): void;
}

/** Items queued past the limit; pausing the socket keeps it to about one read's worth. */
export const MAX_DEFERRED = 10_000;

/**
 * A frames-per-second limit that slows a flood without losing any of it: up to `max` items are handled per
 * one-second window, the excess waits in order for later windows while reading is paused. Shared by Connection
 * and each leg of ProxyConnection. It reads the global `performance` clock (the same as node:perf_hooks'), so
 * tests can fake it.
 */
export class RateGate<T> {
  // Not 0: performance.now() of a fresh worker thread starts near 0, which would make a first short window.
  private windowStart = Number.NEGATIVE_INFINITY;
  private windowCount = 0;
  private noted = false;
  private queue: T[] | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** `max` 0 = unlimited. */
  constructor(
    private readonly max: number,
    private readonly handle: (item: T) => void,
    private readonly hooks: RateGateHooks,
  ) {}

  offer(item: T): void {
    if (this.pass()) this.handle(item);
    else this.defer(item);
  }

  /**
   * The hot path without building an item: true when a frame may be handled now (it is counted); when false, the
   * caller must hand it to defer().
   */
  pass(): boolean {
    if (this.queue !== undefined && this.queue.length > 0) return false;
    return this.admit();
  }

  defer(item: T): void {
    const queue = (this.queue ??= []);
    // Past the bound only when the peer's data keeps arriving while paused: handle rather than hoard.
    if (queue.length < MAX_DEFERRED) queue.push(item);
    else this.handle(item);
  }

  /** Handles everything still queued at once (the connection is closing: record it while it can be). */
  flush(): void {
    this.stop();
    const queue = this.queue;
    this.queue = undefined;
    for (const item of queue ?? []) this.handle(item);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  get queued(): number {
    return this.queue?.length ?? 0;
  }

  private admit(): boolean {
    const max = this.max;
    if (!(max > 0)) return true;
    const now = performance.now();
    if (now - this.windowStart >= 1000) {
      if (this.windowCount <= max) this.noted = false;
      this.windowStart = now;
      this.windowCount = 0;
    }
    if (++this.windowCount <= max) return true;
    this.windowCount = max + 1;
    if (!this.noted) {
      this.noted = true;
      this.hooks.limited(max);
    }
    this.hooks.pause();
    this.schedule(Math.max(1, 1000 - (now - this.windowStart)));
    return false;
  }

  private schedule(ms: number): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, ms);
    this.timer.unref();
  }

  /** A new window: up to the limit from the queue; reading resumes once it is empty. */
  private drain(): void {
    const max = this.max;
    this.windowStart = performance.now();
    const queue = this.queue ?? [];
    let n = 0;
    while (n < queue.length && n < max) this.handle(queue[n++]!);
    // Items may have been queued behind these while they were handled (or flush() emptied it): keep the rest.
    const rest = this.queue ? this.queue.slice(n) : [];
    this.queue = rest.length > 0 ? rest : undefined;
    if (this.queue) {
      this.windowCount = max + 1;
      this.schedule(1000);
      return;
    }
    this.windowCount = n;
    this.hooks.resume();
  }
}

import type { BootState, ModelHost, SimCall } from './charger-types';

const NO_CALLS: SimCall[] = [];
Object.freeze(NO_CALLS);

/** Calls waiting at most (see push). */
export const MAX_QUEUED = 10_000;

/**
 * The calls a station wants to send, and the one in flight: one at a time, nothing but BootNotification before the
 * boot is Accepted (and what the CSMS triggered while it is Pending), transaction messages kept across a lost
 * connection and retried at their time. Bounded: a CSMS flooding TriggerMessage, or a station offline for days with a
 * short sample interval, must not grow it without end.
 */
export class CallQueue {
  // Made by the first waiting call and let go when none waits: most of the time a charger has one in flight at most.
  private calls: SimCall[] = NO_CALLS;
  inFlight: SimCall | undefined;
  private fullNoted = false;

  /** Queues a call; past the bound a new call is dropped (and `host` told so once). */
  push(call: SimCall, host: ModelHost): void {
    if (this.calls.length >= MAX_QUEUED) {
      if (!this.fullNoted)
        host.note(`More than ${MAX_QUEUED} messages wait to be sent: new ones are dropped.`);
      this.fullNoted = true;
      return;
    }
    this.fullNoted = false;
    if (this.calls === NO_CALLS) this.calls = [call];
    else this.calls.push(call);
  }

  /** The next call the boot state allows now, which is then in flight; undefined when none may go. */
  take(boot: BootState, now: number): SimCall | undefined {
    if (this.inFlight) return undefined;
    const index =
      boot === 'accepted'
        ? 0
        : this.calls.findIndex((c) => c.early === 'boot' || (c.early === 'pending' && boot === 'pending'));
    const call = index >= 0 ? this.calls[index] : undefined;
    if (!call || (call.retryAt !== undefined && call.retryAt > now)) return undefined;
    if (this.calls.length === 1) this.calls = NO_CALLS;
    else this.calls.splice(index, 1);
    this.inFlight = call;
    call.attempts++;
    return call;
  }

  /** `call` is no longer in flight (answered, failed or lost). */
  settled(call: SimCall): void {
    if (this.inFlight === call) this.inFlight = undefined;
  }

  /** Puts `call` first again (a retry, at `retryAt` when given). */
  again(call: SimCall, retryAt?: number): void {
    if (retryAt !== undefined) call.retryAt = retryAt;
    if (this.calls === NO_CALLS) this.calls = [call];
    else if (!this.calls.includes(call)) this.calls.unshift(call);
  }

  /** The connection dropped: only transaction messages are kept (the rest describe a moment that has passed). */
  dropStale(): void {
    const lost = this.inFlight;
    this.inFlight = undefined;
    const kept = this.calls.filter((c) => c.transactional);
    if (lost?.transactional) kept.unshift(lost);
    this.calls = kept.length > 0 ? kept : NO_CALLS;
  }

  /** Whether a call of `action` waits or is in flight. */
  has(action: string): boolean {
    return this.inFlight?.action === action || this.calls.some((c) => c.action === action);
  }

  get size(): number {
    return this.calls.length + (this.inFlight ? 1 : 0);
  }

  get transactional(): number {
    return this.calls.filter((c) => c.transactional).length + (this.inFlight?.transactional ? 1 : 0);
  }

  /** When the first waiting call may be retried (undefined: it may go now, or nothing waits). */
  get headRetryAt(): number | undefined {
    return this.calls[0]?.retryAt;
  }
}

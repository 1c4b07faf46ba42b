import type { JsonObject } from '../../../shared/ocpp/json';
import { ChargerBoot } from './charger-boot';
import type { SimCall } from './charger-types';

/**
 * The charger model's link and clock (see charger-core.ts for the whole stack): connect and disconnect, the
 * one-call-in-flight send queue with its offline and retry rules, and the wake-ups (heartbeat, boot retry, timers,
 * connector work) that one scheduler drives for many stations.
 */
export abstract class ChargerLink extends ChargerBoot {
  private timers: { at: number; run: (now: number) => void }[] | undefined;

  protected abstract messageAttempts(): number;
  protected abstract retryIntervalSec(): number;
  /** The connectors' timed work at a wake-up (reservations expiring, meter samples). */
  protected abstract wakeConnectors(now: number): void;

  // ---- the link ------------------------------------------------------------------------------------------------

  connected(now: number): void {
    this.online = true;
    if (this.boot !== 'accepted') {
      this.boot = 'none';
      this.nextBoot = now;
      this.sendBoot(now);
    } else {
      for (const c of this.connectors) if (c.status !== c.sentStatus) this.enqueue(this.statusCall(c));
      this.nextHeartbeat = this.heartbeatAfter(undefined, now);
    }
    this.host.changed();
  }

  disconnected(now: number): void {
    this.online = false;
    // Statuses are resent on reconnect; transaction messages wait in the queue.
    this.calls.dropStale();
    this.nextHeartbeat = undefined;
    if (this.boot !== 'accepted') this.boot = 'none';
    this.checkReboot(now);
    this.host.changed();
  }

  /** The next call to send now, if the rules allow one (one in flight; nothing but boot before Accepted). */
  takeCall(now: number): SimCall | undefined {
    return this.online ? this.calls.take(this.boot, now) : undefined;
  }

  callDone(call: SimCall, response: JsonObject, now: number): void {
    this.calls.settled(call);
    try {
      call.onResult?.(response, now);
    } finally {
      this.checkReboot(now);
      this.host.changed();
    }
  }

  /** A CALLERROR, or no answer in time. Transaction messages are retried; others given up. */
  callFailed(call: SimCall, now: number): void {
    this.calls.settled(call);
    const attempts = Math.max(1, this.messageAttempts());
    if (call.transactional && call.attempts < attempts)
      this.calls.again(call, now + this.retryIntervalSec() * 1000 * call.attempts);
    else {
      if (call.transactional) this.host.note(`${call.action} given up after ${call.attempts} attempt(s).`);
      call.onFail?.(now);
    }
    this.checkReboot(now);
    this.host.changed();
  }

  /** The socket closed with the call unanswered: a transaction message waits for the next connection. */
  callLost(call: SimCall): void {
    this.calls.settled(call);
    if (call.transactional) this.calls.again(call);
  }

  get queued(): number {
    return this.calls.size;
  }

  /** How many transaction messages wait (offline queue). */
  get queuedTransactionMessages(): number {
    return this.calls.transactional;
  }

  // ---- time ----------------------------------------------------------------------------------------------------

  nextWake(): number | undefined {
    let next = Infinity;
    if (this.online && this.nextHeartbeat !== undefined) next = Math.min(next, this.nextHeartbeat);
    if (this.online && this.nextBoot !== undefined && this.boot !== 'accepted' && this.boot !== 'sent')
      next = Math.min(next, this.nextBoot);
    const timers = this.timers;
    if (timers) for (const t of timers) next = Math.min(next, t.at);
    for (const c of this.connectors) {
      if (c.tx) next = Math.min(next, c.tx.nextSample);
      if (c.reservation) next = Math.min(next, c.reservation.expires);
    }
    const retryAt = this.calls.headRetryAt;
    if (this.online && retryAt !== undefined) next = Math.min(next, retryAt);
    const own = this.ownWake();
    if (own !== undefined) next = Math.min(next, own);
    return next === Infinity ? undefined : next;
  }

  /** When a version's own timed work is due (2.x periodic monitors); undefined: none. */
  protected ownWake(): number | undefined {
    return undefined;
  }

  /** A version's own work at each wake-up and after a status change (2.x monitors compare their values). */
  protected observe(now: number): void {
    void now;
  }

  wake(now: number): void {
    if (
      this.online &&
      this.boot !== 'accepted' &&
      this.boot !== 'sent' &&
      this.nextBoot !== undefined &&
      now >= this.nextBoot
    )
      this.sendBoot(now);
    if (
      this.online &&
      this.boot === 'accepted' &&
      this.nextHeartbeat !== undefined &&
      now >= this.nextHeartbeat
    ) {
      // One at a time: heartbeats a CSMS does not answer would pile up (a 10 s interval and a 30 s call timeout
      // queue 41 in 10 minutes), crowd out transaction messages at the queue's bound and go out in a burst later.
      if (!this.calls.has('Heartbeat')) this.enqueue(this.heartbeatCall());
      this.nextHeartbeat = this.heartbeatAfter(this.nextHeartbeat, now);
    }
    if (this.timers) {
      const due = this.timers.filter((t) => t.at <= now);
      this.timers = this.timers.filter((t) => t.at > now);
      for (const t of due) t.run(now);
      if (this.timers.length === 0) this.timers = undefined;
    }
    this.wakeConnectors(now);
    this.observe(now);
    this.host.changed();
  }

  /** Runs `run` at `at` (file transfer steps, delayed starts). */
  protected at(at: number, run: (now: number) => void): void {
    (this.timers ??= []).push({ at, run });
  }
}

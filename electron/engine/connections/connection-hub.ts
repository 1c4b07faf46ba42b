import { EventEmitter } from 'node:events';
import type { ConnectionStatus, HeldCall, HeldFrame } from '../../../shared/api';
import { defaultObservers } from '../../../shared/ocpp/default-observers';
import type { FrameObserverFactory } from '../../../shared/ocpp/frame-observer';
import { AutoAnswerBook } from '../station/auto-answer';
import type { Connection } from './connection';
import { EventStream } from './event-stream';
import type { ProxyConnection } from '../proxy/proxy-connection';

let connectionCounter = 0;

/** Closed connections kept for listing; older ones are forgotten so long sessions do not grow without bound. */
const KEEP_CLOSED = 200;

/** How often the behaviour rules hear the time when no frame comes (one timer per hub, not per connection). */
export const RULE_TICK_MS = 1000;

/**
 * Every connection of the engine, endpoint and station alike, with one event stream and one auto-answer book.
 * Emits 'connections' (ConnectionStatus[]) when a connection is added or changes state, and 'held' (HeldCall[])
 * when the held calls change, and 'heldFrames' (HeldFrame[]) when a proxy's held frames change, so the facade can
 * push notices. Proxied pairs are kept apart from the other connections: they have no single socket to send on.
 */
export class ConnectionHub extends EventEmitter {
  private readonly all = new Map<string, Connection>();
  private readonly proxies = new Map<string, ProxyConnection>();
  private scheduled = false;
  private heldScheduled = false;
  private heldFramesScheduled = false;
  private pruneDue = false;
  /** The behaviour rules every connection of this hub runs (its analysis pipeline's last stage). */
  observers: readonly FrameObserverFactory[] = defaultObservers();
  private ruleClock: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly stream: EventStream = new EventStream(),
    readonly answers: AutoAnswerBook = new AutoAnswerBook(),
  ) {
    super();
  }

  /** Unique in the process, not just in this hub: several hubs (live, replay) may share one event stream. */
  nextId(): string {
    return `c${++connectionCounter}`;
  }

  add(connection: Connection): void {
    this.all.set(connection.id, connection);
    connection.on('state', () => this.changed(connection));
    connection.on('held', () => this.heldChanged());
    this.changed(connection);
    this.armRuleClock();
  }

  addProxy(proxy: ProxyConnection): void {
    this.proxies.set(proxy.id, proxy);
    proxy.on('state', () => this.changed(proxy));
    proxy.on('heldFrames', () => this.heldFramesChanged());
    this.changed(proxy);
    this.armRuleClock();
  }

  /** Runs while behaviour rules are on and some connection is live; stops by itself when none is. */
  private armRuleClock(): void {
    if (this.ruleClock !== undefined || this.observers.length === 0) return;
    this.ruleClock = setInterval(() => this.ruleTick(), RULE_TICK_MS);
    this.ruleClock.unref();
  }

  private ruleTick(): void {
    const now = Date.now();
    let live = 0;
    for (const c of [...this.all.values(), ...this.proxies.values()]) {
      if (c.keepListed || c.state === 'connecting' || c.state === 'open' || c.state === 'closing') live++;
      c.advanceRules(now);
    }
    if (live === 0 && this.ruleClock !== undefined) {
      clearInterval(this.ruleClock);
      this.ruleClock = undefined;
    }
  }

  proxy(id: string): ProxyConnection | undefined {
    return this.proxies.get(id);
  }

  proxyList(): ProxyConnection[] {
    return [...this.proxies.values()];
  }

  heldFrames(): HeldFrame[] {
    return this.proxyList().flatMap((p) => p.heldList());
  }

  /** Like 'connections': one 'held' notice per turn of the event loop, however many calls were held in it. */
  private heldChanged(): void {
    if (this.heldScheduled) return;
    this.heldScheduled = true;
    setImmediate(() => {
      this.heldScheduled = false;
      if (this.listenerCount('held') > 0) this.emit('held', this.held());
    });
  }

  /** A proxy's held frames change per frame: one 'heldFrames' notice per turn of the event loop. */
  private heldFramesChanged(): void {
    if (this.heldFramesScheduled) return;
    this.heldFramesScheduled = true;
    setImmediate(() => {
      this.heldFramesScheduled = false;
      if (this.listenerCount('heldFrames') > 0) this.emit('heldFrames', this.heldFrames());
    });
  }

  /**
   * State changes are coalesced into one 'connections' notice per turn of the event loop: a thousand chargers
   * connecting at once must not cost a thousand full listings.
   */
  private changed(connection: Connection | ProxyConnection): void {
    if (connection.state === 'closed' || connection.state === 'failed') this.pruneDue = true;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.pruneDue) {
        this.pruneDue = false;
        this.prune();
      }
      if (this.listenerCount('connections') > 0) this.emit('connections', this.statuses());
    });
  }

  get(id: string): Connection | undefined {
    return this.all.get(id);
  }

  list(): Connection[] {
    return [...this.all.values()];
  }

  statuses(): ConnectionStatus[] {
    const out = this.list().map((c) => c.status());
    for (const p of this.proxies.values()) out.push(p.status());
    return out;
  }

  held(): HeldCall[] {
    return this.list().flatMap((c) => c.held());
  }

  private prune(): void {
    const closed = this.list().filter((c) => c.state === 'closed' || c.state === 'failed');
    for (const c of closed.slice(0, Math.max(0, closed.length - KEEP_CLOSED))) {
      if (c.keepListed) continue;
      this.all.delete(c.id);
      c.removeAllListeners();
    }
    const ended = this.proxyList().filter((c) => c.state === 'closed' || c.state === 'failed');
    for (const c of ended.slice(0, Math.max(0, ended.length - KEEP_CLOSED))) {
      this.proxies.delete(c.id);
      c.removeAllListeners();
    }
  }
}

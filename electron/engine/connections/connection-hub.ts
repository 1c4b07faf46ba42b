import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { ConnectionStatus, HeldCall, HeldFrame } from '../../../shared/api';
import { defaultObservers } from '../../../shared/ocpp/default-observers';
import {
  advanceScopes,
  nextScopeDeadline,
  RULE_TICK_MS,
  type ConnectionTimedFinding,
  type FrameObserverFactory,
} from '../../../shared/ocpp/frame-observer';
import { repeatPhrase, reportsRepeat } from '../../../shared/ocpp/guarded-observer';
import { AutoAnswerBook } from '../station/auto-answer';
import type { Connection } from './connection';
import { EventStream } from './event-stream';
import { internalError } from './internal-error';
import type { ProxyConnection } from '../proxy/proxy-connection';

let connectionCounter = 0;

/** Closed connections kept for listing; older ones are forgotten so long sessions do not grow without bound. */
const KEEP_CLOSED = 200;

export { RULE_TICK_MS };

/** setTimeout's longest delay; a later deadline is reached in steps of this. */
const MAX_TIMER_MS = 2 ** 31 - 1;

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
  private ruleClock: ReturnType<typeof setTimeout> | undefined;
  /** When the rule clock fires next (wall clock); Infinity while it is stopped. */
  private ruleClockAt = Number.POSITIVE_INFINITY;
  /** Failures of the rule scopes on the clock's tick so far (see ruleTick). */
  private scopeFailures = 0;

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

  /**
   * One listener per hub, shared by all its connections (each emits itself): ten thousand chargers must not each
   * carry closures of their own.
   */
  private readonly onState = (c: Connection | ProxyConnection): void => this.changed(c);
  private readonly onHeld = (): void => this.heldChanged();

  add(connection: Connection): void {
    this.all.set(connection.id, connection);
    connection.on('state', this.onState);
    connection.on('held', this.onHeld);
    this.changed(connection);
    this.armRuleClock();
  }

  addProxy(proxy: ProxyConnection): void {
    this.proxies.set(proxy.id, proxy);
    proxy.on('state', this.onState);
    proxy.on('heldFrames', () => this.heldFramesChanged());
    this.changed(proxy);
    this.armRuleClock();
  }

  /**
   * The behaviour rules' clock: ticks every RULE_TICK_MS while some connection is live; with none live it sleeps
   * until the earliest deadline the rule scopes still wait for (a Reset accepted, then the station never came back),
   * and stops when nothing waits. One timer per hub.
   */
  private armRuleClock(): void {
    if (this.observers.length === 0) return;
    this.scheduleRules(Date.now() + RULE_TICK_MS);
  }

  private scheduleRules(at: number): void {
    if (this.ruleClock !== undefined && this.ruleClockAt <= at) return;
    if (this.ruleClock !== undefined) clearTimeout(this.ruleClock);
    this.ruleClockAt = at;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now()));
    this.ruleClock = setTimeout(() => this.ruleTick(), delay);
    this.ruleClock.unref();
  }

  private ruleTick(): void {
    this.ruleClock = undefined;
    this.ruleClockAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    // One monotonic reading for the whole tick: it visits every connection, ten thousand simulated chargers too.
    const mono = performance.now();
    let live = 0;
    // Straight from the maps, no copy: a connection that closes meanwhile is only removed later (pruning).
    for (const c of this.all.values()) {
      if (c.keepListed || c.state === 'connecting' || c.state === 'open' || c.state === 'closing') live++;
      c.advanceRules(now, mono);
    }
    for (const c of this.proxies.values()) {
      if (c.keepListed || c.state === 'connecting' || c.state === 'open' || c.state === 'closing') live++;
      c.advanceRules(now, mono);
    }
    let next = Number.POSITIVE_INFINITY;
    try {
      for (const tf of advanceScopes(this.observers, now)) this.noteScopeFinding(tf);
      if (live === 0) next = nextScopeDeadline(this.observers);
    } catch (error) {
      // A rule scope's bug (its expectations outlive connections, so no frame or connection owns it): recorded, and
      // the clock keeps ticking for the connections' own rules; thrown on, it would end the process from a timer.
      // Reported at the 1st, 2nd, 4th... failure: a scope that fails on every tick must not write an error a second.
      this.scopeFailures++;
      if (reportsRepeat(this.scopeFailures))
        internalError(
          this.stream,
          '',
          error,
          `in a behaviour rule that spans connections, on the rules' clock (${repeatPhrase(this.scopeFailures, 'of these')})`,
        );
    }
    if (live > 0) this.scheduleRules(now + RULE_TICK_MS);
    else if (next !== Number.POSITIVE_INFINITY) this.scheduleRules(Math.max(next, now + 1));
  }

  /** A rule concluded about a connection that has closed (and may have been forgotten): a note on it all the same. */
  private noteScopeFinding(tf: ConnectionTimedFinding): void {
    const c = this.all.get(tf.conn) ?? this.proxies.get(tf.conn);
    if (c) c.noteRuleFinding(tf);
    else
      this.stream.emit({
        kind: 'note',
        conn: tf.conn,
        source: 'engine',
        text: tf.finding.message,
        findings: [tf.finding],
      });
  }

  /** Stops the rule clock (the engine is closing); a later connection starts it again. */
  dispose(): void {
    if (this.ruleClock !== undefined) clearTimeout(this.ruleClock);
    this.ruleClock = undefined;
    this.ruleClockAt = Number.POSITIVE_INFINITY;
  }

  /** Whether the rule clock is running (for tests: it must stop when nothing waits). */
  get ruleClockRunning(): boolean {
    return this.ruleClock !== undefined;
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

import type { StationSettings } from '../../../shared/api';
import type { ScenarioRole } from '../../../shared/scenario/scenario-types';
import type { Connection } from '../connections/connection';
import type { ConnectionHub } from '../connections/connection-hub';
import { Station } from '../station/station';

/**
 * The peer under test as the check runner sees it: the engine connection(s) it is reached on, across reconnects.
 * Every frame goes through the engine's own Connection, so it is recorded and analysed like any other traffic.
 * A charger (the tool plays the CSMS) connects to the endpoint and may reconnect by itself (after a reset); a CSMS
 * (the tool plays the charger) is connected to by a Station.
 */
export interface CheckPeer {
  readonly role: ScenarioRole;
  /** The charger's identity or the CSMS URL, for reports. */
  readonly name: string;
  readonly hub: ConnectionHub;
  /** The newest connection to the peer. */
  current(): Connection | undefined;
  /** Counts connections made so far: a reconnect step waits for it to grow. */
  readonly generation: number;
  /** True when `conn` is (or was) a connection to this peer. */
  owns(conn: string): boolean;
  /** Calls `listener` for every new connection to the peer (after the first). */
  onConnection(listener: (c: Connection) => void): () => void;
  disconnect(): Promise<void>;
  /** csms role: waits for the charger to connect again; station role: connects again. Undefined when none came. */
  reconnect(sinceGeneration: number, timeoutMs: number, signal: AbortSignal): Promise<Connection | undefined>;
  /** Ends what the peer owns (station connections); a charger on the endpoint is left connected. */
  dispose(): Promise<void>;
  /**
   * station role only: a new connection attempt (the current one is closed first) with other credentials, or none
   * (null). Resolves with the connection, open (it becomes the current one) or failed with its handshake record.
   */
  attempt?(basicAuth: { username: string; password: string } | null | undefined): Promise<Connection>;
}

abstract class PeerBase {
  protected connections: Connection[] = [];
  private readonly listeners = new Set<(c: Connection) => void>();

  constructor(readonly hub: ConnectionHub) {}

  get generation(): number {
    return this.connections.length;
  }

  current(): Connection | undefined {
    return this.connections.at(-1);
  }

  owns(conn: string): boolean {
    return this.connections.some((c) => c.id === conn);
  }

  onConnection(listener: (c: Connection) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected added(c: Connection): void {
    // Bounded: a charger that reconnects in a loop must not grow this without end.
    if (this.connections.length > 64) this.connections = this.connections.slice(-32);
    this.connections.push(c);
    for (const l of [...this.listeners]) l(c);
  }

  protected waitFor(
    sinceGeneration: number,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<Connection | undefined> {
    const ready = (): Connection | undefined => {
      const c = this.current();
      return this.generation > sinceGeneration && c?.isOpen ? c : undefined;
    };
    const now = ready();
    if (now || signal.aborted) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (c: Connection | undefined): void => {
        clearTimeout(timer);
        off();
        signal.removeEventListener('abort', onAbort);
        resolve(c);
      };
      const onAbort = (): void => done(undefined);
      const timer = setTimeout(() => done(undefined), timeoutMs);
      // The connection announces itself with its opened event, before it calls itself open: look right after.
      const off = this.onConnection(() =>
        setImmediate(() => {
          const c = ready();
          if (c) done(c);
        }),
      );
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** A charger connected to the engine's endpoint, followed across its reconnects by identity. */
export class ChargerPeer extends PeerBase implements CheckPeer {
  readonly role = 'csms' as const;
  readonly name: string;
  private readonly off: () => void;

  constructor(hub: ConnectionHub, first: Connection) {
    super(hub);
    this.name = first.identity;
    this.connections.push(first);
    this.off = hub.stream.subscribe((e) => {
      if (e.kind !== 'opened' || !e.ok) return;
      const c = hub.get(e.conn);
      if (c && c.role === 'endpoint' && c.identity === this.name && !this.owns(c.id)) this.added(c);
    });
  }

  async disconnect(): Promise<void> {
    await this.current()?.close(1000, 'check: disconnect step');
  }

  reconnect(
    sinceGeneration: number,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<Connection | undefined> {
    return this.waitFor(sinceGeneration, timeoutMs, signal);
  }

  async dispose(): Promise<void> {
    this.off();
  }
}

/** A CSMS the tool connects to as a charger; each (re)connect is a new engine connection. */
export class CsmsPeer extends PeerBase implements CheckPeer {
  readonly role = 'station' as const;
  readonly name: string;
  private readonly station: Station;

  constructor(
    hub: ConnectionHub,
    private readonly settings: StationSettings,
  ) {
    super(hub);
    this.name = settings.url;
    this.station = new Station(hub);
  }

  /** Connects; resolves with the connection (open) or the failure message. */
  async connect(): Promise<Connection | string> {
    const c = await this.station.connect({ ...this.settings, reconnect: { enabled: false, maxDelaySec: 1 } });
    if (!c.isOpen) return c.failure?.message ?? `Could not connect to ${this.settings.url}.`;
    this.added(c);
    return c;
  }

  async disconnect(): Promise<void> {
    await this.current()?.close(1000, 'check: disconnect step');
  }

  async attempt(basicAuth: { username: string; password: string } | null | undefined): Promise<Connection> {
    const c = this.current();
    if (c?.isOpen) await c.close(1000, 'check: connect step');
    const { basicAuth: own, ...rest } = this.settings;
    const auth = basicAuth === undefined ? own : (basicAuth ?? undefined);
    const next = await this.station.connect({
      ...rest,
      ...(auth ? { basicAuth: auth } : {}),
      reconnect: { enabled: false, maxDelaySec: 1 },
    });
    if (next.isOpen) this.added(next);
    return next;
  }

  /** The run's own Basic auth user name (the identity, when none was given). */
  get username(): string | undefined {
    return this.settings.basicAuth?.username;
  }

  async reconnect(
    sinceGeneration: number,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<Connection | undefined> {
    if (this.generation > sinceGeneration && this.current()?.isOpen) return this.current();
    if (signal.aborted) return undefined;
    const c = this.current();
    if (c?.isOpen) await c.close(1000, 'check: reconnect step');
    const r = await Promise.race([
      this.connect(),
      new Promise<string>((resolve) => setTimeout(() => resolve('timed out'), timeoutMs).unref()),
    ]);
    return typeof r === 'string' ? undefined : r;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.close(1000, 'check done').catch(() => undefined)));
  }
}

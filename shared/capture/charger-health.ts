import type { FrameEvent, ScopeEvent, Severity } from './events';
import type { HandshakeDiagnosis } from './handshake-diagnosis';
import { diagnoseOpened } from './handshake-diagnosis';

/**
 * What an installer wants to know about one charger in five seconds, computed from the event stream alone (live,
 * a capture or an import give the same answer): did it boot and was it accepted, does it keep the heartbeat it was
 * given, what its connectors say, its last transaction, how many findings of each severity, and how good the link
 * is (ping round trips, reconnects, failed attempts with their cause).
 */
export interface ChargerHealth {
  identity: string;
  state: 'open' | 'closed' | 'failed';
  version?: string;
  /** Successful connections after the first one. */
  reconnects: number;
  failedAttempts: number;
  /** The cause of the last failed attempt, as every view words it. */
  lastFailure?: HandshakeDiagnosis;
  boot?: { status: string; at: number; intervalSec?: number } | { status: 'unanswered'; at: number };
  heartbeat: { agreedSec?: number; observedSec?: number; count: number; lastAt?: number };
  connectors: { connector: string; status: string; errorCode?: string; at: number }[];
  lastTransaction?: { id?: string; event: 'started' | 'updated' | 'ended'; at: number; connector?: string };
  findings: Record<Severity, number>;
  ping: { count: number; lastRttMs?: number; medianRttMs?: number };
  frames: number;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** Only the payloads the summary reads are parsed; a frame that does not parse is simply not counted here. */
function payloadOf(e: FrameEvent): Json | undefined {
  try {
    const value = JSON.parse(e.text) as unknown;
    if (!Array.isArray(value)) return undefined;
    return obj(e.msg?.type === 2 ? value[3] : value[2]);
  } catch {
    return undefined;
  }
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2;
}

const BOUNDED = 500;

class One {
  readonly h: ChargerHealth;
  private readonly heartbeats: number[] = [];
  private readonly rtts: number[] = [];
  private lastHeartbeatT: number | undefined;
  private opened = 0;
  private readonly connectors = new Map<string, ChargerHealth['connectors'][number]>();
  /** The action of each CALL by message id, so a CALLRESULT can be read as the answer it is. */
  readonly calls = new Map<string, { action: string; payload?: Json }>();

  constructor(identity: string) {
    this.h = {
      identity,
      state: 'closed',
      reconnects: 0,
      failedAttempts: 0,
      heartbeat: { count: 0 },
      connectors: [],
      findings: { error: 0, warning: 0, info: 0 },
      ping: { count: 0 },
      frames: 0,
    };
  }

  count(findings: readonly { severity: Severity }[] | undefined): void {
    for (const f of findings ?? []) this.h.findings[f.severity]++;
  }

  add(e: ScopeEvent): void {
    const h = this.h;
    switch (e.kind) {
      case 'opened': {
        this.count(e.handshake.findings);
        if (e.ok) {
          if (this.opened++ > 0) h.reconnects++;
          h.state = 'open';
          if (e.connection.version) h.version = e.connection.version;
          this.lastHeartbeatT = undefined;
        } else {
          h.failedAttempts++;
          h.state = 'failed';
          const d = diagnoseOpened(e);
          if (d) h.lastFailure = d;
        }
        return;
      }
      case 'closed':
        if (h.state === 'open') h.state = 'closed';
        return;
      case 'ping':
      case 'pong':
        if (e.rttMs !== undefined) {
          h.ping.count++;
          h.ping.lastRttMs = e.rttMs;
          if (this.rtts.push(e.rttMs) > BOUNDED) this.rtts.shift();
          const m = median(this.rtts);
          if (m !== undefined) h.ping.medianRttMs = m;
        }
        return;
      case 'note':
        this.count(e.findings);
        return;
      case 'error':
        return;
      case 'frame':
        h.frames++;
        this.count(e.findings);
        this.frame(e);
    }
  }

  private frame(e: FrameEvent): void {
    const msg = e.msg;
    if (!msg) return;
    const h = this.h;
    if (msg.type === 2 && e.sender === 'station') {
      const action = msg.action ?? '';
      if (action === 'Heartbeat') this.heartbeat(e.t);
      if (!WATCHED.has(action)) return;
      const payload = payloadOf(e);
      this.calls.set(msg.id, { action, ...(payload ? { payload } : {}) });
      if (this.calls.size > BOUNDED) this.calls.delete(this.calls.keys().next().value!);
      if (action === 'BootNotification') h.boot = { status: 'unanswered', at: e.t };
      if (action === 'StatusNotification' && payload) this.status(payload, e.t);
      if (action === 'StartTransaction' && payload)
        h.lastTransaction = { event: 'started', at: e.t, ...conn(text(payload.connectorId)) };
      if (action === 'StopTransaction' && payload)
        h.lastTransaction = { event: 'ended', at: e.t, ...id(text(payload.transactionId)) };
      if (action === 'TransactionEvent' && payload) this.transactionEvent(payload, e.t);
      return;
    }
    if (msg.type === 3 && e.sender === 'csms') {
      const call = this.calls.get(msg.id);
      if (!call) return;
      this.calls.delete(msg.id);
      const payload = payloadOf(e);
      if (call.action === 'BootNotification' && payload) {
        const interval = typeof payload.interval === 'number' ? payload.interval : undefined;
        h.boot = {
          status: text(payload.status) ?? '?',
          at: e.t,
          ...(interval !== undefined ? { intervalSec: interval } : {}),
        };
        if (interval !== undefined && interval > 0) h.heartbeat.agreedSec = interval;
      }
      if (call.action === 'StartTransaction' && payload && h.lastTransaction?.event === 'started')
        h.lastTransaction = { ...h.lastTransaction, ...id(text(payload.transactionId)) };
    }
  }

  private heartbeat(t: number): void {
    const hb = this.h.heartbeat;
    hb.count++;
    hb.lastAt = t;
    if (this.lastHeartbeatT !== undefined && this.heartbeats.push((t - this.lastHeartbeatT) / 1000) > BOUNDED)
      this.heartbeats.shift();
    this.lastHeartbeatT = t;
    const m = median(this.heartbeats);
    if (m !== undefined) hb.observedSec = Math.round(m * 10) / 10;
  }

  private status(p: Json, t: number): void {
    const evse = text(p.evseId);
    const connector = `${evse !== undefined ? `${evse}/` : ''}${text(p.connectorId) ?? '?'}`;
    const status = text(p.status) ?? text(p.connectorStatus) ?? '?';
    const errorCode = text(p.errorCode);
    this.connectors.set(connector, {
      connector,
      status,
      at: t,
      ...(errorCode && errorCode !== 'NoError' ? { errorCode } : {}),
    });
    this.h.connectors = [...this.connectors.values()].sort((a, b) =>
      a.connector.localeCompare(b.connector, 'en', { numeric: true }),
    );
  }

  private transactionEvent(p: Json, t: number): void {
    const kind = text(p.eventType);
    const event = kind === 'Started' ? 'started' : kind === 'Ended' ? 'ended' : 'updated';
    const info = obj(p.transactionInfo);
    const evse = obj(p.evse);
    this.h.lastTransaction = { event, at: t, ...id(text(info?.transactionId)), ...conn(text(evse?.id)) };
  }
}

const WATCHED = new Set([
  'BootNotification',
  'StatusNotification',
  'StartTransaction',
  'StopTransaction',
  'TransactionEvent',
]);
const id = (v: string | undefined): { id?: string } => (v !== undefined ? { id: v } : {});
const conn = (v: string | undefined): { connector?: string } => (v !== undefined ? { connector: v } : {});

/**
 * Builds the summaries incrementally (add events as they come, read `summaries()` at any time), one per charge point
 * identity: a reconnecting charger is one charger, whatever its connection ids.
 */
export class ChargerHealthBuilder {
  private readonly byIdentity = new Map<string, One>();
  private readonly identityOf = new Map<string, string>();

  add(e: ScopeEvent): void {
    if (e.kind === 'opened') this.identityOf.set(e.conn, e.connection.identity || e.conn);
    const identity = this.identityOf.get(e.conn);
    if (identity === undefined) return;
    let one = this.byIdentity.get(identity);
    if (!one) this.byIdentity.set(identity, (one = new One(identity)));
    one.add(e);
  }

  summaries(): ChargerHealth[] {
    return [...this.byIdentity.values()].map((o) => structuredCloneHealth(o.h));
  }

  get(identity: string): ChargerHealth | undefined {
    const one = this.byIdentity.get(identity);
    return one ? structuredCloneHealth(one.h) : undefined;
  }
}

function structuredCloneHealth(h: ChargerHealth): ChargerHealth {
  return {
    ...h,
    heartbeat: { ...h.heartbeat },
    connectors: h.connectors.map((c) => ({ ...c })),
    findings: { ...h.findings },
    ping: { ...h.ping },
  };
}

export function chargerHealth(events: Iterable<ScopeEvent>): ChargerHealth[] {
  const b = new ChargerHealthBuilder();
  for (const e of events) b.add(e);
  return b.summaries();
}

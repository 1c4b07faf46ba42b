import type { ConnectionInfo, ScopeEvent } from '../../../shared/capture/events';
import { eventFindingCount } from '../../../shared/capture/query';
import { RttHistogram } from './event-source';
import type { ConnectionStats, SourceStats } from './event-source';

/** What the stats need from one event: the indexer fills it from a skim, memory sources from the event. */
export interface EventMeta {
  kind: ScopeEvent['kind'];
  conn: string;
  t: number;
  action?: string | undefined;
  findings: number;
  findingCodes?: string[] | undefined;
  rttMs?: number | undefined;
}

export function metaOf(e: ScopeEvent): EventMeta {
  const codes: string[] = [];
  if (e.kind === 'frame') {
    for (const f of e.findings) codes.push(f.code);
    if (e.problem) codes.push(e.problem.code);
  } else if (e.kind === 'opened') {
    for (const f of e.handshake.findings) codes.push(f.code);
    if (e.handshake.failure) codes.push(e.handshake.failure.code);
  } else if (e.kind === 'note' || e.kind === 'transfer') {
    for (const f of e.findings ?? []) codes.push(f.code);
  } else if (e.kind === 'error') codes.push(e.code);
  return {
    kind: e.kind,
    conn: e.conn,
    t: e.t,
    action: e.kind === 'frame' ? e.msg?.action : undefined,
    findings: eventFindingCount(e),
    findingCodes: codes,
    rttMs: e.kind === 'frame' ? e.pair?.rttMs : undefined,
  };
}

const MAX_KEYS = 10_000;

export class StatsBuilder {
  private events = 0;
  private frames = 0;
  private withFindings = 0;
  private firstT: number | undefined;
  private lastT: number | undefined;
  private readonly conns = new Map<string, ConnectionStats>();
  private readonly actions = new Map<string, number>();
  private readonly codes = new Map<string, number>();
  private readonly rtt = new RttHistogram();
  private readonly rttByAction = new Map<string, RttHistogram>();

  connection(info: ConnectionInfo): void {
    const c = this.conn(info.id);
    c.identity = info.identity;
    if (info.version) c.version = info.version;
  }

  private conn(id: string): ConnectionStats {
    let c = this.conns.get(id);
    if (!c) {
      c = { id, identity: '', events: 0, frames: 0, findings: 0 };
      this.conns.set(id, c);
    }
    return c;
  }

  identityOf(id: string): string | undefined {
    return this.conns.get(id)?.identity || undefined;
  }

  add(m: EventMeta): void {
    this.events++;
    if (this.firstT === undefined || m.t < this.firstT) this.firstT = m.t;
    if (this.lastT === undefined || m.t > this.lastT) this.lastT = m.t;
    const c = this.conn(m.conn);
    c.events++;
    if (c.firstT === undefined) c.firstT = m.t;
    c.lastT = m.t;
    if (m.kind === 'frame') {
      this.frames++;
      c.frames++;
      if (m.action !== undefined && (this.actions.has(m.action) || this.actions.size < MAX_KEYS)) {
        this.actions.set(m.action, (this.actions.get(m.action) ?? 0) + 1);
      }
    }
    if (m.findings > 0) {
      this.withFindings++;
      c.findings += m.findings;
      for (const code of m.findingCodes ?? []) {
        if (this.codes.has(code) || this.codes.size < MAX_KEYS)
          this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
      }
    }
    if (m.rttMs !== undefined) {
      this.rtt.add(m.rttMs);
      if (m.action !== undefined) {
        let h = this.rttByAction.get(m.action);
        if (!h && this.rttByAction.size < MAX_KEYS) this.rttByAction.set(m.action, (h = new RttHistogram()));
        h?.add(m.rttMs);
      }
    }
  }

  stats(): SourceStats {
    const byAction: Record<string, ReturnType<RttHistogram['stats']>> = {};
    for (const [a, h] of this.rttByAction) byAction[a] = h.stats();
    return {
      events: this.events,
      frames: this.frames,
      withFindings: this.withFindings,
      connections: [...this.conns.values()].map((c) => ({ ...c })),
      actions: Object.fromEntries(this.actions),
      findingCodes: Object.fromEntries(this.codes),
      rtt: { ...this.rtt.stats(), byAction },
      ...(this.firstT !== undefined ? { firstT: this.firstT } : {}),
      ...(this.lastT !== undefined ? { lastT: this.lastT } : {}),
    };
  }
}

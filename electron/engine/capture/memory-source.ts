import type { EventPage, EventQuery, SourceInfo } from '../../../shared/api';
import type { ConnectionInfo, Finding, ScopeEvent } from '../../../shared/capture/events';
import { isEmptyQuery, matchesQuery } from '../../../shared/capture/query';
import type { EventSource, SourceStats } from './event-source';
import { metaOf, StatsBuilder } from './stats-builder';

/**
 * Events held in memory: imported HAR and pcap files (bounded by their size) and the live session. The live store
 * is capped: past `maxEvents` the oldest tenth is dropped (the recorder has them on disk) and a finding says so.
 */
export class MemorySource implements EventSource {
  protected list: ScopeEvent[] = [];
  protected statsB = new StatsBuilder();
  protected readonly conns = new Map<string, ConnectionInfo>();
  protected readonly findings: Finding[];
  private dropped = 0;
  private cache: { key: string; n: number; version: number; hits: number[] } | undefined;
  private version = 0;

  constructor(
    readonly id: string,
    readonly kind: 'live' | 'capture',
    readonly name: string,
    events: ScopeEvent[] = [],
    findings: Finding[] = [],
    connections: ConnectionInfo[] = [],
    private readonly maxEvents = Infinity,
  ) {
    this.findings = [...findings];
    for (const c of connections) this.addConnection(c);
    for (const e of events) this.append(e);
  }

  private addConnection(c: ConnectionInfo): void {
    this.conns.set(c.id, c);
    this.statsB.connection(c);
  }

  append(e: ScopeEvent): void {
    if (e.kind === 'opened') this.addConnection(e.connection);
    this.list.push(e);
    this.statsB.add(metaOf(e));
    this.version++;
    if (this.list.length > this.maxEvents) {
      const drop = Math.ceil(this.maxEvents / 10);
      this.list = this.list.slice(drop);
      this.dropped += drop;
      this.cache = undefined;
    }
  }

  info(): SourceInfo {
    const findings = [...this.findings];
    if (this.dropped > 0) {
      findings.push({
        code: 'live-events-dropped',
        severity: 'info',
        message: `The oldest ${this.dropped} events were dropped from memory to stay within ${this.maxEvents}; record to keep everything.`,
      });
    }
    return {
      id: this.id,
      kind: this.kind,
      name: this.name,
      events: this.list.length,
      indexing: false,
      findings,
    };
  }

  stats(): SourceStats {
    return this.statsB.stats();
  }

  connections(): ConnectionInfo[] {
    return [...this.conns.values()];
  }

  async query(q: EventQuery, offset: number, limit: number): Promise<EventPage> {
    const off = Math.max(0, Math.floor(offset));
    const lim = Math.max(0, Math.min(10_000, Math.floor(limit)));
    if (isEmptyQuery(q))
      return { total: this.list.length, offset: off, events: this.list.slice(off, off + lim) };
    const key = JSON.stringify(q);
    let c = this.cache;
    if (!c || c.key !== key || c.version > this.version || c.n > this.list.length) {
      c = { key, n: 0, version: this.version, hits: [] };
    }
    // Extend the cached result with events appended since (live source): no rescan per page.
    const ctx = { identityOf: (id: string) => this.conns.get(id)?.identity };
    for (let i = c.n; i < this.list.length; i++) if (matchesQuery(this.list[i]!, q, ctx)) c.hits.push(i);
    c.n = this.list.length;
    c.version = this.version;
    this.cache = c;
    return {
      total: c.hits.length,
      offset: off,
      events: c.hits.slice(off, off + lim).map((i) => this.list[i]!),
    };
  }

  async *events(): AsyncIterable<ScopeEvent> {
    for (const e of this.list) yield e;
  }

  /** Synchronous access for small sources (tests, replay plans). */
  all(): readonly ScopeEvent[] {
    return this.list;
  }

  whenIndexed(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.list = [];
  }
}

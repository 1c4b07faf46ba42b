import type { EventQuery } from '../../../shared/api';
import type { ConnectionInfo, OpenedEvent, ProxyLeg, ScopeEvent } from '../types';
import { isEmptyQuery, matchesQuery } from '../../../shared/capture/query';

/**
 * The live event stream held in memory, with the two derived facts the log needs and the stream does not carry on
 * the request itself: its partner (the response) and the round-trip time. Filtering is incremental: new events are
 * tested against the current query as they arrive, so a million events never get re-filtered per batch.
 */
export class LiveLog {
  readonly events: ScopeEvent[] = [];
  private readonly indexOfSeq = new Map<number, number>();
  private readonly partner = new Map<number, number>();
  private readonly rtt = new Map<number, number>();
  private readonly identity = new Map<string, string>();
  /** Each connection as its upgrade (the latest `opened` event) described it: role, identity, URL, version. */
  private readonly info = new Map<string, ConnectionInfo>();
  /** Proxied pairs: the latest upgrade of each leg, for the card's leg lines. */
  private readonly legs = new Map<string, Partial<Record<ProxyLeg, OpenedEvent>>>();
  /** Per connection, counted from the frames seen here: the card shows these when the engine's counters lag. */
  private readonly perConn = new Map<string, { frames: number; findings: number; lastRttMs?: number }>();
  private query: EventQuery = {};
  /** Positions in `events` of the events that match the query. */
  private matches: number[] = [];
  private all = true;
  lastSeq = -1;
  /** Oldest events dropped to bound memory in a window left open for days; they stay in the engine and recordings. */
  trimmed = 0;

  constructor(private readonly maxEvents = 2_000_000) {}

  identityOf = (conn: string): string | undefined => this.identity.get(conn);

  /** A connection as its upgrade described it, once that event has been seen here. */
  connectionOf(conn: string): ConnectionInfo | undefined {
    return this.info.get(conn);
  }

  setIdentity(conn: string, identity: string): void {
    this.identity.set(conn, identity);
  }

  /** Adds events in stream order; duplicates (a backfill overlapping live notices) are ignored. */
  add(batch: readonly ScopeEvent[]): number {
    const added = this.addAll(batch);
    if (this.events.length > this.maxEvents) this.trim();
    return added;
  }

  /** Drops the oldest tenth at once, so the O(n) rebuild happens rarely. */
  private trim(): void {
    const drop = this.events.length - Math.floor(this.maxEvents * 0.9);
    const kept = this.events.slice(drop);
    this.trimmed += drop;
    this.events.length = 0;
    this.indexOfSeq.clear();
    this.partner.clear();
    this.rtt.clear();
    for (const e of kept) {
      this.events.push(e);
      this.indexOfSeq.set(e.seq, this.events.length - 1);
      // Counters describe the whole session, not just what is still in memory: do not count these again.
      this.learn(e, false);
    }
    this.setQuery(this.query);
  }

  private addAll(batch: readonly ScopeEvent[]): number {
    let added = 0;
    for (const e of batch) {
      if (this.indexOfSeq.has(e.seq)) continue;
      if (e.seq < this.lastSeq) {
        // Out of order (a backfill after live notices): rare, so a full rebuild keeps the code simple.
        this.insertSorted(e);
        added++;
        continue;
      }
      this.push(e);
      added++;
    }
    return added;
  }

  private push(e: ScopeEvent): void {
    const i = this.events.length;
    this.events.push(e);
    this.indexOfSeq.set(e.seq, i);
    this.lastSeq = e.seq;
    this.learn(e);
    if (!this.all && matchesQuery(e, this.query, this)) this.matches.push(i);
  }

  legsOf(conn: string): Partial<Record<ProxyLeg, OpenedEvent>> | undefined {
    return this.legs.get(conn);
  }

  connStats(conn: string): { frames: number; findings: number; lastRttMs?: number } | undefined {
    return this.perConn.get(conn);
  }

  private learn(e: ScopeEvent, count = true): void {
    if (e.kind === 'opened') {
      this.identity.set(e.conn, e.connection.identity);
      this.info.set(e.conn, e.connection);
    }
    if (e.kind === 'opened' && e.leg) this.legs.set(e.conn, { ...this.legs.get(e.conn), [e.leg]: e });
    if (e.kind === 'frame' && count) {
      let st = this.perConn.get(e.conn);
      if (!st) this.perConn.set(e.conn, (st = { frames: 0, findings: 0 }));
      st.frames++;
      st.findings += e.findings.length + (e.problem ? 1 : 0);
      if (e.pair?.rttMs !== undefined) st.lastRttMs = e.pair.rttMs;
    }
    if (e.kind === 'frame' && e.pair) {
      this.partner.set(e.seq, e.pair.partnerSeq);
      if (!this.partner.has(e.pair.partnerSeq)) this.partner.set(e.pair.partnerSeq, e.seq);
      if (e.pair.rttMs !== undefined) {
        this.rtt.set(e.seq, e.pair.rttMs);
        this.rtt.set(e.pair.partnerSeq, e.pair.rttMs);
      }
    }
  }

  private insertSorted(e: ScopeEvent): void {
    const all = [...this.events, e].sort((a, b) => a.seq - b.seq);
    this.events.length = 0;
    this.indexOfSeq.clear();
    this.partner.clear();
    this.rtt.clear();
    this.perConn.clear();
    this.lastSeq = -1;
    for (const x of all) {
      this.events.push(x);
      this.indexOfSeq.set(x.seq, this.events.length - 1);
      this.lastSeq = Math.max(this.lastSeq, x.seq);
      this.learn(x);
    }
    this.setQuery(this.query);
  }

  setQuery(q: EventQuery): void {
    this.query = q;
    this.all = isEmptyQuery(q);
    this.matches = [];
    if (this.all) return;
    const { events } = this;
    for (let i = 0; i < events.length; i++) if (matchesQuery(events[i]!, q, this)) this.matches.push(i);
  }

  /** Number of rows the log shows under the current query. */
  get count(): number {
    return this.all ? this.events.length : this.matches.length;
  }

  at(row: number): ScopeEvent | undefined {
    return this.all ? this.events[row] : this.events[this.matches[row] ?? -1];
  }

  bySeq(seq: number): ScopeEvent | undefined {
    const i = this.indexOfSeq.get(seq);
    return i === undefined ? undefined : this.events[i];
  }

  /** The row showing an event under the current query, or -1 when the filter hides it. */
  rowOf(seq: number): number {
    const i = this.indexOfSeq.get(seq);
    if (i === undefined) return -1;
    if (this.all) return i;
    let lo = 0;
    let hi = this.matches.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.matches[mid]!;
      if (v === i) return mid;
      if (v < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  partnerOf(e: ScopeEvent): ScopeEvent | undefined {
    const p = this.partner.get(e.seq);
    return p === undefined ? undefined : this.bySeq(p);
  }

  rttOf = (e: ScopeEvent): number | undefined => {
    if (e.kind === 'ping' || e.kind === 'pong') return e.rttMs;
    return this.rtt.get(e.seq);
  };

  /** Empties the window (the engine and recordings keep everything); new events continue after the last seq. */
  clear(): void {
    this.trimmed += this.events.length;
    this.events.length = 0;
    this.indexOfSeq.clear();
    this.partner.clear();
    this.rtt.clear();
    this.perConn.clear();
    this.matches = [];
  }
}

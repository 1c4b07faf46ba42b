import type { EventQuery, ScopeApi } from '../../../shared/api';
import type { ConnectionInfo, ScopeEvent } from '../types';

const PAGE = 500;
/** Pages kept in memory; a million-event capture is read through the engine's index, never held whole here. */
const MAX_PAGES = 200;
/** Upgrades read in one go when a connection's is not among the pages read (each carries its handshake). */
const UPGRADES = PAGE;

/**
 * A capture source seen through the engine's queryEvents: pages are fetched as the log scrolls to them and
 * dropped least-recently-used, so the renderer stays small whatever the capture's size.
 */
export class CaptureView {
  total = 0;
  loaded = false;
  error: string | undefined;
  private readonly pages = new Map<number, ScopeEvent[]>();
  private readonly pending = new Set<number>();
  private generation = 0;
  private readonly partner = new Map<number, number>();
  private readonly rtt = new Map<number, number>();
  private readonly seen = new Map<number, ScopeEvent>();
  /** This capture's connections, from their upgrades: its c1 is its own, whatever the live c1 is. */
  private readonly conns = new Map<string, ConnectionInfo>();
  private upgradesAsked = false;
  /** How many upgrades the last ask for the first ones returned. */
  private upgradesRead = 0;
  private readonly askedFor = new Set<string>();

  constructor(
    private readonly api: ScopeApi,
    readonly sourceId: string,
    private query: EventQuery,
    private readonly changed: () => void,
  ) {
    this.fetchPage(0);
  }

  setQuery(q: EventQuery): void {
    this.query = q;
    this.generation++;
    this.pages.clear();
    this.pending.clear();
    this.loaded = false;
    this.fetchPage(0);
  }

  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * The capture is still being indexed and has grown: re-read the current query, at most twice a second, keeping
   * the loaded pages on screen until the new ones arrive (no flicker while a big file is read).
   */
  refresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      // The capture grew: upgrades not there when they were asked for may be now (the first ones were all read).
      if (this.upgradesRead < UPGRADES) this.upgradesAsked = false;
      this.askedFor.clear();
      const pages = [...this.pages.keys()];
      this.generation++;
      this.pending.clear();
      for (const p of pages.length > 0 ? pages : [0]) this.fetchPage(p);
    }, 500);
  }

  get count(): number {
    return this.total;
  }

  at(row: number): ScopeEvent | undefined {
    const page = this.pages.get(Math.floor(row / PAGE));
    return page?.[row % PAGE];
  }

  /** Makes sure the rows in [start, end] are loaded or on their way. */
  ensure(start: number, end: number): void {
    for (let p = Math.floor(Math.max(0, start) / PAGE); p <= Math.floor(Math.max(0, end) / PAGE); p++) {
      if (!this.pages.has(p)) this.fetchPage(p);
    }
  }

  /** The row of an event among the loaded pages, or -1. */
  rowOf(seq: number): number {
    for (const [p, events] of this.pages) {
      const i = events.findIndex((e) => e.seq === seq);
      if (i >= 0) return p * PAGE + i;
    }
    return -1;
  }

  bySeq(seq: number): ScopeEvent | undefined {
    return this.seen.get(seq);
  }

  partnerOf(e: ScopeEvent): ScopeEvent | undefined {
    const p = this.partner.get(e.seq);
    return p === undefined ? undefined : this.seen.get(p);
  }

  rttOf = (e: ScopeEvent): number | undefined => {
    if (e.kind === 'ping' || e.kind === 'pong') return e.rttMs;
    return this.rtt.get(e.seq);
  };

  /**
   * A connection of this capture as its upgrade (`opened` event) described it. When one is not among the pages read,
   * the capture's first upgrades are asked of the engine at once (not one query a row); `ask` (one connection on
   * screen, as the detail pane shows) also asks for that connection's own upgrade. The view reports a change when
   * an answer teaches it a connection.
   */
  connectionOf(conn: string, ask = false): ConnectionInfo | undefined {
    const known = this.conns.get(conn);
    if (known || conn === '') return known;
    if (!this.upgradesAsked) {
      this.upgradesAsked = true;
      this.askUpgrades({ filter: 'kind:opened' }, UPGRADES, (n) => (this.upgradesRead = n));
    }
    if (ask && !this.askedFor.has(conn)) {
      this.askedFor.add(conn);
      this.askUpgrades({ connection: conn, filter: 'kind:opened' }, 1);
    }
    return undefined;
  }

  private askUpgrades(query: EventQuery, limit: number, read?: (n: number) => void): void {
    this.api.queryEvents(this.sourceId, query, 0, limit).then(
      (page) => {
        read?.(page.events.length);
        let learned = false;
        for (const e of page.events) {
          if (e.kind !== 'opened' || this.conns.has(e.conn)) continue;
          this.conns.set(e.conn, e.connection);
          learned = true;
        }
        if (learned) this.changed();
      },
      () => undefined,
    );
  }

  private fetchPage(p: number): void {
    if (this.pending.has(p)) return;
    this.pending.add(p);
    const generation = this.generation;
    this.api.queryEvents(this.sourceId, this.query, p * PAGE, PAGE).then(
      (page) => {
        if (generation !== this.generation) return;
        this.pending.delete(p);
        this.total = page.total;
        this.loaded = true;
        this.error = undefined;
        this.pages.set(p, page.events);
        this.learn(page.events);
        while (this.pages.size > MAX_PAGES) {
          const oldest = this.pages.keys().next().value;
          if (oldest === undefined) break;
          this.pages.delete(oldest);
        }
        this.changed();
      },
      (err: unknown) => {
        if (generation !== this.generation) return;
        this.pending.delete(p);
        this.error = err instanceof Error ? err.message : String(err);
        this.loaded = true;
        this.changed();
      },
    );
  }

  /** Pairs and round trips of events read, so a request shows the RTT its response carries. */
  private learn(events: readonly ScopeEvent[]): void {
    for (const e of events) {
      if (this.seen.size > MAX_PAGES * PAGE) this.seen.clear();
      this.seen.set(e.seq, e);
      if (e.kind === 'opened') {
        // Bounded as the events seen are: a capture of a million connections is read through, not held.
        if (this.conns.size > MAX_PAGES * PAGE) this.conns.clear();
        this.conns.set(e.conn, e.connection);
      }
      if (e.kind === 'frame' && e.pair) {
        this.partner.set(e.seq, e.pair.partnerSeq);
        this.partner.set(e.pair.partnerSeq, e.seq);
        if (e.pair.rttMs !== undefined) {
          this.rtt.set(e.seq, e.pair.rttMs);
          this.rtt.set(e.pair.partnerSeq, e.pair.rttMs);
        }
      }
    }
  }

  get currentQuery(): EventQuery {
    return this.query;
  }

  /** Every row under the current filter, read in big pages; undefined when there are more than `limit`. */
  async readAll(limit: number): Promise<ScopeEvent[] | undefined> {
    const out: ScopeEvent[] = [];
    const step = 5000;
    for (let offset = 0; offset <= limit; offset += step) {
      const page = await this.api.queryEvents(this.sourceId, this.query, offset, step);
      if (page.total > limit) return undefined;
      out.push(...page.events);
      this.learn(page.events);
      if (out.length >= page.total || page.events.length === 0) return out;
    }
    return out;
  }

  /** Finds the partner of an event the page cache does not hold, by its message id on the same connection. */
  async findPartner(e: ScopeEvent): Promise<ScopeEvent | undefined> {
    const known = this.partnerOf(e);
    if (known || e.kind !== 'frame' || !e.msg) return known;
    const page = await this.api.queryEvents(this.sourceId, { connection: e.conn, text: e.msg.id }, 0, 50);
    const partnerSeq = e.pair?.partnerSeq;
    const found = page.events.find(
      (x) =>
        x.seq !== e.seq &&
        x.kind === 'frame' &&
        (partnerSeq !== undefined ? x.seq === partnerSeq : x.msg?.id === e.msg?.id && x.sender !== e.sender),
    );
    if (found) {
      this.seen.set(found.seq, found);
      this.partner.set(e.seq, found.seq);
      this.partner.set(found.seq, e.seq);
      if (found.kind === 'frame' && found.pair?.rttMs !== undefined) this.rtt.set(e.seq, found.pair.rttMs);
    }
    return found;
  }
}

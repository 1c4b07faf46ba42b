import type { EngineNotice } from '../../shared/api';
import type { ScopeEvent } from '../../shared/capture/events';

/**
 * Notices a slow bridge client has not taken yet, merged so that memory stays bounded however long it lags: event
 * batches of one source are appended up to `maxEvents` in all, beyond that a source's pending events are dropped and
 * only counted (the client gets a `resync` notice and re-queries); status notices keep only the newest per kind.
 */
export class NoticeBacklog {
  private events = new Map<string, ScopeEvent[]>();
  private missed = new Map<string, number>();
  private latest = new Map<string, EngineNotice>();
  private eventCount = 0;

  constructor(private readonly maxEvents: number) {}

  get empty(): boolean {
    return this.events.size === 0 && this.missed.size === 0 && this.latest.size === 0;
  }

  add(notices: readonly EngineNotice[]): void {
    for (const n of notices) {
      if (n.type === 'events') this.addEvents(n.sourceId, n.events);
      else if (n.type === 'resync') this.miss(n.sourceId, n.missed);
      else {
        const key = n.type === 'source' ? `source:${n.source.id}` : n.type;
        this.latest.delete(key);
        this.latest.set(key, n);
      }
    }
  }

  private addEvents(sourceId: string, events: ScopeEvent[]): void {
    // Once a source overflowed, later events are counted too: the client re-queries the whole gap anyway.
    if (this.missed.has(sourceId) || this.eventCount + events.length > this.maxEvents) {
      const dropped = this.events.get(sourceId) ?? [];
      this.events.delete(sourceId);
      this.eventCount -= dropped.length;
      this.miss(sourceId, dropped.length + events.length);
      return;
    }
    let list = this.events.get(sourceId);
    if (!list) this.events.set(sourceId, (list = []));
    for (const e of events) list.push(e);
    this.eventCount += events.length;
  }

  private miss(sourceId: string, count: number): void {
    this.missed.set(sourceId, (this.missed.get(sourceId) ?? 0) + count);
  }

  /** Everything pending as one batch (events first, as the engine sends them), and empties the backlog. */
  take(): EngineNotice[] {
    const out: EngineNotice[] = [];
    for (const [sourceId, events] of this.events) out.push({ type: 'events', sourceId, events });
    out.push(...this.latest.values());
    for (const [sourceId, missed] of this.missed) out.push({ type: 'resync', sourceId, missed });
    this.events = new Map();
    this.missed = new Map();
    this.latest = new Map();
    this.eventCount = 0;
    return out;
  }
}

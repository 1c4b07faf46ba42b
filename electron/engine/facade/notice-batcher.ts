import type { EngineNotice } from '../../../shared/api';
import type { ScopeEvent } from '../../../shared/capture/events';

export type NoticeListener = (notices: EngineNotice[]) => void;

/**
 * Collects notices and delivers them at most once per interval: events are appended (never dropped), status notices
 * of one kind keep only the newest (only the current state matters).
 */
export class NoticeBatcher {
  private events = new Map<string, ScopeEvent[]>();
  private latest = new Map<string, EngineNotice>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<NoticeListener>();

  constructor(private readonly intervalMs = 50) {}

  subscribe(listener: NoticeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  pushEvent(sourceId: string, event: ScopeEvent): void {
    let list = this.events.get(sourceId);
    if (!list) this.events.set(sourceId, (list = []));
    list.push(event);
    this.schedule();
  }

  pushStatus(notice: Exclude<EngineNotice, { type: 'events' }>): void {
    const key = notice.type === 'source' ? `source:${notice.source.id}` : notice.type;
    this.latest.delete(key);
    this.latest.set(key, notice);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Delivers everything pending now (also used on shutdown). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const notices: EngineNotice[] = [];
    for (const [sourceId, events] of this.events) notices.push({ type: 'events', sourceId, events });
    notices.push(...this.latest.values());
    this.events = new Map();
    this.latest = new Map();
    if (notices.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(notices);
      } catch {
        // One broken UI channel must not stop the others.
      }
    }
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}

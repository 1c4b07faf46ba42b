import { EventEmitter } from 'node:events';
import type { ConnectionStatus, HeldCall } from '../../shared/api';
import { AutoAnswerBook } from './auto-answer';
import type { Connection } from './connection';
import { EventStream } from './event-stream';

let connectionCounter = 0;

/** Closed connections kept for listing; older ones are forgotten so long sessions do not grow without bound. */
const KEEP_CLOSED = 200;

/**
 * Every connection of the engine, endpoint and station alike, with one event stream and one auto-answer book.
 * Emits 'connections' (ConnectionStatus[]) when a connection is added or changes state, and 'held' (HeldCall[])
 * when the held calls change, so the facade can push notices.
 */
export class ConnectionHub extends EventEmitter {
  private readonly all = new Map<string, Connection>();
  private scheduled = false;
  private pruneDue = false;

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
    connection.on('held', () => this.emit('held', this.held()));
    this.changed(connection);
  }

  /**
   * State changes are coalesced into one 'connections' notice per turn of the event loop: a thousand chargers
   * connecting at once must not cost a thousand full listings.
   */
  private changed(connection: Connection): void {
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
    return this.list().map((c) => c.status());
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
  }
}

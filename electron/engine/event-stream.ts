import { performance } from 'node:perf_hooks';
import type { ScopeEvent, UnstampedEvent } from '../../shared/capture/events';

export type EventListener = (event: ScopeEvent) => void;

/**
 * The engine's append-only event stream: stamps each event with its seq and clocks, then hands it to every
 * listener synchronously (the recorder, the live store, the UI batcher). A throwing listener is isolated so one
 * broken consumer cannot stop recording.
 */
export class EventStream {
  private nextSeq = 0;
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  emit<E extends UnstampedEvent>(event: E): E & { seq: number; t: number; mono: number } {
    const stamped = { ...event, seq: this.nextSeq++, t: Date.now(), mono: performance.now() } as E & {
      seq: number;
      t: number;
      mono: number;
    };
    for (const listener of this.listeners) {
      try {
        listener(stamped as unknown as ScopeEvent);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    return stamped;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get count(): number {
    return this.nextSeq;
  }
}

import { performance } from 'node:perf_hooks';
import type { ScopeEvent, UnstampedEvent } from '../../../shared/capture/events';
import { DOUBLE_ZERO } from './double-zero';

export type EventListener = (event: ScopeEvent) => void;

/**
 * How long (monotonic ms) a reading of the wall clock's offset from the monotonic one serves: about Date.now()'s own
 * resolution, so a time converted with it is as true as one converted with a fresh reading.
 */
const OFFSET_FRESH_MS = 1;

/**
 * The engine's append-only event stream: stamps each event with its seq and clocks, then hands it to every
 * listener synchronously (the recorder, the live store, the UI batcher). A throwing listener is isolated so one
 * broken consumer cannot stop recording.
 */
export class EventStream {
  private nextSeq = 0;
  private readonly listeners = new Set<EventListener>();
  /** Date.now() - performance.now() as last read, and the monotonic and wall times it was read at (see wallAt). */
  private offset = DOUBLE_ZERO;
  private offsetAt = Number.NEGATIVE_INFINITY;
  private offsetWall = Number.NEGATIVE_INFINITY;

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /**
   * Stamps the event in place (seq, t, mono) rather than copying it: this runs once per frame on the hot path, and a
   * spread copy of every event measured about 30 times slower. Callers hand over the object they built.
   */
  /**
   * `at` is the monotonic time the event happened when that was earlier than now: a frame's time at the wire (read
   * from or handed to the socket), so the tool's own parsing, validation and recording never shift it.
   */
  emit<E extends UnstampedEvent>(event: E, at?: number): E & { seq: number; t: number; mono: number } {
    const stamped = event as E & { seq: number; t: number; mono: number };
    stamped.seq = this.nextSeq++;
    if (at === undefined) {
      stamped.t = Date.now();
      stamped.mono = performance.now();
    } else {
      stamped.t = this.wallAt(at);
      stamped.mono = at;
    }
    for (const listener of this.listeners) {
      try {
        listener(stamped as unknown as ScopeEvent);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    return stamped;
  }

  /**
   * The wall-clock time (ms since the epoch, rounded) of the monotonic time `at`. The two clocks' offset is read
   * afresh unless it was read within a millisecond of `at` (before or after it: the answer path stamps times read
   * before the reading) and the wall clock has moved on by a millisecond at most since: the monotonic clock stands
   * still while the machine sleeps, so a reading taken just before a suspend would otherwise still look fresh after
   * the resume, hours off the wall clock (a clock adjustment is caught the same way). The wall clock is read for
   * every stamp, the monotonic one only for a new reading, where the offset changes only by Date.now()'s rounding
   * (under 1 ms). Not a timer that ends the reading with the turn of the event loop: a setImmediate per turn cost
   * each turn a second pass of the loop (the loop polls without waiting while an immediate is due), about a tenth
   * of a station's CPU per call.
   */
  wallAt(at: number): number {
    const wall = Date.now();
    const aged = wall - this.offsetWall;
    if (!(Math.abs(at - this.offsetAt) < OFFSET_FRESH_MS && aged >= 0 && aged <= OFFSET_FRESH_MS)) {
      const mono = performance.now();
      this.offset = wall - mono;
      this.offsetAt = mono;
      this.offsetWall = wall;
    }
    return Math.round(at + this.offset);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get count(): number {
    return this.nextSeq;
  }
}

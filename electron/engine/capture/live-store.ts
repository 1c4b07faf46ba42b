import { performance } from 'node:perf_hooks';
import type { SourceInfo } from '../../../shared/api';
import type { ScopeEvent } from '../../../shared/capture/events';
import type { EventStream } from '../connections/event-stream';
import { MemorySource } from './memory-source';

export const LIVE_SOURCE_ID = 'live';

/** Default memory budget of the live session: frames can be 1 MB each, so a count alone does not bound memory. */
export const DEFAULT_LIVE_MAX_BYTES = 256 * 1024 * 1024;

/** A new note is written when dropping resumes after this long without a drop. */
const EPISODE_GAP_MS = 10_000;

/**
 * The live session as a source: the engine's stream, queryable while it grows. Bounded by event count and by an
 * estimate of the bytes its events hold; the oldest events go first (the recorder keeps everything on disk), and the
 * first drop of each episode puts a note on the stream saying so.
 */
export class LiveStore extends MemorySource {
  private readonly unsubscribe: () => void;
  /** Estimated size of each event still in `list`, oldest first, from `head` on. */
  private sizes: number[] = [];
  private head = 0;
  private bytes = 0;
  private droppedForBytes = 0;
  private lastDropAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly stream: EventStream,
    maxEvents = 200_000,
    private readonly maxBytes = DEFAULT_LIVE_MAX_BYTES,
  ) {
    super(LIVE_SOURCE_ID, 'live', 'Live session', [], [], [], maxEvents);
    this.unsubscribe = stream.subscribe((e) => this.append(e));
  }

  override append(e: ScopeEvent): void {
    // Called by the base constructor too, before the fields above exist: nothing is stored then.
    if ((this.sizes as number[] | undefined) === undefined) return super.append(e);
    super.append(e);
    const size = approxBytes(e);
    this.sizes.push(size);
    this.bytes += size;
    // The base class dropped the oldest tenth by count: forget their sizes.
    const countDropped = this.sizes.length - this.head - this.list.length;
    if (countDropped > 0) this.forget(countDropped);
    if (this.bytes > this.maxBytes) this.dropForBytes();
  }

  private forget(n: number): number {
    let freed = 0;
    for (let i = 0; i < n; i++) freed += this.sizes[this.head + i] ?? 0;
    this.head += n;
    this.bytes -= freed;
    if (this.head > 4096 && this.head * 2 > this.sizes.length) {
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
    return freed;
  }

  /** Drops the oldest events down to 90% of the budget: one slice per many appends, not one per event. */
  private dropForBytes(): void {
    const target = this.maxBytes * 0.9;
    let n = 0;
    let freed = 0;
    // The newest event always stays, even when it alone is over the budget.
    while (n < this.list.length - 1 && this.bytes - freed > target) freed += this.sizes[this.head + n++] ?? 0;
    if (n === 0) return;
    this.forget(n);
    this.list = this.list.slice(n);
    // The base class's query cache indexes into the list: it is stale now.
    (this as unknown as { cache: unknown }).cache = undefined;
    this.droppedForBytes += n;
    const now = performance.now();
    const newEpisode = now - this.lastDropAt > EPISODE_GAP_MS;
    this.lastDropAt = now;
    if (newEpisode)
      // After the current event has reached every listener: a nested emit would reach the recorder out of order.
      queueMicrotask(() =>
        this.stream.emit({
          kind: 'note',
          // The session's, not one connection's.
          conn: '',
          source: 'engine',
          text: `Older live events were dropped from memory to stay within ${formatBytes(this.maxBytes)}; they remain in the recording if recording is on.`,
          findings: [
            {
              code: 'live-events-dropped',
              severity: 'info',
              message: `Live events past a memory budget of ${formatBytes(this.maxBytes)} are dropped from memory, oldest first.`,
            },
          ],
        }),
      );
  }

  /** Estimated bytes held in memory by the live events (for tests and diagnostics). */
  get heldBytes(): number {
    return this.bytes;
  }

  override info(): SourceInfo {
    const info = super.info();
    if (this.droppedForBytes > 0)
      info.findings.push({
        code: 'live-events-dropped',
        severity: 'info',
        message: `The oldest ${this.droppedForBytes} events were dropped from memory to stay within ${formatBytes(this.maxBytes)}; record to keep everything.`,
      });
    return info;
  }

  detach(): void {
    this.unsubscribe();
  }
}

/** A rough upper estimate of an event's memory: its strings plus a fixed overhead for the objects around them. */
function approxBytes(e: ScopeEvent): number {
  let n = 256;
  switch (e.kind) {
    case 'frame':
      n += e.text.length * 2;
      for (const f of e.findings) n += 128 + f.message.length * 2;
      break;
    case 'opened':
      n += 2048 + (e.handshake.response?.body?.length ?? 0) * 2;
      break;
    case 'note':
      n += e.text.length * 2;
      break;
    case 'error':
      n += e.message.length * 2;
      break;
    default:
      break;
  }
  return n;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} KB`;
}

import type { EventStream } from '../event-stream';
import { MemorySource } from './memory-source';

export const LIVE_SOURCE_ID = 'live';

/**
 * The live session as a source: the engine's stream, queryable while it grows. Bounded (a live event with its text
 * and findings is around 1 KB in memory); the recorder keeps everything on disk.
 */
export class LiveStore extends MemorySource {
  private readonly unsubscribe: () => void;

  constructor(stream: EventStream, maxEvents = 200_000) {
    super(LIVE_SOURCE_ID, 'live', 'Live session', [], [], [], maxEvents);
    this.unsubscribe = stream.subscribe((e) => this.append(e));
  }

  detach(): void {
    this.unsubscribe();
  }
}

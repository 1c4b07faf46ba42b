import type { EventStream } from '../event-stream';
import { MemorySource } from './memory-source';

export const LIVE_SOURCE_ID = 'live';

/** The live session as a source: every event of the engine's stream, queryable while it grows. */
export class LiveStore extends MemorySource {
  private readonly unsubscribe: () => void;

  constructor(stream: EventStream, maxEvents = 1_000_000) {
    super(LIVE_SOURCE_ID, 'live', 'Live session', [], [], [], maxEvents);
    this.unsubscribe = stream.subscribe((e) => this.append(e));
  }

  detach(): void {
    this.unsubscribe();
  }
}

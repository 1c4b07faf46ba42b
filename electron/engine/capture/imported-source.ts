import type { EventPage, EventQuery, SourceInfo } from '../../../shared/api';
import type { ConnectionInfo, Finding, ScopeEvent } from '../../../shared/capture/events';
import type { CaptureFile } from './capture-file';
import type { EventSource, SourceStats } from './event-source';

/**
 * An imported file (pcap, HAR) whose events were spooled to a private capture file: it reads like that capture
 * (streamed through its index), under the imported file's name, with the import's findings (a cut stream, a
 * truncated file, TLS) first and its connections as the import listed them.
 */
export class ImportedSource implements EventSource {
  readonly kind = 'capture' as const;

  constructor(
    private readonly file: CaptureFile,
    readonly name: string,
    private readonly findings: readonly Finding[],
    private readonly conns: readonly ConnectionInfo[],
    /** After the capture closed: removes the private directory it was spooled to. */
    private readonly disposed: () => Promise<void>,
  ) {}

  get id(): string {
    return this.file.id;
  }

  info(): SourceInfo {
    const own = this.file.info();
    return { ...own, name: this.name, findings: [...this.findings, ...own.findings] };
  }

  stats(): SourceStats {
    return this.file.stats();
  }

  connections(): ConnectionInfo[] {
    // The capture knows each connection from its header or its opened event: by id, in the import's order first.
    const byId = new Map<string, ConnectionInfo>();
    for (const c of this.conns) byId.set(c.id, c);
    for (const c of this.file.connections()) byId.set(c.id, c);
    return [...byId.values()];
  }

  query(query: EventQuery, offset: number, limit: number): Promise<EventPage> {
    return this.file.query(query, offset, limit);
  }

  events(): AsyncIterable<ScopeEvent> {
    return this.file.events();
  }

  whenIndexed(): Promise<void> {
    return this.file.whenIndexed();
  }

  async close(): Promise<void> {
    try {
      await this.file.close();
    } finally {
      await this.disposed();
    }
  }
}

import type { EventPage, EventQuery, SourceInfo } from '../../../shared/api';
import type { EventStream } from '../connections/event-stream';
import type { EventSource } from './event-source';
import { sniffCompression } from './compressed';
import { exportToString } from './export-source';
import { LIVE_SOURCE_ID, LiveStore } from './live-store';
import { detectFormat, openSourceData, openSourceFile } from './open-source';
import type { OpenOptions } from './open-source';
import { sweepSpoolDirs } from './spool-dir';
import { openSpooled } from './spooled-source';
import { UploadSpool } from './upload-spool';
import type { UploadSpoolOptions } from './upload-spool';

/**
 * The sources part of EngineApi in one place: the live session plus every opened file, with the same query for all.
 * The facade (scope-engine.ts) can delegate listSources/openFile/openContent/closeSource/queryEvents/exportSource here.
 */
export interface CaptureSourcesOptions {
  tool: string;
  liveLimit?: number;
  /** A source changed (opened, indexing progressed, finished): for the UI's 'source' notice. */
  onSource?: (info: SourceInfo) => void;
  /** Limits of files sent in chunks from the browser (tests lower them). */
  uploads?: UploadSpoolOptions;
}

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

export class CaptureSources {
  readonly live: LiveStore;
  readonly uploads: UploadSpool;
  private readonly sources = new Map<string, EventSource>();
  private next = 1;

  constructor(
    stream: EventStream,
    private readonly options: CaptureSourcesOptions,
  ) {
    this.live = new LiveStore(stream, options.liveLimit);
    this.uploads = new UploadSpool(options.uploads);
    this.sources.set(LIVE_SOURCE_ID, this.live);
    // What a crashed run left in its private spool directories (imports, uploads) goes now.
    void sweepSpoolDirs().catch(() => undefined);
  }

  list(): SourceInfo[] {
    return [...this.sources.values()].map(describeSource);
  }

  get(id: string): EventSource {
    const s = this.sources.get(id);
    if (!s) throw new SourceError(`There is no open source ${JSON.stringify(id)}.`);
    return s;
  }

  openFile(path: string): Promise<SourceInfo> {
    return this.add((options) => openSourceFile(path, options));
  }

  openContent(name: string, data: string, encoding: 'utf8' | 'base64'): Promise<SourceInfo> {
    const bytes = encoding === 'base64' ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8');
    // Captures are indexed from a temporary file (any size, little memory), and HAR and pcap imports spool their
    // events to one: their events (often ten times the file's size) never all stay in memory.
    return this.add(async (options) =>
      detectFormat(bytes.subarray(0, 4096), name) !== 'unknown' || sniffCompression(bytes.subarray(0, 8))
        ? openSpooled(name, bytes, options)
        : openSourceData(name, bytes, options.id),
    );
  }

  /** The last step of an upload (see UploadSpool): the file it wrote opens as a source. */
  finishUpload(uploadId: string): Promise<SourceInfo> {
    return this.add((options) => this.uploads.finish(uploadId, options));
  }

  /** Opens a source under the next id, reporting its indexing progress, and lists it once it is open. */
  private async add(open: (options: OpenOptions) => Promise<EventSource>): Promise<SourceInfo> {
    const id = `source-${this.next++}`;
    const source = await open({ id, onProgress: (s) => this.options.onSource?.(describeSource(s)) });
    this.sources.set(id, source);
    const info = describeSource(source);
    this.options.onSource?.(info);
    return info;
  }

  async close(id: string): Promise<void> {
    if (id === LIVE_SOURCE_ID) throw new SourceError('The live session cannot be closed.');
    const s = this.get(id);
    this.sources.delete(id);
    await s.close();
  }

  query(id: string, query: EventQuery, offset: number, limit: number): Promise<EventPage> {
    return this.get(id).query(query, offset, limit);
  }

  export(id: string, format: 'capture' | 'har', redact: boolean): Promise<{ name: string; data: string }> {
    return exportToString(this.get(id), { format, redact, tool: this.options.tool });
  }

  async closeAll(): Promise<void> {
    this.live.detach();
    await this.uploads.closeAll();
    for (const [id, s] of this.sources) if (id !== LIVE_SOURCE_ID) await s.close();
    this.sources.clear();
  }
}

/** Connections named in a SourceInfo at most: enough for any real capture, bounded for a hostile one. */
const MAX_NAMED = 2000;

/**
 * A source's info with its connections' identities, so the UI names a capture's (HAR's, pcap's) connections by
 * their charge point identity rather than by ids such as har-1, pcap-2 or a c1 that a live connection also uses.
 */
export function describeSource(source: EventSource): SourceInfo {
  const connections = source
    .connections()
    .slice(0, MAX_NAMED)
    .filter((c) => c.identity !== '')
    .map((c) => ({ id: c.id, identity: c.identity }));
  return { ...source.info(), connections };
}

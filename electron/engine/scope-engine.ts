import { writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type {
  AppSettings,
  AutoAnswerPolicy,
  ConnectionStatus,
  EndpointSettings,
  EndpointStatus,
  EngineApi,
  EngineNotice,
  EventPage,
  EventQuery,
  HeldCall,
  RecordingStatus,
  ReplaySettings,
  ReplayStatus,
  SendResult,
  SourceInfo,
  StationSettings,
} from '../../shared/api';
import { defaultAppSettings } from '../../shared/api-defaults';
import { validateAppSettings } from '../../shared/api-validate';
import type { ConnectionInfo, Finding, ScopeEvent } from '../../shared/capture/events';
import { decodeCapture, encodeCapture, makeHeader } from '../../shared/capture/format';
import { eventsToHar, harToEvents } from '../../shared/capture/har';
import { matchesQuery } from '../../shared/capture/query';
import { redactEvent } from '../../shared/capture/redact';
import { Recorder } from './capture/recorder';
import { EventStream } from './event-stream';

/**
 * The facade the Electron app and the serve host drive: it implements the UI/engine contract over the engine's parts
 * (endpoint, station, recorder, captures, replay) and pushes what changed to the UI in batches, at most every ~50 ms,
 * so that a flood of frames never floods the UI. Anything a part of this build cannot do fails with a clear
 * 'not-available' error; nothing pretends to succeed.
 */

export const TOOL_NAME = 'OCPP Scope';
export const TOOL_VERSION = '0.1.0';
export const LIVE_SOURCE_ID = 'live';

/** An error the UI shows as is; `code` survives the IPC and bridge replies (see shared/api-bridge.ts). */
export class EngineError extends Error {
  constructor(
    readonly code: 'not-available' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

const notAvailable = (what: string): EngineError =>
  new EngineError('not-available', `${what} is not available in this build yet.`);

export interface SettingsBackend {
  load(): AppSettings;
  save(settings: AppSettings): AppSettings;
}

export interface ScopeEngineOptions {
  /** Where captures are recorded (a `captures` folder is made inside). */
  dataDir: string;
  /** Persistence for the settings (Electron: the settings store); in memory when absent. */
  settings?: SettingsBackend;
  /** A native file dialog (Electron); serve mode has none and answers undefined. */
  chooseFile?: (purpose: 'open' | 'save', suggestedName?: string) => Promise<string | undefined>;
  noticeIntervalMs?: number;
  /** How many live events are kept in memory for queries (the recording on disk keeps everything). */
  liveLimit?: number;
}

type NoticeListener = (notices: EngineNotice[]) => void;

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

/** A set of events held in memory: the live session, or a small capture opened from content. */
class MemorySource {
  readonly events: ScopeEvent[] = [];
  readonly connections = new Map<string, ConnectionInfo>();
  dropped = 0;

  constructor(
    readonly id: string,
    readonly kind: 'live' | 'capture',
    readonly name: string,
    readonly findings: Finding[] = [],
    private readonly limit = Number.POSITIVE_INFINITY,
  ) {}

  add(event: ScopeEvent): void {
    if (event.kind === 'opened') this.connections.set(event.conn, event.connection);
    this.events.push(event);
    if (this.events.length > this.limit) {
      // Keep memory bounded in a days-long session; the recording on disk keeps everything.
      const drop = Math.ceil(this.limit / 10);
      this.events.splice(0, drop);
      this.dropped += drop;
    }
  }

  info(): SourceInfo {
    const findings = [...this.findings];
    if (this.dropped > 0) {
      findings.push({
        code: 'live-events-trimmed',
        severity: 'info',
        message: `The ${this.dropped} oldest live events were dropped from memory; record the session to keep everything.`,
      });
    }
    return {
      id: this.id,
      kind: this.kind,
      name: this.name,
      events: this.events.length,
      indexing: false,
      findings,
    };
  }

  query(query: EventQuery, offset: number, limit: number): EventPage {
    const ctx = { identityOf: (conn: string) => this.connections.get(conn)?.identity };
    const matched = this.events.filter((e) => matchesQuery(e, query, ctx));
    return { total: matched.length, offset, events: matched.slice(offset, offset + limit) };
  }
}

const CAPTURE_EXTENSIONS = ['.jsonl', '.ocppcap', '.json'];

export class ScopeEngine implements EngineApi {
  readonly stream: EventStream;
  private readonly batcher: NoticeBatcher;
  private readonly live: MemorySource;
  private readonly sources = new Map<string, MemorySource>();
  private readonly connectionTable = new Map<string, ConnectionStatus>();
  private readonly recorder: Recorder;
  private settings: AppSettings;
  private autoAnswer: AutoAnswerPolicy[];
  private readonly savePaths = new Set<string>();
  private nextSourceId = 1;
  private closed = false;

  constructor(private readonly options: ScopeEngineOptions) {
    this.stream = new EventStream();
    this.batcher = new NoticeBatcher(options.noticeIntervalMs ?? 50);
    this.live = new MemorySource(LIVE_SOURCE_ID, 'live', 'Live session', [], options.liveLimit ?? 500_000);
    this.sources.set(LIVE_SOURCE_ID, this.live);
    this.settings = options.settings?.load() ?? defaultAppSettings();
    this.autoAnswer = this.settings.autoAnswer;
    this.recorder = new Recorder(this.stream, {
      folder: join(options.dataDir, 'captures'),
      tool: `${TOOL_NAME} ${TOOL_VERSION}`,
      onStatus: (status) => this.batcher.pushStatus({ type: 'recording', status }),
    });
    this.stream.subscribe((event) => this.onEvent(event));
  }

  /** Batches of notices for the UI (IPC or bridge). */
  onNotices(listener: NoticeListener): () => void {
    return this.batcher.subscribe(listener);
  }

  private onEvent(event: ScopeEvent): void {
    this.live.add(event);
    this.batcher.pushEvent(LIVE_SOURCE_ID, event);
    if (this.trackConnection(event)) {
      this.batcher.pushStatus({ type: 'connections', connections: [...this.connectionTable.values()] });
    }
  }

  /** Keeps the connection table from the event stream alone, so it is right whichever part produced the events. */
  private trackConnection(event: ScopeEvent): boolean {
    if (event.kind === 'opened') {
      this.connectionTable.set(event.conn, {
        ...event.connection,
        state: event.ok ? 'open' : 'failed',
        since: event.t,
        frames: 0,
        bytes: 0,
        findings: event.handshake.findings.length,
      });
      return true;
    }
    const status = this.connectionTable.get(event.conn);
    if (!status) return false;
    if (event.kind === 'frame') {
      status.frames++;
      status.bytes += event.text.length;
      status.findings += event.findings.length;
      if (event.pair?.rttMs !== undefined) status.lastRttMs = event.pair.rttMs;
      return true;
    }
    if (event.kind === 'closed') {
      status.state = 'closed';
      status.since = event.t;
      return true;
    }
    return false;
  }

  async getSettings(): Promise<AppSettings> {
    return structuredClone(this.settings);
  }

  async saveSettings(settings: AppSettings): Promise<AppSettings> {
    const check = validateAppSettings(settings);
    if (!check.ok) throw new EngineError('failed', `The settings were not saved: ${check.error}.`);
    this.settings = this.options.settings ? this.options.settings.save(settings) : structuredClone(settings);
    return structuredClone(this.settings);
  }

  async startEndpoint(_settings: EndpointSettings): Promise<EndpointStatus> {
    throw notAvailable('The endpoint');
  }

  async stopEndpoint(): Promise<EndpointStatus> {
    return { running: false, urls: [] };
  }

  async getEndpointStatus(): Promise<EndpointStatus> {
    return { running: false, urls: [] };
  }

  async connectStation(_settings: StationSettings): Promise<{ connectionId: string }> {
    throw notAvailable('The station');
  }

  async disconnect(connectionId: string): Promise<void> {
    throw new EngineError('failed', `There is no open connection ${JSON.stringify(connectionId)}.`);
  }

  async listConnections(): Promise<ConnectionStatus[]> {
    return [...this.connectionTable.values()].map((c) => ({ ...c }));
  }

  async send(connectionId: string, _text: string): Promise<SendResult> {
    throw new EngineError('failed', `There is no open connection ${JSON.stringify(connectionId)}.`);
  }

  async listHeld(): Promise<HeldCall[]> {
    return [];
  }

  async answerHeld(connectionId: string, messageId: string, _text: string): Promise<SendResult> {
    throw new EngineError(
      'failed',
      `No held call ${JSON.stringify(messageId)} on connection ${JSON.stringify(connectionId)}.`,
    );
  }

  async setAutoAnswer(policies: AutoAnswerPolicy[]): Promise<void> {
    this.autoAnswer = structuredClone(policies);
  }

  /** The policies now in force (for the endpoint and station parts). */
  autoAnswerPolicies(): AutoAnswerPolicy[] {
    return structuredClone(this.autoAnswer);
  }

  async setRecording(on: boolean): Promise<RecordingStatus> {
    if (on) {
      try {
        return this.recorder.start();
      } catch (error) {
        throw new EngineError('failed', `Recording could not start: ${(error as Error).message}`);
      }
    }
    return this.recorder.stop();
  }

  async getRecording(): Promise<RecordingStatus> {
    return this.recorder.status();
  }

  async listSources(): Promise<SourceInfo[]> {
    return [...this.sources.values()].map((s) => s.info());
  }

  async openFile(path: string): Promise<SourceInfo> {
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'there is no such file'
          : code === 'EISDIR'
            ? 'it is a folder'
            : (error as Error).message;
      throw new EngineError('failed', `Could not open ${path}: ${why}.`);
    }
    return this.openData(basename(path), data);
  }

  async openContent(name: string, data: string, encoding: 'utf8' | 'base64'): Promise<SourceInfo> {
    return this.openData(name, Buffer.from(data, encoding));
  }

  private openData(name: string, data: Buffer): SourceInfo {
    const ext = extname(name).toLowerCase();
    let events: ScopeEvent[];
    let findings: Finding[];
    if (ext === '.har') {
      const imported = harToEvents(data.toString('utf8'));
      events = imported.events;
      findings = imported.findings;
    } else if (ext === '.pcap' || ext === '.pcapng' || ext === '.cap') {
      throw notAvailable('Reading pcap files');
    } else if (CAPTURE_EXTENSIONS.includes(ext) || looksLikeCapture(data)) {
      const decoded = decodeCapture(data.toString('utf8'));
      if (!decoded.header) {
        const why = decoded.findings[0]?.message ?? 'it has no capture header';
        throw new EngineError('failed', `${name} is not an OCPP Scope capture: ${why}`);
      }
      events = decoded.events;
      findings = decoded.findings;
      for (const c of decoded.header.connections) this.rememberConnection(c);
    } else {
      throw new EngineError(
        'failed',
        `${name}: unknown file type (expected a capture, .har, .pcap or .pcapng).`,
      );
    }
    const source = new MemorySource(`source-${this.nextSourceId++}`, 'capture', name, findings);
    for (const e of events) source.add(e);
    this.sources.set(source.id, source);
    const info = source.info();
    this.batcher.pushStatus({ type: 'source', source: info });
    return info;
  }

  private rememberConnection(_c: ConnectionInfo): void {
    // Connections of an opened capture are known through its opened events; the header list is informational.
  }

  async closeSource(sourceId: string): Promise<void> {
    if (sourceId === LIVE_SOURCE_ID) throw new EngineError('failed', 'The live session cannot be closed.');
    if (!this.sources.delete(sourceId))
      throw new EngineError('failed', `There is no open source ${JSON.stringify(sourceId)}.`);
  }

  private source(sourceId: string): MemorySource {
    const source = this.sources.get(sourceId);
    if (!source) throw new EngineError('failed', `There is no open source ${JSON.stringify(sourceId)}.`);
    return source;
  }

  async queryEvents(sourceId: string, query: EventQuery, offset: number, limit: number): Promise<EventPage> {
    return this.source(sourceId).query(query, offset, limit);
  }

  async exportSource(
    sourceId: string,
    format: 'capture' | 'har',
    redact: boolean,
  ): Promise<{ name: string; data: string }> {
    const source = this.source(sourceId);
    const events = redact ? source.events.map(redactEvent) : source.events;
    const stem =
      source.kind === 'live'
        ? `ocpp-scope-${new Date().toISOString().replace(/[:.]/g, '-')}`
        : source.name.replace(/\.[^.]*$/, '');
    if (format === 'har') return { name: `${stem}.har`, data: eventsToHar(events, TOOL_NAME) };
    const header = makeHeader(`${TOOL_NAME} ${TOOL_VERSION}`, [...source.connections.values()], {});
    return { name: `${stem}.ocppcap.jsonl`, data: encodeCapture(header, events) };
  }

  async chooseFile(purpose: 'open' | 'save', suggestedName?: string): Promise<string | undefined> {
    if (!this.options.chooseFile) return undefined;
    const path = await this.options.chooseFile(purpose, suggestedName);
    if (path !== undefined && purpose === 'save') this.savePaths.add(path);
    return path;
  }

  /** Writes only where the user chose to save through the native dialog: a page cannot write files of its choice. */
  async saveFile(path: string, data: string): Promise<void> {
    if (!this.savePaths.has(path)) {
      throw new EngineError(
        'failed',
        'Files can only be saved where you chose to save them; choose the file first.',
      );
    }
    try {
      await writeFile(path, data, 'utf8');
    } catch (error) {
      throw new EngineError('failed', `Could not save ${path}: ${(error as Error).message}`);
    }
  }

  async startReplay(_settings: ReplaySettings): Promise<ReplayStatus> {
    throw notAvailable('Replay');
  }

  async pauseReplay(): Promise<ReplayStatus> {
    throw notAvailable('Replay');
  }

  async resumeReplay(): Promise<ReplayStatus> {
    throw notAvailable('Replay');
  }

  async stepReplay(): Promise<ReplayStatus> {
    throw notAvailable('Replay');
  }

  async getReplay(): Promise<ReplayStatus> {
    return { state: 'idle', position: 0, total: 0, report: [] };
  }

  /** Stops everything; pending notices are delivered first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.recorder.on) this.recorder.stop();
    this.batcher.flush();
    this.batcher.dispose();
  }
}

function looksLikeCapture(data: Buffer): boolean {
  const head = data.subarray(0, 200).toString('utf8');
  return head.startsWith('{"format":"ocpp-scope-capture"');
}

import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type {
  AppSettings,
  AutoAnswerPolicy,
  CheckSettings,
  CheckStatus,
  ConnectionStatus,
  EndpointSettings,
  EndpointStatus,
  EngineApi,
  EventPage,
  EventQuery,
  FleetSettings,
  FleetStatus,
  SimulatorSettingsCheck,
  SimulatorSettingsProblems,
  SimulatedStationView,
  SimulatorAction,
  FilesSettings,
  FilesStatus,
  HeldCall,
  HeldFrame,
  ProxyStatus,
  RecordingStatus,
  CaptureEntry,
  CaptureLibrary,
  ReplaySettings,
  ReplayStatus,
  SendResult,
  SourceInfo,
  UploadTicket,
  StationSettings,
  TransferTicketInfo,
  TransferTicketRequest,
} from '../../shared/api';
import { defaultAppSettings } from '../../shared/api-defaults';
import { validateAppSettings } from '../../shared/api-validate';
import { AutoAnswerBook } from './station/auto-answer';
import { CaptureSources } from './capture/capture-sources';
import type { UploadSpoolOptions } from './capture/upload-spool';
import { diagnosisBundle, writeDiagnosisBundle } from './capture/diagnosis-export';
import { LIVE_SOURCE_ID } from './capture/live-store';
import { Recorder } from './capture/recorder';
import { LibraryFacade } from './capture/library-facade';
import { holdEverythingBook, ReplayHub } from './replay/engine-links';
import { ReplayController } from './replay/replay-controller';
import { CheckController } from './checks/check-controller';
import type { Connection } from './connections/connection';
import { NotOpenError } from './connections/connection';
import { ConnectionHub } from './connections/connection-hub';
import { localCa } from './tls/certificates';
import { Endpoint, usesLocalCa } from './endpoint/endpoint';
import { EventStream } from './connections/event-stream';
import type { CertificateBundle } from './tls/certificates';
import { FileServer } from './files/file-server';
import type { ProxyConnection } from './proxy/proxy-connection';
import { Station } from './station/station';
import {
  SimulatorControls,
  refuseBadSimulatorSettings,
  simulatorWithCrl,
} from './simulation/simulator-controls';
import { checkSimulatorSettings } from './simulation/simulator-settings-check';
import { HttpFileTransferClient } from './simulation/file-transfer';
import { asEngineError, EngineError, translated } from './facade/engine-error';
import { PathGrants } from './facade/path-grants';
import { NoticeBatcher } from './facade/notice-batcher';
import type { NoticeListener } from './facade/notice-batcher';

export { EngineError };

export { LIVE_SOURCE_ID };
/**
 * The facade the Electron app and the serve host drive: it implements the UI/engine contract over the engine's parts
 * (endpoint, station, recorder, captures, replay) and pushes what changed to the UI in batches, at most every ~50 ms,
 * so that a flood of frames never floods the UI. Anything a part of this build cannot do fails with a clear
 * 'not-available' error; nothing pretends to succeed.
 */

export const TOOL_NAME = 'OCPP Scope';
export const TOOL_VERSION = '0.1.0';

export interface SettingsBackend {
  load(): AppSettings;
  save(settings: AppSettings): AppSettings;
}

export interface ScopeEngineOptions {
  /** Where captures are recorded (a `captures` folder is made inside). */
  dataDir: string;
  /** Persistence for the settings (Electron: the settings store); in memory when absent. */
  settings?: SettingsBackend;
  /** Shows a file in the system's file manager (Electron's shell.showItemInFolder); serve mode has none. */
  reveal?: (path: string) => void;
  /** A native file dialog (Electron); serve mode has none and answers undefined. */
  chooseFile?: (purpose: 'open' | 'save', suggestedName?: string) => Promise<string | undefined>;
  noticeIntervalMs?: number;
  /** How many live events are kept in memory for queries (the recording on disk keeps everything). */
  liveLimit?: number;
  /** Limits of files sent in chunks from the browser (serve mode); tests lower them. */
  uploads?: UploadSpoolOptions;
}

export class ScopeEngine implements EngineApi {
  readonly stream: EventStream;
  readonly hub: ConnectionHub;
  private readonly endpoint: Endpoint;
  private readonly station: Station;
  /** Connections a replay opens as a station: their calls are answered by the replay, not by auto-answer. */
  private readonly replayHub: ConnectionHub;
  private readonly replays: ReplayController;
  private readonly checks: CheckController;
  private readonly sources: CaptureSources;
  private readonly recorder: Recorder;
  private readonly library: LibraryFacade;
  private readonly batcher: NoticeBatcher;
  private settings: AppSettings;
  private readonly grants = new PathGrants();
  private closed = false;
  private readonly simulators: SimulatorControls;
  /** The file server for diagnostics, logs and firmware (HTTP, HTTPS, FTP, FTPS). */
  readonly files: FileServer;

  constructor(private readonly options: ScopeEngineOptions) {
    this.stream = new EventStream();
    this.batcher = new NoticeBatcher(options.noticeIntervalMs ?? 50);
    this.settings = options.settings?.load() ?? defaultAppSettings();

    this.hub = new ConnectionHub(this.stream, new AutoAnswerBook());
    this.hub.answers.setPolicies(this.settings.autoAnswer);
    this.endpoint = new Endpoint(this.hub);
    // Simulated stations trust the kept local CA for file transfers: the file server's HTTPS/FTPS certificates.
    const simulation = {
      files: new HttpFileTransferClient({ trust: async () => [(await this.sharedCa()).certPem] }),
    };
    this.station = new Station(this.hub, { simulation });
    this.simulators = new SimulatorControls(this.hub, { simulation });
    this.replayHub = new ReplayHub(this.stream, holdEverythingBook());
    const pushConnections = (): void => {
      this.batcher.pushStatus({ type: 'connections', connections: this.connectionStatuses() });
    };
    this.hub.on('connections', pushConnections);
    this.replayHub.on('connections', pushConnections);
    this.hub.on('held', (held: HeldCall[]) => this.batcher.pushStatus({ type: 'held', held }));
    this.hub.on('heldFrames', (frames: HeldFrame[]) =>
      this.batcher.pushStatus({ type: 'heldFrames', frames }),
    );
    this.endpoint.on('status', (status: EndpointStatus) =>
      this.batcher.pushStatus({ type: 'endpoint', status }),
    );

    this.sources = new CaptureSources(this.stream, {
      tool: `${TOOL_NAME} ${TOOL_VERSION}`,
      ...(options.liveLimit !== undefined ? { liveLimit: options.liveLimit } : {}),
      ...(options.uploads ? { uploads: options.uploads } : {}),
      onSource: (source) => this.batcher.pushStatus({ type: 'source', source }),
    });
    this.recorder = new Recorder(this.stream, {
      folder: join(options.dataDir, 'captures'),
      tool: `${TOOL_NAME} ${TOOL_VERSION}`,
      onStatus: (status) => this.batcher.pushStatus({ type: 'recording', status }),
    });
    this.stream.subscribe((event) => this.batcher.pushEvent(LIVE_SOURCE_ID, event));
    this.library = new LibraryFacade({
      folder: join(options.dataDir, 'captures'),
      recording: () => this.recorder.files,
      ...(options.reveal ? { reveal: options.reveal } : {}),
    });
    this.replays = new ReplayController({
      stream: this.stream,
      source: (id) => this.sources.get(id),
      hub: this.hub,
      stationHub: this.replayHub,
      endpointUrls: () => {
        const st = this.endpoint.status();
        return st.running ? st.urls : undefined;
      },
      onStatus: (status) => this.batcher.pushStatus({ type: 'replay', status }),
    });
    // Check runs that connect out as a charger use the replay hub: its book holds every CALL for the run to answer.
    this.checks = new CheckController({
      stream: this.stream,
      hub: this.hub,
      stationHub: this.replayHub,
      tool: `${TOOL_NAME} ${TOOL_VERSION}`,
      onStatus: (status) => this.batcher.pushStatus({ type: 'check', status }),
    });
    this.files = new FileServer(this.stream, { ca: () => this.sharedCa() });
    this.files.onChange = () => {
      void this.files.status().then(
        (status) => this.batcher.pushStatus({ type: 'files', status }),
        () => undefined,
      );
    };
    this.grants.grantDir(this.defaultFilesDir());
    if (this.settings.recordByDefault) {
      try {
        this.recorder.start();
      } catch {
        // Reported through getRecording (off); the UI offers to switch it on again.
      }
    }
  }

  /** Batches of notices for the UI (IPC or bridge). */
  onNotices(listener: NoticeListener): () => void {
    return this.batcher.subscribe(listener);
  }

  private connectionStatuses(): ConnectionStatus[] {
    return [...this.hub.statuses(), ...this.replayHub.statuses()];
  }

  private proxyOf(connectionId: string): ProxyConnection {
    const p = this.hub.proxy(connectionId);
    if (!p) throw new EngineError('failed', `${JSON.stringify(connectionId)} is not a proxied connection.`);
    return p;
  }

  private connection(connectionId: string): Connection {
    const c = this.hub.get(connectionId) ?? this.replayHub.get(connectionId);
    if (!c && this.hub.proxy(connectionId))
      throw new EngineError(
        'failed',
        `${connectionId} is a proxied connection: choose which side to send to (injectFrame), or use the held frames.`,
      );
    if (!c) throw new EngineError('failed', `There is no connection ${JSON.stringify(connectionId)}.`);
    return c;
  }

  async getSettings(): Promise<AppSettings> {
    return structuredClone(this.settings);
  }

  async saveSettings(settings: AppSettings): Promise<AppSettings> {
    const check = validateAppSettings(settings);
    if (!check.ok) throw new EngineError('failed', `The settings were not saved: ${check.error}.`);
    // The recent list grants openFile: a page may reorder or forget entries but never add a path of its choice.
    const known = new Set(this.settings.recentCaptures);
    const next = { ...settings, recentCaptures: settings.recentCaptures.filter((p) => known.has(p)) };
    this.settings = this.options.settings ? this.options.settings.save(next) : structuredClone(next);
    return structuredClone(this.settings);
  }

  async startEndpoint(settings: EndpointSettings): Promise<EndpointStatus> {
    try {
      if (usesLocalCa(settings)) this.endpoint.localCa = await localCa(this.options.dataDir);
      return await this.endpoint.start(settings);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const why =
        e.code === 'EADDRINUSE'
          ? `port ${settings.port} is already in use on ${settings.host}; choose another port or stop the other program.`
          : e.code === 'EACCES'
            ? `this user may not listen on port ${settings.port}; choose a port above 1023.`
            : e.code === 'EADDRNOTAVAIL'
              ? `${settings.host} is not an address of this machine.`
              : e.message;
      throw new EngineError('failed', `The endpoint could not start: ${why}`);
    }
  }

  async stopEndpoint(): Promise<EndpointStatus> {
    return this.endpoint.stop();
  }

  async getEndpointStatus(): Promise<EndpointStatus> {
    return this.endpoint.status();
  }

  async exportDiagnosis(
    sourceId: string,
    path?: string,
  ): Promise<{ name: string; html: string; captureName: string; capture: string; written: string[] }> {
    if (path !== undefined) this.grants.requireSave(path);
    try {
      const bundle = await diagnosisBundle(this.sources.get(sourceId), `${TOOL_NAME} ${TOOL_VERSION}`);
      const written = path !== undefined ? await writeDiagnosisBundle(bundle, path) : [];
      return { ...bundle, written };
    } catch (error) {
      throw asEngineError(error);
    }
  }

  async regenerateCa(): Promise<EndpointStatus> {
    try {
      this.endpoint.localCa = await localCa(this.options.dataDir, { regenerate: true });
    } catch (error) {
      throw new EngineError('failed', `A new CA could not be made: ${(error as Error).message}`);
    }
    const running = this.endpoint.status().running ? this.endpoint.currentSettings() : undefined;
    return running && usesLocalCa(running) ? this.endpoint.start(running) : this.endpoint.status();
  }

  /**
   * Resolves with the new connection once it is open. A failed first attempt is recorded (opened event with the
   * diagnosis) and rejected with that diagnosis, unless reconnect is on: then the connection keeps trying.
   */
  async connectStation(asked: StationSettings): Promise<{ connectionId: string }> {
    if (asked.simulator) refuseBadSimulatorSettings(asked.protocols, asked.simulator);
    const crlNotes: string[] = [];
    const settings = asked.simulator
      ? {
          ...asked,
          simulator: await simulatorWithCrl(
            asked.simulator,
            (n) => crlNotes.push(n),
            asked.tls?.caFile ? [asked.tls.caFile] : [],
          ),
        }
      : asked;
    const connection = await this.station.connect(settings);
    for (const n of crlNotes) connection.emitNote(`CRL: ${n}`);
    if (connection.state === 'failed' && !settings.reconnect?.enabled) {
      throw new EngineError('failed', connection.failure?.message ?? 'The connection failed.');
    }
    return { connectionId: connection.id };
  }

  async disconnect(connectionId: string): Promise<void> {
    const proxy = this.hub.proxy(connectionId);
    if (proxy) return proxy.close(1000, '');
    await this.connection(connectionId).close(1000, '');
  }

  async listConnections(): Promise<ConnectionStatus[]> {
    return this.connectionStatuses();
  }

  async send(connectionId: string, text: string): Promise<SendResult> {
    const connection = this.connection(connectionId);
    try {
      const event = connection.send(text);
      return { seq: event.seq, ...(event.msg ? { messageId: event.msg.id } : {}), findings: event.findings };
    } catch (error) {
      if (error instanceof NotOpenError)
        throw new EngineError('not-open', `Not sent: the connection is ${connection.state}.`);
      throw error;
    }
  }

  async listHeld(): Promise<HeldCall[]> {
    return this.hub.held();
  }

  async answerHeld(connectionId: string, messageId: string, text: string): Promise<SendResult> {
    const connection = this.connection(connectionId);
    try {
      const event = connection.answerHeld(messageId, text);
      return { seq: event.seq, ...(event.msg ? { messageId: event.msg.id } : {}), findings: event.findings };
    } catch (error) {
      if (error instanceof NotOpenError)
        throw new EngineError('not-open', `Not sent: the connection is ${connection.state}.`);
      throw new EngineError('failed', (error as Error).message);
    }
  }

  async setAutoAnswer(policies: AutoAnswerPolicy[]): Promise<void> {
    this.hub.answers.setPolicies(policies);
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
    return this.sources.list();
  }

  /**
   * Lets the renderer open `path` (the main process calls this for a command-line argument or an OS file drop).
   * The CLI reads files through the capture reader directly and needs no permission.
   */
  allowOpen(path: string): void {
    this.grants.grantOpen(path);
  }

  async openFile(path: string): Promise<SourceInfo> {
    // The recordings of the capture folder open from the captures library.
    if (!this.library.holds(path)) this.grants.requireOpen(path, this.settings.recentCaptures);
    let info: SourceInfo;
    try {
      info = await this.sources.openFile(path);
    } catch (error) {
      throw asEngineError(error);
    }
    this.rememberRecent(path);
    return info;
  }

  /** Puts a file that opened at the top of the recent captures (kept in the settings, at most 10). */
  private rememberRecent(path: string): void {
    const recent = [path, ...this.settings.recentCaptures.filter((p) => p !== path)].slice(0, 10);
    const next = { ...this.settings, recentCaptures: recent };
    try {
      this.settings = this.options.settings ? this.options.settings.save(next) : next;
    } catch {
      // A settings file that cannot be written must not stop a capture from opening.
      this.settings = next;
    }
  }

  async openContent(name: string, data: string, encoding: 'utf8' | 'base64'): Promise<SourceInfo> {
    return translated(() => this.sources.openContent(name, data, encoding));
  }

  async beginUpload(name: string, size: number): Promise<UploadTicket> {
    try {
      return await this.sources.uploads.begin(name, size);
    } catch (error) {
      throw asEngineError(error);
    }
  }

  async uploadChunk(uploadId: string, offset: number, data: string): Promise<{ received: number }> {
    try {
      return await this.sources.uploads.chunk(uploadId, offset, data);
    } catch (error) {
      throw asEngineError(error);
    }
  }

  async finishUpload(uploadId: string): Promise<SourceInfo> {
    try {
      return await this.sources.finishUpload(uploadId);
    } catch (error) {
      throw asEngineError(error);
    }
  }

  async cancelUpload(uploadId: string): Promise<void> {
    try {
      await this.sources.uploads.cancel(uploadId);
    } catch (error) {
      throw asEngineError(error);
    }
  }

  async closeSource(sourceId: string): Promise<void> {
    try {
      await this.sources.close(sourceId);
    } catch (error) {
      throw asEngineError(error);
    }
  }

  async queryEvents(sourceId: string, query: EventQuery, offset: number, limit: number): Promise<EventPage> {
    return translated(() => this.sources.query(sourceId, query, offset, limit));
  }

  async exportSource(
    sourceId: string,
    format: 'capture' | 'har',
    redact: boolean,
  ): Promise<{ name: string; data: string }> {
    return translated(() => this.sources.export(sourceId, format, redact));
  }

  async chooseFile(purpose: 'open' | 'save', suggestedName?: string): Promise<string | undefined> {
    if (!this.options.chooseFile) return undefined;
    const path = await this.options.chooseFile(purpose, suggestedName);
    if (path !== undefined && purpose === 'save') this.grants.grantSave(path);
    if (path !== undefined && purpose === 'open') this.allowOpen(path);
    return path;
  }

  /** Writes only where the user chose to save through the native dialog: a page cannot write files of its choice. */
  async saveFile(path: string, data: string): Promise<void> {
    this.grants.requireSave(path);
    try {
      await writeFile(path, data, 'utf8');
    } catch (error) {
      throw new EngineError('failed', `Could not save ${path}: ${(error as Error).message}`);
    }
  }

  /** One replay at a time (ReplayController); a replay that cannot start rejects with the reason. */
  async startReplay(settings: ReplaySettings): Promise<ReplayStatus> {
    const status = await this.replays.start(settings);
    if (status.state === 'failed')
      throw new EngineError('failed', status.error ?? 'The replay could not start.');
    return status;
  }

  async pauseReplay(): Promise<ReplayStatus> {
    this.requireReplay();
    return this.replays.pause();
  }

  async resumeReplay(): Promise<ReplayStatus> {
    this.requireReplay();
    return this.replays.resume();
  }

  async stepReplay(): Promise<ReplayStatus> {
    this.requireReplay();
    return this.replays.step();
  }

  private requireReplay(): void {
    if (this.replays.get().state === 'idle') throw new EngineError('failed', 'No replay has been started.');
  }

  async getReplay(): Promise<ReplayStatus> {
    return this.replays.get();
  }

  /** Stops a waiting or running replay; what was not done is reported missing. */
  async stopReplay(): Promise<ReplayStatus> {
    return this.replays.stop();
  }

  async listCaptures(): Promise<CaptureLibrary> {
    return this.library.list().catch((e: unknown) => Promise.reject(asEngineError(e)));
  }

  async renameCapture(path: string, name: string): Promise<CaptureEntry> {
    return this.library.rename(path, name).catch((e: unknown) => Promise.reject(asEngineError(e)));
  }

  async deleteCapture(path: string): Promise<void> {
    return this.library.delete(path).catch((e: unknown) => Promise.reject(asEngineError(e)));
  }

  async revealCapture(path: string): Promise<{ revealed: boolean; path: string }> {
    return this.library.reveal(path).catch((e: unknown) => Promise.reject(asEngineError(e)));
  }

  async diffCaptures(first: string, second: string, ignore?: string[]): Promise<ReplayStatus> {
    return this.library.diff(first, second, ignore).catch((e: unknown) => Promise.reject(asEngineError(e)));
  }

  async setProxyHold(connectionId: string, from: 'station' | 'csms', on: boolean): Promise<ProxyStatus> {
    return this.proxyOf(connectionId).setHold(from, on);
  }

  async listHeldFrames(): Promise<HeldFrame[]> {
    return this.hub.heldFrames();
  }

  async releaseHeld(connectionId: string, seq: number, text?: string): Promise<SendResult> {
    const proxy = this.proxyOf(connectionId);
    try {
      const r = proxy.release(seq, text);
      return { seq: r.seq, ...(r.msg ? { messageId: r.msg.id } : {}), findings: r.findings };
    } catch (error) {
      if (error instanceof NotOpenError)
        throw new EngineError('not-open', `Not forwarded: the connection is ${proxy.state}.`);
      throw asEngineError(error);
    }
  }

  async dropHeld(connectionId: string, seq: number): Promise<void> {
    try {
      this.proxyOf(connectionId).drop(seq);
    } catch (error) {
      throw asEngineError(error);
    }
  }

  async injectFrame(connectionId: string, to: 'station' | 'csms', text: string): Promise<SendResult> {
    const proxy = this.proxyOf(connectionId);
    try {
      const event = proxy.inject(to, text);
      return { seq: event.seq, ...(event.msg ? { messageId: event.msg.id } : {}), findings: event.findings };
    } catch (error) {
      if (error instanceof NotOpenError)
        throw new EngineError('not-open', `Not sent: the connection is ${proxy.state}.`);
      throw asEngineError(error);
    }
  }

  async startCheck(settings: CheckSettings): Promise<CheckStatus> {
    const status = await this.checks.start(settings);
    if (status.state === 'failed')
      throw new EngineError('failed', status.error ?? 'The check could not start.');
    return status;
  }

  async answerCheckPrompt(promptId: string, answer: 'done' | 'skip'): Promise<CheckStatus> {
    return this.checks.answerPrompt(promptId, answer);
  }

  async stopCheck(): Promise<CheckStatus> {
    return this.checks.stop();
  }

  async getCheck(): Promise<CheckStatus> {
    return this.checks.get();
  }

  async listSimulators(): Promise<SimulatedStationView[]> {
    return this.simulators.list();
  }

  async simulatorAction(connectionId: string, action: SimulatorAction): Promise<SimulatedStationView> {
    return translated(() => this.simulators.act(connectionId, action));
  }

  /** The endpoint's local CA (profile 2), made on first use: the file server's TLS certificates come from it too. */
  private async sharedCa(): Promise<CertificateBundle> {
    this.endpoint.localCa ??= await localCa(this.options.dataDir);
    return this.endpoint.localCa;
  }

  defaultFilesDir(): string {
    return resolve(this.options.dataDir, 'transfers');
  }

  /** Lets the UI run the file server on `dir` (the CLI's --files, a folder the user chose in a native dialog). */
  allowFilesDir(dir: string): void {
    this.grants.grantDir(dir);
  }

  /** An empty dir means the default folder; any other must have been granted (a page must not serve files of its choice). */
  async startFiles(settings: FilesSettings): Promise<FilesStatus> {
    const dir = this.grants.requireDir(
      settings.dir === '' ? this.defaultFilesDir() : settings.dir,
      this.defaultFilesDir(),
    );
    const status = await this.files.start({ ...settings, dir });
    if (!status.running) throw new EngineError('failed', status.error ?? 'The file server could not start.');
    return status;
  }

  async stopFiles(): Promise<FilesStatus> {
    return this.files.stop();
  }

  async getFilesStatus(): Promise<FilesStatus> {
    return this.files.status();
  }

  async prepareTransfer(request: TransferTicketRequest): Promise<TransferTicketInfo> {
    return translated(() => this.files.prepare(request));
  }

  async startFleet(settings: FleetSettings): Promise<FleetStatus> {
    return this.simulators.startFleet(settings);
  }

  async stopFleet(): Promise<FleetStatus> {
    return this.simulators.stopFleet();
  }

  async getFleet(): Promise<FleetStatus> {
    return this.simulators.fleetStatus();
  }

  async checkSimulatorSettings(request: SimulatorSettingsCheck): Promise<SimulatorSettingsProblems> {
    return checkSimulatorSettings(request);
  }

  /** Stops everything; pending notices are delivered first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.simulators.close();
    await this.replays.stop();
    this.checks.stop();
    if (this.recorder.on) this.recorder.stop();
    await this.endpoint.stop().catch(() => undefined);
    await this.files.stop(false).catch(() => undefined);
    this.files.dispose();
    await Promise.all(
      [...this.hub.list(), ...this.hub.proxyList(), ...this.replayHub.list()].map((c) =>
        c.close(1001, 'OCPP Scope is closing').catch(() => undefined),
      ),
    );
    await this.sources.closeAll();
    this.hub.dispose();
    this.replayHub.dispose();
    this.batcher.flush();
    this.batcher.dispose();
  }
}

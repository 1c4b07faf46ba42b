import { displayTimeZone, setDisplayTimeZone } from '../logic/format';
import type {
  AppSettings,
  ConnectionStatus,
  EndpointStatus,
  EngineNotice,
  EventQuery,
  FilesStatus,
  HeldCall,
  HeldFrame,
  RecordingStatus,
  ReplayStatus,
  CheckStatus,
  ScopeApi,
  SourceInfo,
} from '../../../shared/api';
import type { ConnectionInfo, ScopeEvent, TransferProtocol } from '../types';
import type { TimeMode } from '../logic/columns';
import type { LogSort } from '../logic/log-sort';
import { searchQuery } from '../logic/keepalives';
import { connectionName } from '../../../shared/capture/connection-name';
import { CaptureView } from './capture-view';
import { LiveLog } from './live-log';

export type BottomTab = 'composer' | 'replay' | 'auto' | 'captures' | 'files' | 'stations' | 'checks';
export type DetailTab = 'frame' | 'handshake' | 'health';
export type Theme = 'dark' | 'light';

export interface Toast {
  id: number;
  tone: 'info' | 'error' | 'ok';
  text: string;
}

export interface ComposerTarget {
  /** The held call (or the logged CALL) this text answers; decides the CALLRESULT schema. */
  responseTo?: { action: string; messageId: string; held: boolean };
  /** Proxy: the held frame this text replaces when it is forwarded. */
  releasing?: { connectionId: string; seq: number; from: 'station' | 'csms' };
}

export interface UiState {
  ready: boolean;
  loadError?: string;
  settings?: AppSettings;
  endpoint: EndpointStatus;
  connections: ConnectionStatus[];
  held: HeldCall[];
  /** Proxy: frames held on their way through, waiting to be released (maybe edited) or dropped. */
  heldFrames: HeldFrame[];
  recording: RecordingStatus;
  sources: SourceInfo[];
  replay: ReplayStatus;
  check: CheckStatus;
  /** The source the log shows; undefined until the engine named its live source. */
  activeSource?: string;
  liveSource?: string;
  search: string;
  query: EventQuery;
  searchProblems: string[];
  follow: boolean;
  selected?: ScopeEvent;
  selectedConnection?: string;
  handshakeConnection?: string;
  bottomTab: BottomTab;
  detailTab: DetailTab;
  theme: Theme;
  help: boolean;
  settingsOpen: boolean;
  stationFormOpen: boolean;
  composer: ComposerTarget & { text: string; nonce: number };
  toasts: Toast[];
  timeMode: TimeMode;
  showDetail: boolean;
  /** The engine stopped answering (serve mode stopped, the bridge dropped). */
  engineLost: boolean;
  /** Height of the bottom panel in px (the user drags its top edge). */
  bottomHeight: number;
  /** A file being sent to the engine in chunks (serve mode): for the status bar, which can cancel it. */
  opening?: { name: string; sent: number; total: number; cancel: () => void };
  /** Bumped when the rows of the active log change (new events, new page, new filter). */
  logVersion: number;
  /** The file server (diagnostics, logs, firmware) and what the composer's transfer templates use. */
  files: FilesStatus;
  filesChoice: { protocol: TransferProtocol; firmware?: string };
  /** The log's sort by a column; undefined: the order things happened. */
  sort?: LogSort;
  /** The last offline diff of two recordings (captures library): kept while the user moves between tabs. */
  captureDiff?: ReplayStatus;
}

export type LogModel = LiveLog | CaptureView;

/**
 * A connection as the source shown knows it: a live one the engine lists (ConnectionStatus), one described by its
 * upgrade (role, URL, version), or a capture's named before its upgrade is read (id and identity only).
 */
export type ShownConnection = Pick<ConnectionInfo, 'id' | 'identity'> &
  Partial<Omit<ConnectionStatus, 'id' | 'identity'>>;

const LIVE_FALLBACK = 'live';

function savedNumber(key: string, fallback: number): number {
  try {
    const n = Number(localStorage.getItem(key));
    return Number.isFinite(n) && n > 0 ? n : fallback;
  } catch {
    return fallback;
  }
}

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem('ocpp-scope.theme');
    if (saved === 'dark' || saved === 'light') return saved;
  } catch {
    /* storage unavailable: fall through */
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches
    ? 'light'
    : 'dark';
}

/**
 * The renderer's one store: engine status from notices, UI state, and the event logs (kept outside React state so
 * that a million events are never copied). Components read it with useStore(selector).
 */
/** The connection column of an event that belongs to no connection. */
export const ENGINE_LABEL = '(engine)';

export class Store {
  private state: UiState;
  private readonly listeners = new Set<() => void>();
  readonly live = new Map<string, LiveLog>();
  private capture: CaptureView | undefined;
  private bumpQueued = false;
  private toastId = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(readonly api: ScopeApi) {
    this.state = {
      ready: false,
      endpoint: { running: false, urls: [] },
      connections: [],
      held: [],
      heldFrames: [],
      recording: { on: false, events: 0, bytes: 0 },
      sources: [],
      replay: { state: 'idle', position: 0, total: 0, report: [] },
      check: { state: 'idle', cases: [] },
      search: '',
      query: {},
      searchProblems: [],
      follow: true,
      bottomTab: 'composer',
      detailTab: 'frame',
      theme: initialTheme(),
      help: false,
      settingsOpen: false,
      stationFormOpen: false,
      composer: { text: '', nonce: 0 },
      files: { running: false, ports: {}, urls: [], files: [], transfers: [] },
      filesChoice: { protocol: 'http' },
      toasts: [],
      logVersion: 0,
      bottomHeight: savedNumber('ocpp-scope.bottom-height', 300),
      timeMode: 'clock',
      showDetail: true,
      engineLost: false,
    };
  }

  getState = (): UiState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(patch: Partial<UiState>): void {
    // Every time shown follows the one switch; a change re-renders the log (rows format their time when drawn).
    const zone = patch.settings?.timeZone;
    if (zone && zone !== displayTimeZone()) {
      setDisplayTimeZone(zone);
      patch = { ...patch, logVersion: this.state.logVersion + 1 };
    }
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  /** Coalesces log changes to one render per animation frame, however many batches arrive. */
  private bumpLog(): void {
    if (this.bumpQueued) return;
    this.bumpQueued = true;
    const run = (): void => {
      this.bumpQueued = false;
      this.set({ logVersion: this.state.logVersion + 1 });
    };
    if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && !document.hidden)
      requestAnimationFrame(run);
    else setTimeout(run, 16);
  }

  liveLog(sourceId: string): LiveLog {
    let log = this.live.get(sourceId);
    if (!log) {
      log = new LiveLog();
      log.setQuery(this.state.query);
      for (const c of this.state.connections) log.setIdentity(c.id, c.identity);
      this.live.set(sourceId, log);
    }
    return log;
  }

  /** The model behind the log: the in-memory live log, or a paged view of a capture. */
  model(): LogModel | undefined {
    const id = this.state.activeSource;
    if (!id) return undefined;
    const source = this.state.sources.find((s) => s.id === id);
    if (id === this.state.liveSource || source?.kind === 'live') return this.liveLog(id);
    if (!this.capture || this.capture.sourceId !== id) {
      this.capture = new CaptureView(this.api, id, this.state.query, () => this.bumpLog());
    }
    return this.capture;
  }

  async start(): Promise<void> {
    let buffered: EngineNotice[] | undefined = [];
    this.unsubscribe = this.api.subscribe((notices) => {
      if (buffered) buffered.push(...notices);
      else this.apply(notices);
    });
    try {
      const [settings, endpoint, connections, held, recording, sources, replay] = await Promise.all([
        this.api.getSettings(),
        this.api.getEndpointStatus(),
        this.api.listConnections(),
        this.api.listHeld(),
        this.api.getRecording(),
        this.api.listSources(),
        this.api.getReplay(),
      ]);
      const liveSource = sources.find((s) => s.kind === 'live')?.id ?? LIVE_FALLBACK;
      const theme =
        settings.theme === 'dark' || settings.theme === 'light' ? settings.theme : this.state.theme;
      this.set({
        ready: true,
        settings,
        endpoint,
        connections,
        held,
        recording,
        sources,
        replay,
        liveSource,
        activeSource: liveSource,
        theme,
      });
      this.trackIdentities(connections);
      if (settings.hideKeepalives && settings.hideKeepalives !== 'off') this.setSearch(this.state.search);
      // The file server: an engine without it answers with an error; the Files tab then shows it stopped.
      this.api.getFilesStatus().then(
        (files) => this.set({ files }),
        () => undefined,
      );
      // Proxy holds: an engine without proxy support answers with an error; the list just stays empty.
      this.api.listHeldFrames().then(
        (heldFrames) => this.set({ heldFrames }),
        () => undefined,
      );
      await this.backfill(liveSource);
    } catch (err) {
      this.set({ ready: true, loadError: err instanceof Error ? err.message : String(err) });
    } finally {
      const pending = buffered ?? [];
      buffered = undefined;
      this.apply(pending);
    }
  }

  /** Events the engine had before this window opened (a reload in serve mode): read them in pages. */
  private async backfill(sourceId: string): Promise<void> {
    const log = this.liveLog(sourceId);
    const limit = 5000;
    for (let offset = 0; offset < 2_000_000; offset += limit) {
      const page = await this.api.queryEvents(sourceId, {}, offset, limit);
      log.add(page.events);
      if (page.events.length < limit || offset + limit >= page.total) break;
    }
    this.bumpLog();
  }

  stop(): void {
    this.unsubscribe?.();
  }

  apply(notices: readonly EngineNotice[]): void {
    let logChanged = false;
    const patch: Partial<UiState> = {};
    for (const n of notices) {
      switch (n.type) {
        case 'events': {
          const log = this.liveLog(n.sourceId);
          if (log.add(n.events) > 0 && n.sourceId === this.state.activeSource) logChanged = true;
          if (!this.state.liveSource) patch.liveSource = n.sourceId;
          break;
        }
        case 'connections':
          patch.connections = n.connections;
          this.trackIdentities(n.connections);
          break;
        case 'endpoint':
          patch.endpoint = n.status;
          break;
        case 'held':
          patch.held = n.held;
          break;
        case 'heldFrames':
          patch.heldFrames = n.frames;
          break;
        case 'recording':
          patch.recording = n.status;
          break;
        case 'replay':
          patch.replay = n.status;
          break;
        case 'check':
          patch.check = n.status;
          break;
        case 'files':
          patch.files = n.status;
          break;
        case 'resync':
          // The bridge dropped live events while this window could not keep up: read them back (dedup by seq).
          void this.backfill(n.sourceId).catch(() => undefined);
          break;
        case 'source': {
          const sources = [...(patch.sources ?? this.state.sources)];
          const i = sources.findIndex((s) => s.id === n.source.id);
          if (i >= 0) sources[i] = n.source;
          else sources.push(n.source);
          patch.sources = sources;
          if (this.capture?.sourceId === n.source.id && n.source.events !== this.capture.total)
            this.capture.refresh();
          break;
        }
      }
    }
    if (Object.keys(patch).length > 0) this.set(patch);
    if (logChanged) this.bumpLog();
  }

  private trackIdentities(connections: readonly ConnectionStatus[]): void {
    for (const log of this.live.values()) for (const c of connections) log.setIdentity(c.id, c.identity);
  }

  setSearch(search: string): void {
    // Clock times in the filter mean the day of the first event shown (a capture keeps its own date).
    const base = this.model()?.at(0)?.t ?? Date.now();
    const { query, unknown } = searchQuery(search, base, this.state.settings?.hideKeepalives);
    this.set({ search, query, searchProblems: unknown });
    for (const log of this.live.values()) log.setQuery(query);
    this.capture?.setQuery(query);
    this.bumpLog();
  }

  setActiveSource(id: string): void {
    this.set({ activeSource: id, selected: undefined, follow: id === this.state.liveSource });
    this.bumpLog();
  }

  /** Empties the live log in this window only, for a fresh start while the session goes on. */
  clearLive(): void {
    const id = this.state.liveSource;
    if (!id) return;
    this.live.get(id)?.clear();
    this.set({ selected: undefined, follow: true });
    this.bumpLog();
  }

  /**
   * Selecting a row also points the Handshake and Health tabs at that row's connection: whichever tab is open
   * follows the selection (it stays open, as a packet list's detail pane does).
   */
  select(e: ScopeEvent | undefined): void {
    this.set({ selected: e, ...(e ? { handshakeConnection: e.conn } : {}) });
  }

  /**
   * The connection an event of the source shown belongs to: for a capture its own (ids restart at c1 each run, so a
   * saved or imported c1 is never the live c1, whose role and name it must not take), else the engine's live one.
   * A capture names its connections before their upgrades are read: until then only id and identity are known.
   * `ask`: for one connection on screen (the detail pane), also ask a capture for that connection's upgrade.
   */
  connectionOf = (conn: string, ask = false): ShownConnection | undefined => {
    if (conn === '') return undefined;
    const shown = this.state.sources.find((s) => s.id === this.state.activeSource);
    if (shown && shown.kind !== 'live') {
      const view = this.capture?.sourceId === shown.id ? this.capture : undefined;
      return view?.connectionOf(conn, ask) ?? shown.connections?.find((x) => x.id === conn);
    }
    const c = this.state.connections.find((x) => x.id === conn);
    if (c) return c;
    for (const log of this.live.values()) {
      const info = log.connectionOf(conn);
      if (info) return info;
    }
    for (const log of this.live.values()) {
      const identity = log.identityOf(conn);
      if (identity) return { id: conn, identity };
    }
    return undefined;
  };

  connectionLabel = (conn: string): string => {
    // The engine's own events (a rule spanning connections failed on the clock's tick) belong to no connection.
    if (conn === '') return ENGINE_LABEL;
    const c = this.connectionOf(conn);
    if (!c) return conn;
    // A connection the engine lists is named as its card is; one known from an upgrade or a capture by identity.
    if (c.state !== undefined && c.url !== undefined)
      return connectionName({ identity: c.identity, url: c.url }) ?? c.id;
    return c.identity || conn;
  };

  toast(text: string, tone: Toast['tone'] = 'info'): void {
    const toast = { id: ++this.toastId, text, tone };
    this.set({ toasts: [...this.state.toasts.slice(-3), toast] });
    setTimeout(
      () => this.set({ toasts: this.state.toasts.filter((t) => t.id !== toast.id) }),
      tone === 'error' ? 8000 : 4000,
    );
  }

  /** Runs an engine call, turning a rejection into words on screen instead of an unhandled promise. */
  async run<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (err) {
      if ((err as { code?: unknown }).code === 'disconnected') this.set({ engineLost: true });
      this.toast(`${what} failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
      return undefined;
    }
  }

  setBottomHeight(px: number): void {
    const h = Math.round(Math.max(140, Math.min(px, window.innerHeight - 220)));
    try {
      localStorage.setItem('ocpp-scope.bottom-height', String(h));
    } catch {
      /* storage unavailable */
    }
    this.set({ bottomHeight: h });
  }

  setTheme(theme: Theme): void {
    try {
      localStorage.setItem('ocpp-scope.theme', theme);
    } catch {
      /* storage unavailable */
    }
    this.set({ theme });
    // Electron keeps settings across runs: remember the choice there too (quietly; localStorage already has it).
    const settings = this.state.settings;
    if (settings && settings.theme !== theme)
      this.api.saveSettings({ ...settings, theme }).then(
        (saved) => this.set({ settings: saved }),
        () => undefined,
      );
  }

  /** Puts text into the composer (a template, a held call's response, a history entry) and shows it. */
  compose(text: string, target: ComposerTarget = {}, connection?: string): void {
    this.set({
      composer: { text, nonce: this.state.composer.nonce + 1, ...target },
      bottomTab: 'composer',
      ...(connection ? { selectedConnection: connection } : {}),
    });
  }
}

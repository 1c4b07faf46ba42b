import type { RedactionReportItem } from './capture/redaction-report';
import type { ConnectionInfo, Finding, ScopeEvent, TransferEvent, TransferProtocol } from './capture/events';
import type { Severity } from './capture/events';
import type { HandshakeDiagnosis } from './capture/handshake-diagnosis';
import type { EventQuery } from './capture/event-query';
import type { ReplayStatus } from './capture/replay-report';
import type { OcppVersion } from './ocpp/versions';
import type { CheckStatus } from './scenario/scenario-types';

export type { CheckStatus };

export type { EventQuery } from './capture/event-query';
export type { ReplayDiff } from './capture/replay-diff';
export type { ReplayItemOutcome, ReplayLabel, ReplayReportItem, ReplayStatus } from './capture/replay-report';

/**
 * The one contract between the UI and the engine. The preload (Electron), the main-process handlers, the serve-mode
 * bridge (browser) and the renderer are all typed from this file. Every method is async and takes plain JSON.
 */

export type SecurityProfile = 0 | 1 | 2 | 3;

export interface EndpointSettings {
  /** 0.0.0.0 (all interfaces) by default, because chargers on the LAN must reach it. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Subprotocols we accept, in order of preference. */
  protocols: OcppVersion[];
  /** What to do with a charger that offers no OCPP subprotocol we support: refuse it, or accept it for diagnosis. */
  unknownProtocol: 'refuse' | 'accept';
  securityProfile: SecurityProfile;
  /** Profile 1/2: passwords per identity; `acceptAnyPassword` records whatever comes. */
  passwords: Record<string, string>;
  acceptAnyPassword: boolean;
  /** Profile 2/3: PEM files (paths) or a generated local CA when `generateCertificate`. */
  tls?: { certFile?: string; keyFile?: string; caFile?: string; generateCertificate?: boolean };
  pingIntervalSec: number;
  callTimeoutSec: number;
  /** maxFramesPerSec: 0 = no limit (the default; connections share the engine fairly instead). */
  limits: { maxFrameBytes: number; maxFramesPerSec: number; maxConnections: number };
  /**
   * Proxy mode: with an upstream, each charger is connected through to `<upstream.url>/<identity>` and every frame
   * is forwarded (and recorded, with role 'proxy') instead of auto-answered.
   */
  upstream?: UpstreamSettings;
}

/** Where a proxy forwards its chargers, and how it logs in there. */
export interface UpstreamSettings {
  /** ws(s)://host:port/path: a charger with identity CP1 is connected to ws(s)://host:port/path/CP1. */
  url: string;
  /** Sent upstream instead of the charger's own Authorization header (which is forwarded when this is absent). */
  basicAuth?: { username: string; password: string };
  tls?: { caFile?: string; certFile?: string; keyFile?: string; allowInsecure?: boolean };
  /** Hold switches every new proxied connection starts with (frames from the station, from the CSMS). */
  hold?: { station?: boolean; csms?: boolean };
}

export interface EndpointStatus {
  running: boolean;
  host?: string;
  port?: number;
  /** ws(s)://address:port/ for every address of this machine a charger may reach. */
  urls: string[];
  /** PEM of the local CA to install in chargers, when the tool generated one. */
  caCertificatePem?: string;
  /** SHA-256 fingerprint of that CA (AB:CD:...), to compare with what a charger shows. */
  caFingerprint?: string;
  error?: string;
}

export interface StationSettings {
  url: string;
  protocols: OcppVersion[];
  basicAuth?: { username: string; password: string };
  tls?: { caFile?: string; certFile?: string; keyFile?: string; allowInsecure?: boolean };
  headers?: [string, string][];
  reconnect?: { enabled: boolean; maxDelaySec: number };
  pingIntervalSec?: number;
  callTimeoutSec?: number;
  /** A behaving charger (boot, heartbeat, connectors, transactions...); absent: answer calls only, send nothing. */
  simulator?: SimulatorSettings;
}

/** A simulated charging station (electron/engine/simulation). */
export interface SimulatorSettings {
  vendor: string;
  model: string;
  serialNumber?: string;
  firmwareVersion?: string;
  /** 1.6 connectors, 2.x EVSEs with one connector each (default 2). */
  connectors: number;
  /** The station's maximum power (W, default 22 080: 32 A on three phases at 230 V). */
  maxPowerW?: number;
  /** The card the start button presents. */
  idTag?: string;
  /** A remote start on a free connector plugs the (simulated) EV in at once, as if a driver stood there. */
  plugOnRemoteStart?: boolean;
  /** The answer to DataTransfer (default UnknownVendorId). */
  dataTransfer?: { status: 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId'; data?: string };
  /** Initial configuration: 1.6 keys (user-defined ones allowed), 2.x `Component.Variable` or `Component.Variable[Instance]`. */
  config?: Record<string, string>;
  /** Seconds a reboot takes before reconnecting (default 1). */
  rebootDelaySec?: number;
  /** Makes EVs and meter starts differ reproducibly between stations. */
  seed?: number;
  /**
   * Serial numbers (hex) of certificates the station knows to be revoked: a firmware signer among them is answered
   * RevokedCertificate, an InstallCertificate or CertificateSigned of one is refused.
   */
  revokedCertificates?: string[];
  /**
   * A certificate revocation list (PEM or DER; a path on the machine running the engine) whose serials count as
   * revokedCertificates too; read when the station or fleet starts.
   */
  crlFile?: string;
}

/** What a person at the site does to a simulated station (the station card's buttons). */
export type SimulatorAction =
  | { kind: 'plug' | 'unplug' | 'stop' | 'fault' | 'clearFault'; connector: number }
  | { kind: 'card'; connector: number; idTag: string }
  | { kind: 'start'; connector: number; idTag?: string }
  | { kind: 'reboot' | 'offline' | 'online' }
  /** 2.x: relay an EV's ISO 15118 certificate request (Get15118EVCertificate). */
  | { kind: 'evCertificate'; action?: 'Install' | 'Update' }
  /** 2.x: ask the OCSP status of the station's own certificate (GetCertificateStatus), at this responder if given. */
  | { kind: 'certificateStatus'; responderUrl?: string };

/** One connector of a simulated station as its card shows it. */
export interface SimulatedConnectorView {
  id: number;
  /** The OCPP status (1.6: Available, Preparing, Charging...; 2.x: Available, Occupied...). */
  status: string;
  plugged: boolean;
  faulted: boolean;
  /** The meter register (Wh) and the power now (W). */
  energyWh: number;
  powerW: number;
  /** The EV's state of charge (0..100) while one is plugged in. */
  soc?: number;
  transaction?: {
    /** Undefined while a 1.6 StartTransaction is unanswered. */
    id?: string;
    idTag?: string;
    startedAt: number;
    /** Energy delivered in this transaction (Wh). */
    energyWh: number;
  };
}

/** A simulated station's state, for its card. */
export interface SimulatedStationView {
  connectionId: string;
  identity: string;
  version?: OcppVersion;
  boot: 'none' | 'sent' | 'pending' | 'rejected' | 'accepted';
  online: boolean;
  /** Sent offline by the person (no reconnect until online). */
  offlineOnPurpose: boolean;
  /** Transaction messages waiting to be sent (the offline queue). */
  queuedTransactionMessages: number;
  connectors: SimulatedConnectorView[];
  /** 2.x: what the station's display shows now (the CSMS's display message of highest priority for its state). */
  display?: string;
}

/** A fleet of simulated stations started from the UI. */
export interface FleetSettings {
  /** The CSMS base URL: station X connects to `<url>/X`. */
  url: string;
  /** Identities `<prefix>-1` ... `<prefix>-<count>`. */
  prefix: string;
  count: number;
  protocol: OcppVersion;
  connectors: number;
  autoTransactions: boolean;
  password?: string;
  /** The stations' initial configuration, as SimulatorSettings.config. */
  config?: Record<string, string>;
  /** As SimulatorSettings.revokedCertificates. */
  revokedCertificates?: string[];
  /** As SimulatorSettings.crlFile. */
  crlFile?: string;
}

/** What checkSimulatorSettings is asked: the versions a simulated charger may speak and its fields to check. */
export interface SimulatorSettingsCheck {
  versions: OcppVersion[];
  connectors: number;
  config?: Record<string, string>;
  revokedCertificates?: string[];
  crlFile?: string;
  /** The station's TLS CA file: the CRL's signature is checked against it, as connecting does. */
  caFile?: string;
}

/** One sentence per field that is wrong (the CLI's, after its `--set ` / `--revoked `); none: all is well. */
export interface SimulatorSettingsProblems {
  config?: string;
  revokedCertificates?: string;
  crlFile?: string;
  /** A CRL that is read and used, but whose signature does not verify or is not checked, or whose dates are off. */
  crlNote?: string;
}

export interface FleetStatus {
  running: boolean;
  count: number;
  open: number;
  booted: number;
  transactions: number;
}

export type ConnectionState = 'connecting' | 'open' | 'closing' | 'closed' | 'failed';

export interface ConnectionStatus extends ConnectionInfo {
  state: ConnectionState;
  since: number;
  frames: number;
  bytes: number;
  findings: number;
  lastRttMs?: number;
  /** Why the handshake failed, or why it is degraded (no subprotocol): the same sentence every view shows. */
  diagnosis?: HandshakeDiagnosis;
  /** Proxy connections only. */
  proxy?: ProxyStatus;
}

/** A proxied pair: the upstream it goes to, its hold switches and how many frames are held. */
export interface ProxyStatus {
  upstreamUrl: string;
  /** Keyed by who sent the frames: 'station' holds frames on their way to the CSMS, 'csms' the other way. */
  hold: { station: boolean; csms: boolean };
  heldFrames: number;
}

/** A frame a proxy holds (recorded when it arrived, at `seq`), waiting to be released (maybe edited) or dropped. */
export interface HeldFrame {
  connectionId: string;
  seq: number;
  from: 'station' | 'csms';
  /** The text as received (base64 when binary). */
  text: string;
  binary?: boolean;
}

export type AutoAnswerMode = 'auto' | 'hold' | 'payload' | 'callerror';

export interface AutoAnswerPolicy {
  version: OcppVersion;
  action: string;
  mode: AutoAnswerMode;
  /**
   * Which of our roles answers with it: 'endpoint' (the CSMS answering chargers; the default) or 'station' (our
   * charger answering a CSMS). A policy for one role never changes how the other answers.
   */
  role?: 'endpoint' | 'station';
  /** For mode 'payload': the CALLRESULT payload as JSON text (sent as written, even if invalid). */
  payload?: string;
  /** For mode 'callerror'. */
  errorCode?: string;
  errorDescription?: string;
}

export interface HeldCall {
  connectionId: string;
  messageId: string;
  action: string;
  version?: OcppVersion;
  seq: number;
  /** A schema-valid response, prefilled for the composer. */
  suggestedResponse: string;
}

export interface SendResult {
  seq: number;
  messageId?: string;
  findings: Finding[];
}

export interface RecordingStatus {
  on: boolean;
  file?: string;
  events: number;
  bytes: number;
}

/** A source of events: the live session, or a capture opened from disk. */
export interface SourceInfo {
  id: string;
  kind: 'live' | 'capture';
  name: string;
  events: number;
  /** True while a capture is still being read and indexed. */
  indexing: boolean;
  /** Problems found while reading (a truncated tail, a corrupt line), with where. */
  findings: Finding[];
  /** The charge point identity of each connection known so far (HAR and pcap imports: from the upgrade URL). */
  connections?: { id: string; identity: string }[];
}

export interface EventPage {
  total: number;
  offset: number;
  events: ScopeEvent[];
}

export type CaptureFormat = 'capture' | 'har' | 'pcap';

/** What to check and against whom (the Checks tab, startCheck). */
export interface CheckSettings {
  /** A built-in suite by name, or `scenario`: the text of a scenario file (docs/scenarios.md). */
  suite?: string;
  scenario?: string;
  /** A charger suite: the id of a charger connected to the endpoint; a CSMS suite: the CSMS URL ending with the identity. */
  target: string;
  protocol?: OcppVersion;
  /** Only these case ids (all when absent). */
  cases?: string[];
  /** Skip the cases that need a person. */
  noPrompt?: boolean;
  /** Default seconds an expect step waits. */
  timeoutSec?: number;
  /** Scenario variables (name, value), e.g. a card the CSMS knows. */
  vars?: [string, string][];
  /** A CSMS suite: the Basic auth the tool logs in with (security profile 1; csms-security checks it is enforced). */
  basicAuth?: { username: string; password: string };
}

export interface ReplaySettings {
  sourceId: string;
  /** Which recorded side the tool plays. */
  side: 'station' | 'csms';
  /** station side: the CSMS URL to connect to; csms side: the connection id of a charger on the endpoint. */
  target: string;
  protocol?: OcppVersion;
  /** 0 = as fast as the peer answers; 1 = recorded timing; 2 = twice as fast... */
  speed: number;
  shiftTimestamps: boolean;
  connection?: string;
  /**
   * csms side: wait for the next charger that connects to the endpoint (as `replay --listen` does) instead of playing
   * against the connected charger `target`; `target` may then be empty.
   */
  waitForCharger?: boolean;
  /** How long to wait for that charger, and for each answer (default 30 s). */
  timeoutSec?: number;
  /** Values compared by kind only: field names, JSON pointers, `@timestamps` (see shared/capture/ignore-rules.ts). */
  ignore?: string[];
  /** The name shown in the report (the capture's file name); the source's name when absent. */
  label?: string;
}

/** One recording in the capture folder (the captures library): its header, chargers and findings. */
export interface CaptureEntry {
  path: string;
  name: string;
  size: number;
  modifiedMs: number;
  /** When recording started (the header's `created`). */
  created?: number;
  /** Charger identities seen (header connections and `opened` events); while `counting`, in both ends only. */
  identities: string[];
  /** Findings by severity in the whole file; while `counting`, in its first and last 256 KiB only. */
  findings: Record<Severity, number>;
  /** A large file's exact count runs in the background; a later listing has it (unchanged files are not reread). */
  counting: boolean;
  /** Why the file does not read as a capture (no header...). */
  problem?: string;
}

export interface CaptureLibrary {
  /** The capture folder (in the user data folder). */
  dir: string;
  /** Newest first. */
  entries: CaptureEntry[];
  /** More files than listed (the newest 500 are). */
  truncated: boolean;
}

export interface AppSettings {
  endpoint: EndpointSettings;
  station: StationSettings;
  autoAnswer: AutoAnswerPolicy[];
  recordByDefault: boolean;
  recentCaptures: string[];
  theme: 'dark' | 'light' | 'system';
  /** How times are shown (the CLI's --utc is the same switch): local time by default. */
  timeZone?: 'local' | 'utc';
  /** The log table's columns as the person left them: hidden ones and dragged widths (px), by column id. */
  logColumns?: LogColumnSettings;
  /** Whether the log hides keepalives (WebSocket ping/pong and, if chosen, Heartbeat). */
  hideKeepalives?: KeepaliveHiding;
}

/** Both parts optional, so a settings file with one bad width keeps the rest (see settings-merge). */
export interface LogColumnSettings {
  hidden?: string[];
  widths?: Record<string, number>;
}

/** 'off': show everything; 'pings': hide WebSocket ping/pong; 'pings-and-heartbeats': Heartbeat calls too. */
export type KeepaliveHiding = 'off' | 'pings' | 'pings-and-heartbeats';

export interface EngineApi {
  getSettings(): Promise<AppSettings>;
  saveSettings(settings: AppSettings): Promise<AppSettings>;

  startEndpoint(settings: EndpointSettings): Promise<EndpointStatus>;
  stopEndpoint(): Promise<EndpointStatus>;
  getEndpointStatus(): Promise<EndpointStatus>;
  /**
   * Replaces the local CA kept in the data folder (chargers that trust the old one stop trusting the endpoint) and
   * restarts the endpoint when it uses it. Returns the endpoint status with the new fingerprint.
   */
  regenerateCa(): Promise<EndpointStatus>;
  /**
   * The diagnosis bundle of a source for a support ticket: a self-contained HTML page (chargers' health, handshakes,
   * findings) and the redacted capture. With `path` (chosen in the save dialog) both are written there, side by side.
   */
  exportDiagnosis(
    sourceId: string,
    path?: string,
  ): Promise<{ name: string; html: string; captureName: string; capture: string; written: string[] }>;

  connectStation(settings: StationSettings): Promise<{ connectionId: string }>;
  disconnect(connectionId: string): Promise<void>;
  listConnections(): Promise<ConnectionStatus[]>;

  /** Sends the exact text, valid or not; findings are returned and recorded, nothing is blocked. */
  send(connectionId: string, text: string): Promise<SendResult>;
  listHeld(): Promise<HeldCall[]>;
  answerHeld(connectionId: string, messageId: string, text: string): Promise<SendResult>;
  setAutoAnswer(policies: AutoAnswerPolicy[]): Promise<void>;

  setRecording(on: boolean): Promise<RecordingStatus>;
  getRecording(): Promise<RecordingStatus>;

  listSources(): Promise<SourceInfo[]>;
  /** Opens a capture, HAR or pcap file by path (Electron dialog, CLI). */
  openFile(path: string): Promise<SourceInfo>;
  /** Opens file content the browser picked (serve mode, drag and drop). `data` is base64 for pcap. */
  openContent(name: string, data: string, encoding: 'utf8' | 'base64'): Promise<SourceInfo>;
  /**
   * A file picked in the browser, sent in chunks (serve mode): begin with its name and size, send each chunk
   * (base64, at most `chunkBytes` raw) at its offset after the previous one was answered, then finish to open it.
   * Cancel (or closing the connection) drops it; nothing of an unfinished upload stays.
   */
  beginUpload(name: string, size: number): Promise<UploadTicket>;
  uploadChunk(uploadId: string, offset: number, data: string): Promise<{ received: number }>;
  finishUpload(uploadId: string): Promise<SourceInfo>;
  cancelUpload(uploadId: string): Promise<void>;
  closeSource(sourceId: string): Promise<void>;
  queryEvents(sourceId: string, query: EventQuery, offset: number, limit: number): Promise<EventPage>;
  /** Exports a source; returns the content (redacted unless told otherwise) for the UI to save or download. */
  exportSource(
    sourceId: string,
    format: 'capture' | 'har',
    redact: boolean,
  ): Promise<{ name: string; data: string; redaction?: RedactionReportItem[] }>;
  /** Electron only: a native dialog; serve mode answers with `undefined` and the UI uses a file input. */
  chooseFile(purpose: 'open' | 'save', suggestedName?: string): Promise<string | undefined>;
  saveFile(path: string, data: string): Promise<void>;

  startReplay(settings: ReplaySettings): Promise<ReplayStatus>;
  pauseReplay(): Promise<ReplayStatus>;
  resumeReplay(): Promise<ReplayStatus>;
  stepReplay(): Promise<ReplayStatus>;
  getReplay(): Promise<ReplayStatus>;
  /** Stops a waiting or running replay (the report keeps what was done; the rest is missing). */
  stopReplay(): Promise<ReplayStatus>;

  /** The captures library: the recordings in the capture folder, newest first (bounded work per file). */
  listCaptures(): Promise<CaptureLibrary>;
  /** Renames a recording of the capture folder (the extension is kept or added); fails if the name is taken. */
  renameCapture(path: string, name: string): Promise<CaptureEntry>;
  /** Deletes a recording of the capture folder (not the one being recorded). */
  deleteCapture(path: string): Promise<void>;
  /** Shows a recording in the system's file manager (desktop); serve mode answers revealed: false and the path. */
  revealCapture(path: string): Promise<{ revealed: boolean; path: string }>;
  /** Offline diff of one connection of two recordings, with the replay's comparison and report. */
  diffCaptures(first: string, second: string, ignore?: string[]): Promise<ReplayStatus>;

  /** Proxy: hold (or stop holding) the frames one side sends; switching it off releases the held ones in order. */
  setProxyHold(connectionId: string, from: 'station' | 'csms', on: boolean): Promise<ProxyStatus>;
  listHeldFrames(): Promise<HeldFrame[]>;
  /**
   * Proxy: forwards a held frame, as received or replaced by `text` (the edited text is recorded too, as what
   * crossed the other leg). Returns the event of what was forwarded.
   */
  releaseHeld(connectionId: string, seq: number, text?: string): Promise<SendResult>;
  /** Proxy: a held frame is never forwarded (recorded with a note). */
  dropHeld(connectionId: string, seq: number): Promise<void>;
  /** Proxy: sends `text` to one side ('station' = the charger, 'csms' = the upstream), recorded as sent by the tool. */
  injectFrame(connectionId: string, to: 'station' | 'csms', text: string): Promise<SendResult>;

  /** Checks: runs a suite or a scenario against a charger on the endpoint or a CSMS; one run at a time. */
  startCheck(settings: CheckSettings): Promise<CheckStatus>;
  /** The person's answer to the pending manual step (its id, from CheckStatus.prompt). */
  answerCheckPrompt(promptId: string, answer: 'done' | 'skip'): Promise<CheckStatus>;
  stopCheck(): Promise<CheckStatus>;
  getCheck(): Promise<CheckStatus>;
  /** The simulated stations (connected with `simulator` settings) and their connectors. */
  listSimulators(): Promise<SimulatedStationView[]>;
  /** Plug in, present a card, start, stop, unplug, fault, clear the fault, reboot, go offline / online. */
  simulatorAction(connectionId: string, action: SimulatorAction): Promise<SimulatedStationView>;
  /** Starts a fleet of simulated stations (one at a time: a running fleet is stopped first). */
  startFleet(settings: FleetSettings): Promise<FleetStatus>;
  stopFleet(): Promise<FleetStatus>;
  getFleet(): Promise<FleetStatus>;
  /** Checks a simulated charger's configuration and revoked serials as startFleet / connectStation would. */
  checkSimulatorSettings(request: SimulatorSettingsCheck): Promise<SimulatorSettingsProblems>;
  /** The file server (HTTP, HTTPS, FTP, FTPS) for diagnostics, logs and firmware. */
  startFiles(settings: FilesSettings): Promise<FilesStatus>;
  stopFiles(): Promise<FilesStatus>;
  getFilesStatus(): Promise<FilesStatus>;
  /** A fresh per-transfer token and its URLs for one charger and request (firmware: size, SHA-256, signature). */
  prepareTransfer(request: TransferTicketRequest): Promise<TransferTicketInfo>;
}

/** The file server chargers upload diagnostics and logs to and download firmware from (see FilesStatus). */
export interface FilesSettings {
  /** The transfer folder: uploads land in one sub-folder per charger identity; its top-level files can be firmware. */
  dir: string;
  /** 0.0.0.0 (all interfaces) by default, like the endpoint. */
  host: string;
  /** Per protocol: 0 picks a free port, null leaves the protocol off. */
  ports: Record<TransferProtocol, number | null>;
  /** A fixed FTP login (besides the per-transfer tokens), for chargers configured by hand. */
  account?: { user: string; password: string };
  /** Uploads larger than this are refused (default 1 GiB). */
  maxUploadBytes: number;
}

export interface FileServerUrl {
  protocol: TransferProtocol;
  /** Base URL on one address of this machine, e.g. `ftp://192.168.1.20:2121/`. */
  url: string;
}

/** A top-level file of the transfer folder, offered as firmware. */
export interface FolderFileInfo {
  name: string;
  size: number;
  modifiedMs: number;
}

export interface FilesStatus {
  running: boolean;
  dir?: string;
  host?: string;
  ports: Partial<Record<TransferProtocol, number>>;
  /** Every protocol on every address a charger may reach. */
  urls: FileServerUrl[];
  /** The local CA the HTTPS and FTPS certificates come from (the endpoint's profile 2 CA). */
  caCertificatePem?: string;
  files: FolderFileInfo[];
  /** The last ended transfers (completed or failed), oldest first. */
  transfers: TransferEvent[];
  maxUploadBytes?: number;
  error?: string;
}

/** What a composer template needs: a fresh token for one charger and one request, with its URLs. */
export interface TransferTicketRequest {
  identity: string;
  /** GetDiagnostics, GetLog, UpdateFirmware, SignedUpdateFirmware. */
  action: string;
  /** For firmware: the file of the transfer folder to serve. */
  firmware?: string;
}

export interface FirmwareFacts {
  name: string;
  size: number;
  sha256: string;
  /** PEM of the firmware signing certificate (from the local CA) and the Base64 signature of the file with it. */
  signingCertificate: string;
  signature: string;
}

export interface TransferTicketInfo {
  token: string;
  identity: string;
  direction: 'upload' | 'download';
  /** One URL per running protocol, on the address the charger reached us on (else the first address). */
  urls: FileServerUrl[];
  firmware?: FirmwareFacts;
}

/** What the engine pushes: new live events, in batches (at most every ~50 ms), and status changes. */
export type EngineNotice =
  | { type: 'events'; sourceId: string; events: ScopeEvent[] }
  | { type: 'connections'; connections: ConnectionStatus[] }
  | { type: 'endpoint'; status: EndpointStatus }
  | { type: 'held'; held: HeldCall[] }
  | { type: 'heldFrames'; frames: HeldFrame[] }
  | { type: 'recording'; status: RecordingStatus }
  | { type: 'source'; source: SourceInfo }
  | { type: 'replay'; status: ReplayStatus }
  | { type: 'check'; status: CheckStatus }
  | { type: 'files'; status: FilesStatus }
  /**
   * The client was too slow to take every live event (serve bridge backpressure): `missed` events of `sourceId` were
   * not delivered. Re-query the source (queryEvents) to catch up.
   */
  | { type: 'resync'; sourceId: string; missed: number };

/** An upload begun (see EngineApi.beginUpload): its id, the chunk size to send and the largest file taken. */
export interface UploadTicket {
  uploadId: string;
  chunkBytes: number;
  maxBytes: number;
}

/** What the renderer sees: the methods plus one subscription. */
export interface ScopeApi extends EngineApi {
  subscribe(listener: (notices: EngineNotice[]) => void): () => void;
  /** Electron only: the File menu's commands, which the window carries out as its own buttons do. */
  onMenuCommand?(listener: (command: MenuCommand) => void): () => void;
}

/** What the File menu asks the window to do with the source it shows. */
export const MENU_COMMANDS = [
  'save',
  'save-as',
  'export-capture-redacted',
  'export-har',
  'export-har-redacted',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** The method names, at run time: the preload, the IPC handlers and the bridge expose exactly these. */
export const API_METHODS = [
  'getSettings',
  'saveSettings',
  'startEndpoint',
  'stopEndpoint',
  'getEndpointStatus',
  'connectStation',
  'disconnect',
  'listConnections',
  'send',
  'listHeld',
  'answerHeld',
  'setAutoAnswer',
  'setRecording',
  'getRecording',
  'listSources',
  'openFile',
  'openContent',
  'beginUpload',
  'uploadChunk',
  'finishUpload',
  'cancelUpload',
  'closeSource',
  'queryEvents',
  'exportSource',
  'chooseFile',
  'saveFile',
  'startReplay',
  'pauseReplay',
  'resumeReplay',
  'stepReplay',
  'getReplay',
  'setProxyHold',
  'listHeldFrames',
  'releaseHeld',
  'dropHeld',
  'injectFrame',
  'startCheck',
  'answerCheckPrompt',
  'stopCheck',
  'getCheck',
  'listSimulators',
  'simulatorAction',
  'startFleet',
  'stopFleet',
  'getFleet',
  'checkSimulatorSettings',
  'startFiles',
  'stopFiles',
  'getFilesStatus',
  'prepareTransfer',
  'regenerateCa',
  'exportDiagnosis',
  'stopReplay',
  'listCaptures',
  'renameCapture',
  'deleteCapture',
  'revealCapture',
  'diffCaptures',
] as const satisfies readonly (keyof EngineApi)[];

export type ApiMethod = (typeof API_METHODS)[number];

// Compile-time check that API_METHODS names every method of EngineApi.
export const API_METHODS_COMPLETE: [Exclude<keyof EngineApi, ApiMethod>] extends [never] ? true : never =
  true;

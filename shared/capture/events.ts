import type { Finding } from '../ocpp/finding';
import type { FrameSummary, PairInfo } from '../ocpp/frame-summary';
import type { FrameProblem } from '../ocpp/frame-types';
import type { Sender } from '../ocpp/sender';
import type { OcppVersion } from '../ocpp/versions';

// The protocol vocabulary lives in shared/ocpp (the bottom layer); re-exported so the capture model reads as one.
export type { Finding, Severity } from '../ocpp/finding';
export type { FrameSummary, PairInfo } from '../ocpp/frame-summary';
export type { Sender } from '../ocpp/sender';

/**
 * The event stream: everything that happens on every connection, append-only. The UI log, capture files and
 * replay all read and write exactly these types. Capture files store one event per line (see docs/capture-format.md).
 */

/** endpoint: the tool is the CSMS; station: the tool is the charger; proxy: the tool sits between both. */
export type ConnectionRole = 'endpoint' | 'station' | 'proxy';

/** An HTTP start line and headers exactly as they crossed the wire: original order and case, duplicates kept. */
export interface HttpHead {
  startLine: string;
  headers: [name: string, value: string][];
}

export interface HttpResponseHead extends HttpHead {
  status: number;
  /** The body of a non-101 answer (text, truncated to a sane size), which often says why. */
  body?: string;
}

export interface SocketAddress {
  address: string;
  port: number;
  family?: 'IPv4' | 'IPv6';
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  subjectAltName?: string;
  /** PEM of the certificate, so it can be saved or installed. */
  pem?: string;
}

export interface TlsFacts {
  protocol?: string;
  cipher?: string;
  servername?: string;
  /** The peer's chain as presented, leaf first. */
  peerChain: CertificateInfo[];
  /** Did the verifying side accept the peer? */
  authorized?: boolean;
  authorizationError?: string;
  /** The user asked to skip verification (station's allow-insecure); recorded so nobody forgets it was on. */
  insecure?: boolean;
}

export interface BasicAuthInfo {
  username: string;
  /** The password as text when printable, else empty (see passwordHex). */
  password: string;
  passwordHex: string;
  printable: boolean;
}

/** How far a failed connection attempt got. */
export type HandshakeStage = 'url' | 'dns' | 'tcp' | 'tls' | 'http' | 'subprotocol' | 'auth';

export interface HandshakeFailure {
  stage: HandshakeStage;
  /** Stable code, e.g. dns-not-found, tcp-refused, tcp-timeout, tls-expired, tls-unknown-ca, tls-name-mismatch,
   *  http-status, no-subprotocol, unexpected-subprotocol, auth-failed. */
  code: string;
  /** One line an installer understands. */
  message: string;
  /** The underlying system or library error, for engineers. */
  detail?: string;
}

export interface HandshakeRecord {
  request: HttpHead;
  response?: HttpResponseHead;
  remote?: SocketAddress;
  local?: SocketAddress;
  tls?: TlsFacts;
  offeredProtocols: string[];
  chosenProtocol?: string;
  basicAuth?: BasicAuthInfo;
  failure?: HandshakeFailure;
  findings: Finding[];
}

export interface ConnectionInfo {
  id: string;
  role: ConnectionRole;
  /** Charge point identity: the last path segment of the URL, decoded. */
  identity: string;
  url: string;
  version?: OcppVersion;
}

interface EventBase {
  /** Position in the stream, from 0; unique within one stream or capture. */
  seq: number;
  /** Wall clock, ms since epoch. */
  t: number;
  /** Monotonic clock, ms, for latencies (not comparable across processes). */
  mono: number;
  /** Connection id. */
  conn: string;
}

export interface OpenedEvent extends EventBase {
  kind: 'opened';
  connection: ConnectionInfo;
  handshake: HandshakeRecord;
  /** False for a failed attempt: handshake.failure says how far it got and why. */
  ok: boolean;
  /** Proxy only: which of the pair's two WebSocket connections this upgrade opened. */
  leg?: ProxyLeg;
}

/** The proxy's two legs: charger -> this tool, and this tool -> the CSMS. */
export type ProxyLeg = 'charger' | 'csms';

export interface FrameEvent extends EventBase {
  kind: 'frame';
  sender: Sender;
  /** Exactly the text that crossed the wire (for binary frames, base64 of the bytes; see `binary`). */
  text: string;
  binary?: boolean;
  /** Parsed view, absent when the frame does not parse (see problem). */
  msg?: FrameSummary;
  problem?: FrameProblem;
  /** Schema and protocol findings for the connection's version. */
  findings: Finding[];
  pair?: PairInfo;
}

export interface PingEvent extends EventBase {
  kind: 'ping' | 'pong';
  sender: Sender;
  /** Payload, hex. */
  data: string;
  rttMs?: number;
}

export type CloseInitiator = 'local' | 'remote' | 'none';

export interface ClosedEvent extends EventBase {
  kind: 'closed';
  code: number;
  reason: string;
  by: CloseInitiator;
  clean: boolean;
}

export interface ErrorEvent extends EventBase {
  kind: 'error';
  code: string;
  message: string;
}

export interface NoteEvent extends EventBase {
  kind: 'note';
  source: 'user' | 'replay' | 'engine';
  text: string;
  /** Optional finding codes this note carries (limits hit, timeouts, replay diffs). */
  findings?: Finding[];
}

export type TransferProtocol = 'http' | 'https' | 'ftp' | 'ftps';

/**
 * started, progress (throttled), then completed or failed: one file moving between a charger and the tool's file
 * server. `linked` says a status notification (DiagnosticsStatusNotification, LogStatusNotification,
 * FirmwareStatusNotification, ...) was matched to the transfer.
 */
export type TransferPhase = 'started' | 'progress' | 'completed' | 'failed' | 'linked';

/** The OCPP request or status notification a transfer belongs to, by its frame event. */
export interface TransferFrameRef {
  seq: number;
  action: string;
  messageId?: string;
  /** For a status notification: its status field (Uploaded, Downloaded, InvalidSignature, ...). */
  status?: string;
}

/**
 * A file transfer through the tool's file server. `conn` is the connection of the OCPP request whose URL carried the
 * transfer's token, or `files` when no request is known (an upload with a token handed out by hand).
 */
export interface TransferEvent extends EventBase {
  kind: 'transfer';
  /** Stable per transfer: every phase of one transfer carries the same id. */
  transfer: string;
  phase: TransferPhase;
  protocol: TransferProtocol;
  /** upload: charger to tool (diagnostics, logs); download: tool to charger (firmware). */
  direction: 'upload' | 'download';
  /** The file name as stored (uploads) or served (downloads). */
  name: string;
  /** Bytes moved so far (the whole count on completed/failed). */
  bytes: number;
  /** Expected size when known (Content-Length, firmware size, a Range's length). */
  size?: number;
  durationMs?: number;
  /** SHA-256 (hex) of the bytes moved, on completed. */
  sha256?: string;
  remote?: SocketAddress;
  identity?: string;
  request?: TransferFrameRef;
  /** On linked: the status notification matched to this transfer. */
  notification?: TransferFrameRef;
  /** For a range request: the first byte served. */
  offset?: number;
  /** Why it failed, and anything else worth a flag (size limit, changed firmware). */
  findings?: Finding[];
}

export type ScopeEvent =
  OpenedEvent | FrameEvent | PingEvent | ClosedEvent | ErrorEvent | NoteEvent | TransferEvent;
export type ScopeEventKind = ScopeEvent['kind'];

/** Every event kind at run time, for the capture reader and the filter language. */
export const EVENT_KINDS = [
  'opened',
  'frame',
  'ping',
  'pong',
  'closed',
  'error',
  'note',
  'transfer',
] as const satisfies readonly ScopeEventKind[];

// A kind added to the union and not to EVENT_KINDS is a type error here.
export const EVENT_KINDS_COMPLETE: [Exclude<ScopeEventKind, (typeof EVENT_KINDS)[number]>] extends [never]
  ? true
  : never = true;

/** Distributes Omit over the union, so a producer can build an event before the stream stamps seq/t/mono. */
export type UnstampedEvent = ScopeEvent extends infer E
  ? E extends ScopeEvent
    ? Omit<E, 'seq' | 't' | 'mono'>
    : never
  : never;

import { EventEmitter } from 'node:events';
import type WebSocket from 'ws';
import type { ConnectionState, ConnectionStatus } from '../../../shared/api';
import type { ConnectionInfo, Finding, HandshakeRecord } from '../../../shared/capture/events';
import type { HandshakeDiagnosis } from '../../../shared/capture/handshake-diagnosis';
import { diagnoseHandshake } from '../../../shared/capture/handshake-diagnosis';
import type { TimedFinding } from '../../../shared/ocpp/frame-observer';
import type { FramePipeline } from '../../../shared/ocpp/pipeline';
import type { EventStream } from './event-stream';
import { DOUBLE_ZERO, plainZero } from './double-zero';
import { compactListenerTables } from './listener-table';

/** Every connection has a few listeners of the hub and its owner (state, held, closed): see listener-table.ts. */
const compactTable = compactListenerTables();

export class NotOpenError extends Error {
  readonly code = 'not-open';
}

/** A peer that ignores our close frame must not keep a connection open: it is cut after this long. */
const CLOSE_DEADLINE_MS = 2000;

/** Sends a close frame, and terminates the socket if the peer has not completed the close in time. */
/** `code` undefined sends a close frame without a status (the peer reports 1005). */
export function closeWithDeadline(ws: WebSocket, code: number | undefined, reason: string): void {
  if (code === undefined) ws.close();
  else ws.close(code, reason);
  setTimeout(() => ws.terminate(), CLOSE_DEADLINE_MS).unref();
}

/**
 * What Connection and ProxyConnection keep the same way: their state and counters, the status built from them, and
 * engine notes that carry a finding. Emits 'state' when the state changes.
 */
export abstract class LiveConnection extends EventEmitter {
  readonly id: string;
  state: ConnectionState = 'connecting';
  since = Date.now();
  frames = 0;
  /** Past 1 GiB not a small integer: a double from the start (see double-zero.ts), as for a long busy connection. */
  bytes = DOUBLE_ZERO;
  findings = 0;
  /** The latest round trip, ms (NaN: none yet): a fraction, so a double from the start (see double-zero.ts). */
  private rttMs = Number.NaN;
  /** A station waiting to reconnect stays listed even while closed. */
  keepListed = false;
  /** Set when the user closed it: a station must not reconnect. */
  userClosed = false;
  protected readonly stream: EventStream;
  /** Why its handshake failed (or connected without a subprotocol), in the words every view shows. */
  diagnosis: HandshakeDiagnosis | undefined;
  /**
   * Until this wall-clock time the behaviour rules have nothing to conclude about this connection (see
   * FramePipeline.quietUntil): the rule clock passes it by. Every frame sets it back to 0.
   */
  protected rulesQuietUntil = DOUBLE_ZERO;
  get lastRttMs(): number | undefined {
    return Number.isNaN(this.rttMs) ? undefined : this.rttMs;
  }

  set lastRttMs(ms: number | undefined) {
    this.rttMs = ms ?? Number.NaN;
  }

  /** The connection's analysis pipeline (parse -> pair -> schema -> behaviour rules). */
  protected abstract readonly pipeline: FramePipeline;

  constructor(id: string, stream: EventStream) {
    super();
    compactTable(this);
    this.id = id;
    this.stream = stream;
  }

  abstract info(): ConnectionInfo;

  /** Keeps the diagnosis of a recorded handshake; the first failure of a proxied pair is its cause. */
  protected noteHandshake(record: HandshakeRecord, ok: boolean): void {
    if (this.diagnosis?.severity === 'error') return;
    this.diagnosis = diagnoseHandshake(record, ok) ?? this.diagnosis;
  }

  setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.since = Date.now();
    this.emit('state', this);
  }

  protected statusWith(extra: Pick<ConnectionStatus, 'proxy'>): ConnectionStatus {
    const s: ConnectionStatus = {
      ...this.info(),
      state: this.state,
      since: this.since,
      frames: this.frames,
      bytes: plainZero(this.bytes),
      findings: this.findings,
      ...extra,
    };
    if (this.lastRttMs !== undefined) s.lastRttMs = this.lastRttMs;
    if (this.diagnosis) s.diagnosis = this.diagnosis;
    return s;
  }

  /** The socket to send on, when it and this connection are open; otherwise records why not and throws NotOpenError. */
  protected openSocket(ws: WebSocket | undefined): WebSocket {
    if (ws && ws.readyState === 1 && this.state === 'open') return ws;
    this.stream.emit({
      kind: 'error',
      conn: this.id,
      code: 'not-open',
      message: `Not sent: the connection is ${this.state}.`,
    });
    throw new NotOpenError(`Connection ${this.id} is ${this.state}.`);
  }

  /** An engine note (a simulated charger's reboot, a failed transfer) on this connection. */
  emitNote(text: string): void {
    this.stream.emit({ kind: 'note', conn: this.id, source: 'engine', text });
  }

  /** An engine note with the one finding that explains it (counted on this connection). */
  protected noteFinding(text: string, finding: Finding): void {
    this.findings++;
    this.stream.emit({ kind: 'note', conn: this.id, source: 'engine', text, findings: [finding] });
  }

  /**
   * The wall clock for the behaviour rules, read before a frame is recorded: what expired meanwhile comes first, as
   * notes. 0 (unread) when no rule runs, to keep the hot path free of it. `mono`: the monotonic clock read a moment
   * ago by the caller, when it has one: its wall time serves (see EventStream.wallAt), no clock is read again.
   */
  protected wireTime(pipeline: FramePipeline, mono?: number): number {
    // A frame may give the rules something to wait for: the rule clock looks at this connection again.
    this.rulesQuietUntil = 0;
    if (!pipeline.observing) return 0;
    const t = mono === undefined ? Date.now() : this.stream.wallAt(mono);
    this.noteTimed(pipeline.advance(t));
    return t;
  }

  /**
   * The engine's clock reached `t` with no frame on this connection: what the behaviour rules conclude from waiting.
   * `_mono`: the monotonic clock at the same moment, read once by whoever visits many connections.
   */
  advanceRules(t: number, _mono?: number): void {
    if (this.state === 'open' && this.pipeline.observing) this.noteTimed(this.pipeline.advance(t));
  }

  /** A rule of the engine's scope concluded about this connection after it closed (a Reset, then no reconnect). */
  noteRuleFinding(tf: TimedFinding): void {
    this.noteFinding(tf.finding.message, tf.finding);
  }

  /** What the behaviour rules concluded from time passing or the connection ending: one engine note each. */
  protected noteTimed(timed: readonly TimedFinding[]): void {
    // Indexed: runs before every frame, nearly always with nothing, and an iterator was an object per frame.
    for (let i = 0; i < timed.length; i++) this.noteFinding(timed[i]!.finding.message, timed[i]!.finding);
  }
}

import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import type { ConnectionState, ConnectionStatus, HeldCall } from '../../../shared/api';
import type {
  CloseInitiator,
  ConnectionInfo,
  ConnectionRole,
  Finding,
  FrameEvent,
  HandshakeFailure,
  HandshakeRecord,
  Sender,
} from '../../../shared/capture/events';
import {
  buildCall,
  buildCallError,
  frameFromValue,
  newMessageId,
  parseFrame,
} from '../../../shared/ocpp/frame';
import { isPlainJson } from '../../../shared/ocpp/json-deep';
import {
  inFlightDelete,
  inFlightGet,
  inFlightList,
  inFlightOldest,
  inFlightSet,
  noMore,
} from '../../../shared/ocpp/pairing-in-flight';
import type { InFlight } from '../../../shared/ocpp/pairing-in-flight';
import type { ParseResult } from '../../../shared/ocpp/frame-types';
import { malformedType } from '../../../shared/ocpp/analyze';
import { standInFrame } from '../../../shared/ocpp/pairing';
import type { JsonObject, JsonValue } from '../../../shared/ocpp/json';
import type { Frame } from '../../../shared/ocpp/frame-types';
import { FramePipeline } from '../../../shared/ocpp/pipeline';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import type { AnswerDecision } from '../station/auto-answer';
import type { EventStream } from './event-stream';
import { decodeFrame, frameEvent, readTime, stampReads, toBuffer } from './frame-intake';
import { sendTextFrame } from './frame-send';
import { packHandshake, unpackHandshake } from './handshake-pack';
import { IntakeLane, slowedNote } from './intake-lane';
import { compactListenerTables } from './listener-table';
import { pingClock } from './ping-clock';
import type { PingClock } from './ping-clock';
import type { LaneOwner, SlowReport } from './intake-lane';
import { closeWithDeadline, LiveConnection } from './live-connection';
import { fragmentList, keepFragmentList } from './ws-fragments';
import type { ConnectionSetup } from './connection-setup';
import { callDeadlines } from './call-deadlines';
import type { DeadlineOwner } from './call-deadlines';
import { indexDeadline, unindexDeadline } from './deadline-index';
import type { DeadlineIndex } from './deadline-index';
import { internalError } from './internal-error';
import { senderPhrase } from '../../../shared/ocpp/sender';

/** The longest part of an unrecorded frame an internal-error event quotes. */
const QUOTED_FRAME_BYTES = 2000;

/** A frame an engine fault kept out of the record, as an internal-error event quotes it. */
function unrecordedFrame(sender: Sender, data: Buffer, isBinary: boolean): string {
  const what = `the ${isBinary ? 'binary ' : ''}frame from ${senderPhrase(sender)} (${data.length} bytes) was not recorded`;
  if (isBinary) return `${what}; its first bytes: ${data.subarray(0, 64).toString('hex')}`;
  if (data.length <= QUOTED_FRAME_BYTES) return `${what}: ${data.toString('utf8')}`;
  return `${what}; its first ${QUOTED_FRAME_BYTES} bytes: ${data.toString('utf8', 0, QUOTED_FRAME_BYTES)} ...`;
}

export interface ConnectionLimits {
  maxFrameBytes: number;
  /** 0 = unlimited. */
  maxFramesPerSec: number;
}

export interface ConnectionOptions {
  id: string;
  role: Exclude<ConnectionRole, 'proxy'>;
  identity: string;
  url: string;
  stream: EventStream;
  /** Answers, pings, call timeout, limits and rules, from the owner's ConnectionSetups (shared by those alike). */
  setup: ConnectionSetup;
}

/** The outcome of sendCall: the request event, and the answer event unless it timed out or the socket closed. */
export interface CallOutcome {
  request: FrameEvent;
  response?: FrameEvent;
  /** The payload of a CALLRESULT answer, as the analysis parsed it (no need to parse the text again). */
  payload?: JsonObject;
  timedOut: boolean;
  closed?: boolean;
}

/**
 * A stateful answerer (the simulated charger): when the policy for an action is `auto` its answer replaces the canned
 * one, and when it is `hold` its answer is the suggestion. `after` runs once the answer was sent (a triggered message
 * must follow its answer). Undefined: no behaviour for this action, the canned answer applies.
 */
export interface CallBehaviour {
  answer(
    messageId: string,
    action: string,
    payload: JsonObject,
    /** The first error the analysis found in the call (schema, direction) with the CALLERROR code it calls for. */
    problem?: Finding,
    /** The call's frame length in bytes as received. */
    bytes?: number,
  ): { text: string; after?: () => void } | undefined;
  /** The connection's state changed, after its 'state' listeners heard it (a simulated charger follows its socket). */
  stateChanged?(): void;
}

/**
 * What answerEarly decided beside the parse it returns, taken by its caller right away (answerEarly clears it first): one object for
 * the process rather than one per call received. Nothing runs in between that could receive another frame.
 */
const early: { decision: AnswerDecision | undefined; sentAt: number; bytes: number } = {
  decision: undefined,
  // When the answer left (NaN: not sent): a double field (a clock reading that happened to be a whole number of ms
  // would otherwise change the field's kind, see double-zero.ts).
  sentAt: Number.NaN,
  // The answer's length in UTF-8 bytes when the send worked it out, else -1 (see sendTextFrame).
  bytes: -1,
};

/** The longest the rule clock passes a quiet connection by (see advanceRules). */
const RULES_RECHECK_MS = 60_000;
/** The longest a frame handed to a corked socket is held before it leaves, ms (see Connection.write). */
export const MAX_CORK_MS = 1;

/** Calls held for a manual answer per connection; past it, calls get the answer they would get without the hold. */
export const MAX_HELD_CALLS = 100;

type Stamped<T> = T & { seq: number; t: number; mono: number };

/**
 * Who takes the outcome of a call with what it named (a simulated charger and the call it queued): an object with
 * a method rather than a closure per call, as a fleet makes a call per charger every heartbeat.
 */
export interface OutcomeTaker<T> {
  callOutcome(outcome: CallOutcome, tag: T): void;
}

/**
 * One of our CALLs in flight: its deadline and who waits for its answer (a plain object, no closure per call). One
 * object for both, kept in the connection's own field while it is the only one (see pairing-in-flight.ts): a
 * charger making one call at a time made and dropped two maps per call (its timer's and its waiter's).
 */
interface OurCall {
  readonly id: string;
  /** `callDeadlines`' time for it; 0 without a timeout. */
  deadline: number;
  /** Set while someone waits for the answer (not for a CALL sent as raw text). */
  request: FrameEvent | undefined;
  done: ((outcome: CallOutcome) => void) | undefined;
  taker: OutcomeTaker<unknown> | undefined;
  tag: unknown;
}

type Waited = OurCall & { request: FrameEvent };

function settle(
  w: Waited,
  why: 'answer' | 'timeout' | 'closed',
  response?: FrameEvent,
  /** The answer's payload as the analysis parsed it (a CALLRESULT). */
  payload?: JsonObject,
): void {
  // Built without spreads: this runs for every call our station makes.
  const outcome: CallOutcome = { request: w.request, timedOut: why === 'timeout' };
  if (response) {
    outcome.response = response;
    if (payload !== undefined) outcome.payload = payload;
  }
  if (why === 'closed') outcome.closed = true;
  if (w.taker) w.taker.callOutcome(outcome, w.tag);
  else w.done!(outcome);
}

export { NotOpenError } from './live-connection';

/**
 * One live WebSocket (for a station with reconnect, the same Connection across attempts). Records every frame,
 * ping and close on the event stream, pairs calls with answers, applies the auto-answer policy and the limits.
 * Emits 'state' when its state changes and 'held' when its held calls change.
 */
export class Connection extends LiveConnection implements LaneOwner, DeadlineOwner, InFlight<OurCall> {
  readonly role: 'endpoint' | 'station';
  readonly identity: string;
  readonly url: string;
  version: OcppVersion | undefined;
  offeredProtocols: readonly string[] = NONE;
  protocol: string | undefined;
  failure: HandshakeFailure | undefined;
  /**
   * The record of a charger's upgrade, packed (see handshake-pack.ts): a check run started long after it opened reads
   * what the charger sent (Basic auth, TLS, headers) from it. Not the record's objects, nor even its JSON text: ten
   * thousand chargers each holding either cost a good part of what the socket itself costs.
   */
  private handshakePacked: string | undefined;
  /** Called by close(): cancels a station's pending reconnect. */
  onUserClose: { userClosed(): void } | undefined;
  /** Set for a simulated charger: its answers replace the canned ones (see CallBehaviour). */
  behaviour: CallBehaviour | undefined;

  /** Answers, pings, call timeout, limits and rules: shared by the connections that have them alike. */
  private readonly setup: ConnectionSetup;
  /** Made at the first frame (or at the close, for the rules' last word): an idle charger keeps none. */
  private pipelineState: FramePipeline | undefined;
  // Created on first use: thousands of idle chargers should cost little.
  private heldCalls: Map<string, HeldCall> | undefined;
  /** @internal Our CALLs in flight: the only one, or (two or more) a map by id (see pairing-in-flight.ts). */
  lone: OurCall | undefined = undefined;
  /** @internal See `lone`. */
  more: Map<string, OurCall> = noMore();
  /**
   * Our calls in flight by deadline, made when the deadline queue first asks about a connection with two or more in
   * flight, kept up while any is, dropped with the last (see holdersOf): a charger's one call at a time makes none.
   */
  private byDeadline: DeadlineIndex<OurCall> | undefined;
  private ws: WebSocket | undefined;
  /** The clock pinging this connection while its socket is open (one per interval for all connections). */
  private pings: PingClock | undefined;
  /** When our ping left (NaN: none out): a double field, see double-zero.ts. */
  private pingSentAt = Number.NaN;
  private pingCounter = 0;
  private closingLocally = false;
  /** Frames wait here (in order, none lost) while this peer is over its share or past an explicit limit. */
  // Made on the first frame: thousands of idle chargers should not each carry a lane and its callbacks.
  private laneState: IntakeLane | undefined;
  /** Set once the held-calls cap was reported; cleared when a call is held again below it (a new episode). */
  private heldLimitNoted = false;
  private errorCloseCode: number | undefined;
  /** The socket's own list of message fragments, put back after each message (see ws-fragments.ts). */
  private fragments: unknown[] | undefined;

  constructor(options: ConnectionOptions) {
    super(options.id, options.stream);
    this.setup = options.setup;
    this.role = options.role;
    this.identity = options.identity;
    this.url = flat(options.url);
  }

  /** Who we are on the wire, and who the peer is (from the role: not two more fields on each of ten thousand). */
  get ours(): Sender {
    return this.role === 'endpoint' ? 'csms' : 'station';
  }

  /** The connection id, as the behaviour rules read it (ObservedConnection). */
  get conn(): string {
    return this.id;
  }

  get theirs(): Sender {
    return this.role === 'endpoint' ? 'station' : 'csms';
  }

  protected get pipeline(): FramePipeline {
    return (this.pipelineState ??= this.newPipeline());
  }

  private newPipeline(): FramePipeline {
    // Responses later than the call timeout are flagged by the pairing; no timeout means none is late.
    return new FramePipeline(this.version, {
      timeoutMs: this.setup.callTimeoutSec > 0 ? this.setup.callTimeoutSec * 1000 : Number.POSITIVE_INFINITY,
      ...(this.setup.observers ? { observers: this.setup.observers } : {}),
      // Itself (conn and identity): an object of two fields per connection for as long as it lives cost 40 bytes.
      connection: this,
    });
  }

  info(): ConnectionInfo {
    const info: ConnectionInfo = { id: this.id, role: this.role, identity: this.identity, url: this.url };
    if (this.version) info.version = this.version;
    return info;
  }

  status(): ConnectionStatus {
    return this.statusWith({});
  }

  /** The handshake record this connection keeps (see handshakePacked): a fresh copy each time. */
  get handshake(): HandshakeRecord | undefined {
    return this.handshakePacked === undefined ? undefined : unpackHandshake(this.handshakePacked);
  }

  held(): HeldCall[] {
    return this.heldCalls ? [...this.heldCalls.values()] : [];
  }

  get isOpen(): boolean {
    return this.state === 'open' && this.ws !== undefined && this.ws.readyState === 1;
  }

  /** Records the opened event of an attempt; on success binds the socket. */
  opened(handshake: HandshakeRecord, ws: WebSocket | undefined, version: OcppVersion | undefined): void {
    // A failed attempt explains itself with its record. A charger's open connection keeps it too: a check run started
    // long after it opened reads what the charger sent (Basic auth, TLS). Our own station connections let it go:
    // thousands of simulated chargers must not each hold one.
    this.handshakePacked = ws && this.role === 'station' ? undefined : packHandshake(handshake);
    this.offeredProtocols = sharedList(handshake.offeredProtocols);
    const chosen = handshake.chosenProtocol;
    // The offer's own string when it is one of them (shared as the list is).
    this.protocol =
      chosen === undefined ? undefined : (this.offeredProtocols.find((p) => p === chosen) ?? chosen);
    this.failure = handshake.failure;
    this.version = version;
    if (this.pipelineState) this.pipelineState.version = version;
    this.findings += handshake.findings.length;
    this.noteHandshake(handshake, ws !== undefined);
    this.stream.emit({
      kind: 'opened',
      conn: this.id,
      connection: this.info(),
      handshake,
      ok: ws !== undefined,
    });
    if (ws) this.bind(ws);
    else this.setState('failed');
  }

  private get lane(): IntakeLane {
    return (this.laneState ??= new IntakeLane(this.setup.limits.maxFramesPerSec, this));
  }

  // ---- LaneOwner (the intake lane calls these; not for other use) ------------------------------------------------

  /** @internal */
  laneFrame(data: Buffer, isBinary: boolean, at: number): void {
    // Answers corked for a while leave before this frame is handled: it may write nothing (an answer to our call, a
    // held call) and take long (a ~1 MB frame), and they would wait for it (see write).
    if (this.corkedAt !== 0) this.corkAged(performance.now());
    const events = this.stream.count;
    try {
      this.onMessage(data, isBinary, at);
    } catch (error) {
      // A fault of ours on one frame (a bug a hostile frame found, a socket write that threw) is recorded and ends
      // there: thrown on, it would end the process from the socket's data handler, or leave the lane's queue stuck
      // (paused, never drained) from its timer. The connection goes on with the next frame. A frame the fault kept
      // out of the record (no event since) is quoted in the error, so the evidence is not lost.
      internalError(
        this.stream,
        this.id,
        error,
        this.stream.count === events ? unrecordedFrame(this.theirs, data, isBinary) : undefined,
      );
    }
  }

  /** @internal */
  lanePause(): void {
    if (this.ws && !this.ws.isPaused) this.ws.pause();
  }

  /** @internal */
  laneResume(): void {
    if (this.ws?.readyState === 1 && this.ws.isPaused) this.ws.resume();
  }

  /** @internal How much this peer's frames were delayed (an explicit limit, or its share of the engine). */
  laneSlowed(report: SlowReport): void {
    const n = slowedNote(report, this.role === 'endpoint' ? 'The charger' : 'The CSMS');
    this.noteFinding(n.text, { code: n.code, severity: 'warning', message: n.message });
  }

  override setState(state: ConnectionState): void {
    if (this.state === state) return;
    super.setState(state);
    // Told here rather than as one more 'state' listener: a second listener of an event costs each of ten thousand
    // simulated chargers an array.
    this.behaviour?.stateChanged?.();
  }

  /**
   * The rule clock's tick: besides the behaviour rules' time, a quiet connection lets go of its intake lane (made
   * again by its next frame), so thousands of chargers between heartbeats keep none.
   */
  override advanceRules(t: number, mono = performance.now()): void {
    // Without a pipeline yet there is nothing the rules wait for (see FramePipeline.advance): none is made for it.
    const pipeline = this.pipelineState;
    if (pipeline && this.state === 'open' && pipeline.observing && t >= this.rulesQuietUntil) {
      this.noteTimed(pipeline.advance(t));
      // Ten thousand simulated chargers between heartbeats: each is looked at again when a rule's deadline (or a
      // frame) comes, not every tick; at least once a minute all the same.
      this.rulesQuietUntil = Math.min(pipeline.quietUntil(), t + RULES_RECHECK_MS);
    }
    const lane = this.laneState;
    if (lane?.idle(mono)) {
      lane.stop();
      this.laneState = undefined;
      this.pipeline.compact();
    }
  }

  private bind(ws: WebSocket): void {
    this.ws = ws;
    this.fragments = fragmentList(ws);
    stampReads(ws);
    this.closingLocally = false;
    this.pingSentAt = Number.NaN;
    this.setState('open');
    // The same listener functions for every socket (called with the socket as `this`, which names its connection):
    // a closure and a scope per event per connection cost more than the rest of what an idle charger keeps.
    (ws as Owned)[OWNER] = this;
    compactSocketTable(ws);
    ws.on('message', Connection.wsMessage);
    ws.on('ping', Connection.wsPing);
    ws.on('pong', Connection.wsPong);
    ws.on('error', Connection.wsError);
    ws.on('close', Connection.wsClose);
    if (this.setup.pingIntervalSec > 0) {
      this.pings = pingClock(this.setup.pingIntervalSec * 1000);
      this.pings.add(this);
    }
  }

  private static wsMessage(this: Owned, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    const c = this[OWNER]!;
    const bytes = toBuffer(data);
    if (c.fragments) keepFragmentList(this, c.fragments);
    c.lane.offer(bytes, isBinary, readTime(this));
  }

  private static wsPing(this: Owned, data: Buffer): void {
    const c = this[OWNER]!;
    c.stream.emit({ kind: 'ping', conn: c.id, sender: c.theirs, data: data.toString('hex') });
    // ws answers pings itself (autoPong); record the pong it sends.
    c.stream.emit({ kind: 'pong', conn: c.id, sender: c.ours, data: data.toString('hex') });
  }

  private static wsPong(this: Owned, data: Buffer): void {
    this[OWNER]!.onPong(data);
  }

  private static wsError(this: Owned, error: Error & { code?: string }): void {
    this[OWNER]!.onError(error);
  }

  private static wsClose(this: Owned, code: number, reason: Buffer): void {
    this[OWNER]!.onClose(code, reason.toString('utf8'));
  }

  // ---- incoming ------------------------------------------------------------------------------------------------

  /** `at`: when the frame's bytes were read from the socket. */
  private onMessage(data: Buffer, isBinary: boolean, at: number): void {
    this.frames++;
    this.bytes += data.length;
    const text = decodeFrame(this.id, this.theirs, data, isBinary);
    if (typeof text !== 'string') {
      this.findings++;
      this.stream.emit(text, at);
      return;
    }
    this.receiveText(text, at, data.length);
  }

  /** `bytes`: the frame's length on the wire, known here for free (a charger's BytesPerMessage limits read it). */
  private receiveText(text: string, at: number, bytes: number): void {
    // A canned answer needs only the call's id and action: it leaves before the call is validated, shown to the
    // rules and recorded, which a charger making one call at a time would otherwise wait for. (A simulated
    // charger's answer reads the analysis: it is decided after it.)
    let parsed: ParseResult | undefined;
    let decision: AnswerDecision | undefined;
    let sentAt: number | undefined;
    let sentBytes = -1;
    if (this.behaviour === undefined && this.version !== undefined) {
      parsed = this.answerEarly(text);
      decision = early.decision;
      sentAt = Number.isNaN(early.sentAt) ? undefined : early.sentAt;
      sentBytes = early.bytes;
    }
    // With an answer sent, the clock read as it left is "now" for the rules too (no second read).
    const t = this.wireTime(this.pipeline, sentAt);
    // The seq this frame's event gets: it is emitted right below, synchronously. Paired by its time at the wire,
    // so a round trip never includes our own parsing, validation or recording.
    const a = this.pipeline.analyze(text, this.theirs, this.stream.count, at, t, true, parsed);
    this.findings += a.findings.length;
    const event = this.stream.emit(frameEvent(this.id, this.theirs, text, a), at) as Stamped<FrameEvent>;
    if (a.pair?.rttMs !== undefined) this.lastRttMs = a.pair.rttMs;
    const frame = a.frame;
    if (!frame) {
      // A malformed answer whose type and id could be read still answers our call and wakes who waits for it, even
      // one the pairing forgot (our own record of calls in flight decides, not the pairing's).
      const p = a.problem;
      const id = p?.messageId;
      const type = p ? malformedType(text, p) : undefined;
      if (id !== undefined && (type === 3 || type === 4)) this.answered(id, event);
      else this.answerMalformed(event, id, type, p?.errorCode, p?.message);
      return;
    }
    if (frame.type === 2) {
      if (decision) this.answerDecided(frame.id, frame.action, event.seq, decision, sentAt, t, sentBytes);
      else this.autoAnswer(frame.id, frame.action, event.seq, frame.payload, callProblem(a.findings), bytes);
    } else if (frame.type === 3 || frame.type === 4) {
      // Also when the pairing did not pair it (it keeps 4,096 calls in flight per sender and forgets the oldest):
      // a call we hold in flight that got its answer was answered, and must not time out later.
      this.answered(frame.id, event, frame.type === 3 ? frame.payload : undefined);
    }
  }

  /** Our CALL `id` got its answer: it is no longer in flight (its deadline passes unused); wake who waits for it. */
  private answered(id: string, event: Stamped<FrameEvent>, payload?: JsonObject): void {
    const c = inFlightGet(this, id);
    if (!c) return;
    inFlightDelete(this, id);
    if (this.byDeadline !== undefined) this.leftFlight(c);
    if (c.request) settle(c as Waited, 'answer', event, payload);
  }

  private answerMalformed(
    event: Stamped<FrameEvent>,
    id: string | undefined,
    type: unknown,
    code: string | undefined,
    why?: string,
  ): void {
    if (!this.setup.answers.answerMalformed || id === undefined || code === undefined || !this.isOpen) return;
    // Only a malformed request is answered: answering a broken response (types 3 to 6) with a CALLERROR would be wrong.
    if (typeof type === 'number' && type >= 3 && type <= 6) return;
    this.send(buildCallError(id, code, why ?? ''));
  }

  private autoAnswer(
    messageId: string,
    action: string,
    seq: number,
    payload: JsonObject,
    problem: Finding | undefined,
    bytes: number,
  ): void {
    const version = this.version;
    if (!version) return;
    const decision = this.setup.answers.decide(version, messageId, action, this.role);
    const own =
      this.behaviour && (decision.kind === 'hold' || decision.mode === 'auto')
        ? this.behaviour.answer(messageId, action, payload, problem, bytes)
        : undefined;
    if (own && decision.kind === 'send') {
      if (!this.isOpen) return;
      this.send(own.text);
      own.after?.();
      return;
    }
    if (own && decision.kind === 'hold') decision.suggested = own.text;
    this.answerDecided(messageId, action, seq, decision);
  }

  /**
   * Parses a received frame (the analysis then reuses the parse) and, for a CALL whose auto-answer is one we built,
   * hands that answer to the socket at once; `early.sentAt` is when. The decision is made once either way, and left
   * in `early` for the caller to take at once.
   */
  private answerEarly(text: string): ParseResult {
    // Cleared here too: a throw after a decision (a failing socket write) must not hand it to the next frame.
    early.decision = undefined;
    early.sentAt = Number.NaN;
    early.bytes = -1;
    const parsed = parseFrame(text, this.version);
    if (!parsed.ok || parsed.frame.type !== 2) return parsed;
    const { id, action } = parsed.frame;
    const decision = this.setup.answers.decide(this.version!, id, action, this.role);
    early.decision = decision;
    if (decision.kind !== 'send' || decision.trusted === undefined || !this.isOpen) return parsed;
    early.sentAt = performance.now();
    early.bytes = this.write(this.ws!, decision.text, early.sentAt);
    return parsed;
  }

  /**
   * Acts on the auto-answer decision for a CALL (recorded as `seq`); `sentAt`: its answer has left already, before
   * the rules' clock was read for the call (`wall`), which is then the answer's too: read after the answer left, and
   * the rules were advanced to it a moment ago (a second read cost a clock read and a pass over the rules per call).
   */
  private answerDecided(
    messageId: string,
    action: string,
    seq: number,
    decision: AnswerDecision,
    sentAt?: number,
    wall?: number,
    /** The answer's length in UTF-8 bytes when its send worked it out, else -1. */
    sentBytes = -1,
  ): void {
    const version = this.version;
    if (!version) return;
    if (decision.kind === 'hold') {
      const held = (this.heldCalls ??= new Map());
      if (held.size >= MAX_HELD_CALLS && !held.has(messageId)) {
        // A flood under a hold policy must not grow without end: past the cap, answer as without the hold.
        this.heldLimitReached(action, messageId);
        if (this.isOpen) this.send(decision.suggested);
        return;
      }
      this.heldLimitNoted = false;
      held.set(messageId, {
        connectionId: this.id,
        messageId,
        action,
        version,
        seq,
        suggestedResponse: decision.suggested,
      });
      this.emit('held', this);
      return;
    }
    if (sentAt !== undefined && decision.trusted) {
      this.recordTrusted(
        decision.text,
        messageId,
        action,
        decision.trusted,
        sentAt,
        wall ?? this.wireTime(this.pipeline),
        sentBytes,
      );
      return;
    }
    if (!this.isOpen) return;
    if (decision.trusted) this.sendTrusted(decision.text, messageId, action, decision.trusted);
    else this.send(decision.text);
  }

  private heldLimitReached(action: string, messageId: string): void {
    if (this.heldLimitNoted) return;
    this.heldLimitNoted = true;
    this.noteFinding(
      `${MAX_HELD_CALLS} calls are already held on this connection: ${action} (${messageId}) and further calls are answered automatically until some are answered.`,
      {
        code: 'held-calls-limit',
        severity: 'warning',
        message: `More than ${MAX_HELD_CALLS} calls held at once: the excess is answered as if no hold were set.`,
      },
    );
  }

  /** The hot path of auto-answer: a response we built and know to be valid is recorded without parsing it again. */
  private sendTrusted(
    text: string,
    id: string,
    action: string,
    t: { type: 3 | 4; errorCode?: string },
  ): void {
    const ws = this.ws!;
    const wall = this.wireTime(this.pipeline);
    // Handed to the socket first: recording it must not delay it, nor count in its time at the wire.
    const at = performance.now();
    const bytes = this.write(ws, text, at);
    this.recordTrusted(text, id, action, t, at, wall, bytes);
  }

  /** Records an answer we built, handed to the socket at `at` (`wall`: the rules' clock then or since). */
  private recordTrusted(
    text: string,
    id: string,
    action: string,
    t: { type: 3 | 4; errorCode?: string },
    at: number,
    wall: number,
    /** Its length in UTF-8 bytes when the send worked it out, else -1 (counted here then). */
    bytes: number,
  ): void {
    // The behaviour rules read the answer's payload: then (only) its text is parsed, but not checked again.
    const a = this.pipeline.ownAnswer(this.ours, builtFrame, text, t.type, id, this.stream.count, at, wall);
    const msg = a.msg!;
    msg.action = action;
    if (t.errorCode !== undefined) msg.errorCode = t.errorCode;
    // Auto-answers are ASCII JSON built by us, except for ids and texts a peer chose: bytes are counted exactly (by
    // the send, which worked them out for the frame's header, or here).
    this.frames++;
    this.bytes += bytes >= 0 ? bytes : Buffer.byteLength(text);
    this.findings += a.findings.length;
    // Same construction as every other frame event: one object shape keeps the stream's hot path fast.
    this.stream.emit(frameEvent(this.id, this.ours, text, a), at);
  }

  // ---- outgoing ------------------------------------------------------------------------------------------------

  /**
   * While the socket is corked (see write): the whole ms (performance.now(), floored) the held frames began at, plus
   * one (so never 0); 0 when not corked. A small integer, not a clock reading: a double field costs every connection
   * a box of its own.
   */
  corkedAt = 0;

  /**
   * Frames sent in one turn of the event loop leave in one write: the socket stays corked until the turn ends, or
   * until the frames held reach MAX_CORK_MS. A charger with many calls in flight gets its answers in one system call
   * instead of one each (bytes unchanged). The bound keeps each frame's time at the wire (`at`, read before it was
   * handed over) true: held for the whole turn (a read of a thousand calls, a lane's 8 ms run), the first answers
   * left milliseconds after their time and their RTT read short.
   */
  /**
   * Corked since longer than MAX_CORK_MS at `now`: what is corked leaves now, and the socket stays corked for what
   * follows (uncorked at the turn's end, or here again).
   */
  private corkAged(now: number): void {
    if (now - (this.corkedAt - 1) <= MAX_CORK_MS) return;
    const socket = (this.ws as unknown as { _socket?: Socket } | undefined)?._socket;
    if (!socket) return;
    socket.uncork();
    socket.cork();
    this.corkedAt = Math.floor(now) + 1;
  }

  /** Returns the frame's length in UTF-8 bytes when the send worked it out, else -1 (see sendTextFrame). */
  private write(ws: WebSocket, text: string, at: number): number {
    const inner = ws as unknown as { _socket?: Socket; _receiver?: { _bufferedBytes?: number } };
    const corkedAt = this.corkedAt;
    if (corkedAt === 0) {
      const socket = inner._socket;
      // Only worth it when more frames of the same read are still to be handled (a lone call is answered at once),
      // or more wait in the intake lane: a slowed peer's run of queued frames is answered in one write, not one each.
      if (socket && ((inner._receiver?._bufferedBytes ?? 0) > 0 || (this.laneState?.queued ?? 0) > 0)) {
        this.corkedAt = Math.floor(at) + 1;
        socket.cork();
        process.nextTick(uncork, this, socket);
      }
    } else this.corkAged(at);
    return sendTextFrame(ws, text);
  }

  /**
   * Sends exactly `text` (never re-serialized), valid or not, and records it with its findings. Throws NotOpenError
   * when the socket is not open.
   */
  send(text: string): FrameEvent {
    return this.sendText(text);
  }

  /**
   * send(), for a frame whose parse is known (`parsed`: one we built from its parts); `validate` false for a frame
   * our own charger model built, valid by construction (still paired, shown to the rules and recorded).
   */
  private sendText(
    text: string,
    parsed?: ParseResult,
    validate = true,
    timeoutSec = this.setup.callTimeoutSec,
    /** A CALL whose id was just made here (newMessageId): not looked for among ids in use or used before. */
    freshId = false,
  ): FrameEvent {
    const ws = this.openSocket(this.ws);
    const t = this.wireTime(this.pipeline);
    // Handed to the socket first, then parsed, validated and recorded: the frame's time is when it left.
    const at = performance.now();
    const sent = this.write(ws, text, at);
    const a = this.pipeline.analyze(
      text,
      this.ours,
      this.stream.count,
      at,
      t,
      true,
      parsed,
      validate,
      freshId,
    );
    const size = sent >= 0 ? sent : Buffer.byteLength(text, 'utf8');
    if (size > this.setup.limits.maxFrameBytes)
      a.findings.push({
        code: 'frame-too-large',
        severity: 'warning',
        message: `This frame is ${size} bytes, over the ${this.setup.limits.maxFrameBytes}-byte limit set for frames.`,
      });
    this.frames++;
    this.bytes += size;
    this.findings += a.findings.length;
    const event = this.stream.emit(frameEvent(this.id, this.ours, text, a), at) as Stamped<FrameEvent>;
    const frame = a.frame;
    // A malformed CALL with a readable id is still answered by a peer: it times out like any CALL.
    const call = frame ?? (a.problem ? standInFrame(a.problem) : undefined);
    if (call?.type === 2) {
      this.armCallTimeout(call.id, timeoutSec);
    } else if ((frame?.type === 3 || frame?.type === 4) && this.heldCalls?.delete(frame.id)) {
      this.emit('held', this);
    }
    return event;
  }

  /** Builds a CALL with a fresh id, sends it and waits for its answer or the timeout. */
  sendCall(action: string, payload: JsonObject = {}, timeoutSec?: number): Promise<CallOutcome> {
    const id = newMessageId();
    const request = this.sendBuilt(id, action, payload, true, timeoutSec);
    return this.waitFor(id, request);
  }

  /**
   * A CALL built here from its parts, `id` just made (newMessageId): the analysis takes its frame from the parts
   * rather than parsing the text we just wrote (the same frame, unless the payload holds what JSON text cannot keep,
   * undefined members for one: a payload to validate is then parsed from the text, as the peer reads it), and does
   * not look for its id among those in use or used before (a fresh random UUID is neither).
   * `validate` false for our own charger model's calls, valid by construction.
   */
  private sendBuilt(
    id: string,
    action: string,
    payload: JsonObject,
    validate: boolean,
    timeoutSec?: number,
  ): FrameEvent {
    const parsed =
      validate && !isPlainJson(payload) ? undefined : frameFromValue([2, id, action, payload], this.version);
    // Its own timeout armed as it is sent (not the connection's first, then replaced: one deadline per call).
    return this.sendText(buildCall(id, action, payload), parsed, validate, timeoutSec, true);
  }

  /** Sends `text` (a CALL) and waits for the answer to its id; for texts that are not CALLs resolves at once. */
  sendAndWait(text: string): Promise<CallOutcome> {
    const request = this.send(text);
    const parsed = request.msg ? undefined : parseFrame(text, this.version);
    const stand = parsed && !parsed.ok ? standInFrame(parsed.problem) : undefined;
    const id = request.msg?.type === 2 ? request.msg.id : stand?.type === 2 ? stand.id : undefined;
    if (id === undefined || request.findings.some((f) => f.code === 'duplicate-message-id'))
      return Promise.resolve({ request, timedOut: false });
    return this.waitFor(id, request);
  }

  /**
   * As sendCall, but `done` runs synchronously as the answer is handled (or the call times out or the socket closes),
   * before the next frame of the same read: a simulated charger must have taken in its boot answer when a CALL
   * right behind it arrives. Throws NotOpenError when the socket is not open.
   */
  sendCallThen(
    action: string,
    payload: JsonObject,
    timeoutSec: number,
    done: (outcome: CallOutcome) => void,
  ): void {
    const id = newMessageId();
    const request = this.sendBuilt(id, action, payload, true, timeoutSec);
    this.expect(id, request, done);
  }

  /**
   * As sendCallThen, for a call our own charger model built (valid by construction: paired, shown to the rules and
   * recorded, not validated again), its outcome handed to `taker` with `tag` (no closure per call).
   */
  sendOwnCall<T>(
    action: string,
    payload: JsonObject,
    timeoutSec: number,
    taker: OutcomeTaker<T>,
    tag: T,
  ): void {
    const id = newMessageId();
    const request = this.sendBuilt(id, action, payload, false, timeoutSec);
    this.expect(id, request, undefined, taker as OutcomeTaker<unknown>, tag);
  }

  private waitFor(id: string, request: FrameEvent): Promise<CallOutcome> {
    return new Promise((resolve) => this.expect(id, request, resolve));
  }

  private expect(
    id: string,
    request: FrameEvent,
    done: ((outcome: CallOutcome) => void) | undefined,
    taker?: OutcomeTaker<unknown>,
    tag?: unknown,
  ): void {
    const c = inFlightGet(this, id);
    if (!c) {
      inFlightSet(this, { id, deadline: 0, request, done, taker, tag });
      return;
    }
    // Its timeout was armed as it was sent (or an earlier call with its id still waits: this one takes its place).
    c.request = request;
    c.done = done;
    c.taker = taker;
    c.tag = tag;
  }

  private armCallTimeout(id: string, sec: number): void {
    // Asked first: the queue may sweep, and look the deadlines in flight up, before this call's changes.
    const at = sec > 0 ? callDeadlines.add(this, sec) : 0;
    const index = this.byDeadline;
    const c = inFlightGet(this, id);
    if (c) {
      if (index !== undefined) unindexDeadline(index, c);
      c.deadline = at;
      if (at === 0 && c.request === undefined) {
        inFlightDelete(this, id);
        if (index !== undefined) this.leftFlight(c);
      } else if (index !== undefined) indexDeadline(index, c);
    } else if (at !== 0) {
      const call: OurCall = {
        id,
        deadline: at,
        request: undefined,
        done: undefined,
        taker: undefined,
        tag: undefined,
      };
      inFlightSet(this, call);
      if (index !== undefined) indexDeadline(index, call);
    }
  }

  /**
   * The call(s) in flight with the deadline `at`: a lone call is looked at, two or more are looked up in byDeadline
   * (made here at the first question, one walk of them, then kept up as calls come and go).
   */
  private holdersOf(at: number): OurCall | Set<OurCall> | undefined {
    const lone = this.lone;
    if (lone !== undefined) return lone.deadline === at ? lone : undefined;
    const size = this.more.size;
    if (size < 2) {
      const last = size === 0 ? undefined : inFlightOldest(this);
      return last?.deadline === at ? last : undefined;
    }
    let index = this.byDeadline;
    if (index === undefined) {
      index = new Map();
      for (const c of this.more.values()) indexDeadline(index, c);
      this.byDeadline = index;
    }
    return index.get(at);
  }

  /**
   * `c` (its deadline not yet cleared) left flight: out of byDeadline, which goes once fewer than two calls are in
   * flight (a connection that once had two would otherwise keep paying an index write and delete per call).
   */
  private leftFlight(c: OurCall): void {
    if (this.lone !== undefined || this.more.size < 2) this.byDeadline = undefined;
    else unindexDeadline(this.byDeadline!, c);
  }

  /** @internal `callDeadlines`' call: a deadline `at` has come; the call(s) that still have it timed out. */
  callDeadline(at: number, sec: number): void {
    // Answered, re-armed or closed meanwhile: no call has this deadline any more.
    const held = this.holdersOf(at);
    if (held === undefined) return;
    if (!(held instanceof Set)) {
      this.callTimedOut(held, sec);
      return;
    }
    // Armed within one reading of the clock: the group leaves the index whole, and its calls time out in the order
    // they were armed. Those a timeout's listener answered, re-armed or closed meanwhile are passed over.
    this.byDeadline!.delete(at);
    for (const c of held) if (c.deadline === at && inFlightGet(this, c.id) === c) this.callTimedOut(c, sec);
  }

  /** @internal `callDeadlines`' question: does a call of ours still have the deadline `at`? A look-up. */
  waitsFor(at: number): boolean {
    return this.holdersOf(at) !== undefined;
  }

  private callTimedOut(c: OurCall, sec: number): void {
    const id = c.id;
    if (this.byDeadline !== undefined) unindexDeadline(this.byDeadline, c);
    c.deadline = 0;
    const call = this.pipeline.timedOut(this.ours, id);
    // An answer takes the call out of flight in the step that pairs it (answered): a call still here at its deadline
    // was not answered, even one the pairing forgot (it keeps 4,096 in flight per sender, the oldest let go past
    // that), whose action is then known only if we hold its request (a call waited for).
    const known = call !== undefined || c.request !== undefined;
    const action = (call ? call.action : c.request?.msg?.action) || 'malformed CALL';
    const what = known ? `${action} call` : 'call';
    this.noteFinding(`${known ? action : 'A call'} (${id}) got no answer within ${sec} s.`, {
      code: 'call-timeout',
      severity: 'error',
      message: `The ${what} "${id}" was not answered within ${sec} s.`,
    });
    inFlightDelete(this, id);
    // Out of the index already (above, before its deadline was cleared): this only lets the index go with the last.
    if (this.byDeadline !== undefined) this.leftFlight(c);
    if (c.request) settle(c as Waited, 'timeout');
  }

  /** Answers a held call with exactly `text`. */
  answerHeld(messageId: string, text: string): FrameEvent {
    if (!this.heldCalls?.has(messageId)) throw new Error(`No held call with id ${messageId} on ${this.id}.`);
    const event = this.send(text);
    if (this.heldCalls?.delete(messageId)) this.emit('held', this);
    return event;
  }

  // ---- pings, limits, close --------------------------------------------------------------------------------------

  /** @internal The ping clock's tick: every pingIntervalSec while the socket is open. */
  pingTick(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return;
    // A silent peer still lets time pass for the behaviour rules (a triggered message that never came).
    const pipeline = this.pipelineState;
    if (pipeline?.observing) this.noteTimed(pipeline.advance(Date.now()));
    if (!Number.isNaN(this.pingSentAt)) {
      this.noteFinding(`No pong within ${this.setup.pingIntervalSec} s: the peer is considered dead.`, {
        code: 'dead-peer',
        severity: 'error',
        message: `The peer did not answer a WebSocket ping within ${this.setup.pingIntervalSec} s; the connection is dropped.`,
      });
      this.terminate();
      return;
    }
    const data = Buffer.alloc(4);
    data.writeUInt32BE(++this.pingCounter >>> 0);
    ws.ping(data);
    this.pingSentAt = performance.now();
    this.stream.emit(
      { kind: 'ping', conn: this.id, sender: this.ours, data: data.toString('hex') },
      this.pingSentAt,
    );
  }

  private onPong(data: Buffer): void {
    const at = readTime(this.ws);
    const rtt = Number.isNaN(this.pingSentAt) ? undefined : at - this.pingSentAt;
    this.pingSentAt = Number.NaN;
    if (rtt !== undefined) this.lastRttMs = rtt;
    this.stream.emit(
      {
        kind: 'pong',
        conn: this.id,
        sender: this.theirs,
        data: data.toString('hex'),
        ...(rtt !== undefined ? { rttMs: rtt } : {}),
      },
      at,
    );
  }

  private onError(error: Error & { code?: string }): void {
    const code = error.code ?? 'socket-error';
    // ws closes the connection itself after a protocol error, with a status code of its own: remember it, because
    // the socket is torn down before the peer's close frame and 'close' then only reports 1006.
    if (code.startsWith('WS_ERR_')) {
      this.errorCloseCode =
        code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 1009 : code === 'WS_ERR_INVALID_UTF8' ? 1007 : 1002;
      this.closingLocally = true;
    }
    if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      this.noteFinding(
        `A frame larger than ${this.setup.limits.maxFrameBytes} bytes: the connection is closed (1009).`,
        {
          code: 'frame-too-large',
          severity: 'error',
          message: `The peer sent a frame over the ${this.setup.limits.maxFrameBytes}-byte limit; the connection was closed with 1009.`,
        },
      );
      return;
    }
    this.stream.emit({ kind: 'error', conn: this.id, code, message: error.message });
  }

  private onClose(code: number, reason: string): void {
    this.pings?.remove(this);
    this.pings = undefined;
    // Frames still queued were received: record them before the close (too late to answer).
    this.laneState?.flush();
    this.laneState?.stop();
    this.laneState = undefined;
    const ws = this.ws as (WebSocket & { _receiver?: { _bufferedBytes?: number } }) | undefined;
    const buffered = ws?._receiver?._bufferedBytes ?? 0;
    if (buffered > 0) {
      this.noteFinding(`The connection ended in the middle of a frame (${buffered} bytes received of it).`, {
        code: 'incomplete-frame',
        severity: 'warning',
        message: 'The peer disconnected in the middle of a frame; the partial frame is lost.',
      });
    }
    const by: CloseInitiator = this.closingLocally ? 'local' : code === 1006 ? 'none' : 'remote';
    const clean = code !== 1006;
    if (!clean && this.errorCloseCode !== undefined) code = this.errorCloseCode;
    this.errorCloseCode = undefined;
    this.stream.emit({ kind: 'closed', conn: this.id, code, reason, by, clean });
    this.noteTimed(this.pipeline.closed(Date.now()));
    const calls = inFlightList(this);
    this.lone = undefined;
    this.more = noMore();
    this.byDeadline = undefined;
    for (const c of calls) if (c.request) settle(c as Waited, 'closed');
    if (this.heldCalls && this.heldCalls.size > 0) {
      this.heldCalls.clear();
      this.emit('held', this);
    }
    this.ws = undefined;
    // It may hold the fragments of a message the close cut short.
    this.fragments = undefined;
    this.setState('closed');
    this.emit('closed', this);
  }

  /** Closes with a close frame; resolves when the socket is closed. */
  close(code = 1000, reason = ''): Promise<void> {
    this.userClosed = true;
    this.keepListed = false;
    this.onUserClose?.userClosed();
    const ws = this.ws;
    if (!ws && this.state !== 'closed') this.setState('closed');
    if (!ws || ws.readyState === 3) return Promise.resolve();
    this.closingLocally = true;
    this.setState('closing');
    return new Promise((resolve) => {
      ws.once('close', () => resolve());
      closeWithDeadline(ws, code, reason);
    });
  }

  /** Closes with a close frame but, unlike close(), lets a station reconnect (a reboot, going offline). */
  drop(code = 1000, reason = ''): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState === 3) return Promise.resolve();
    this.closingLocally = true;
    this.setState('closing');
    return new Promise((resolve) => {
      ws.once('close', () => resolve());
      closeWithDeadline(ws, code, reason);
    });
  }

  terminate(): void {
    if (!this.ws) return;
    this.closingLocally = true;
    this.ws.terminate();
  }
}

const NONE: readonly string[] = Object.freeze([]);

/** Subprotocol lists seen so far, each kept once (bounded: past it a connection keeps a copy of its own). */
const LISTS = new Map<string, readonly string[]>();
const MAX_LISTS = 64;

/**
 * The same offer (["ocpp1.6"]) from ten thousand chargers is one frozen array, not ten thousand arrays and strings.
 */
function sharedList(list: readonly string[]): readonly string[] {
  if (list.length === 0) return NONE;
  const key = list.join('\u0000');
  const known = LISTS.get(key);
  if (known) return known;
  // A copy of its own size: the record's array may have grown spare room as it was built.
  const copy = Object.freeze(list.slice());
  if (LISTS.size < MAX_LISTS) LISTS.set(key, copy);
  return copy;
}

/**
 * `text` as one flat string. A string built by concatenation is a tree of pieces (each piece an object) until
 * something reads it char by char; converting it to a number does, and V8 then keeps the flat copy alone.
 */
function flat(text: string): string {
  void Number(text);
  return text;
}

/** A bound socket's five listeners (see listener-table.ts). */
const compactSocketTable = compactListenerTables();

/** Where a socket names the Connection it belongs to (see bind). */
const OWNER = Symbol('connection');
type Owned = WebSocket & { [OWNER]?: Connection };

/** The frame of an answer text we built ([3,id,payload] or [4,id,code,description,details]). */
function builtFrame(text: string): Frame {
  const v = JSON.parse(text) as [3 | 4, string, ...JsonValue[]];
  if (v[0] === 3) return { type: 3, id: v[1], payload: v[2] as JsonObject };
  return {
    type: 4,
    id: v[1],
    errorCode: v[2] as string,
    errorDescription: v[3] as string,
    errorDetails: v[4] as JsonObject,
  };
}

function uncork(connection: Connection, socket: Socket): void {
  connection.corkedAt = 0;
  socket.uncork();
}

/** The first error in a received CALL that a strict peer answers with a CALLERROR (schema, integer notation, direction). */
function callProblem(findings: readonly Finding[]): Finding | undefined {
  for (const f of findings) if (f.severity === 'error' && f.errorCode !== undefined) return f;
  return undefined;
}

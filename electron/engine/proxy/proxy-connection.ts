import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import type { ConnectionStatus, HeldCall, HeldFrame, ProxyStatus } from '../../../shared/api';
import type {
  CloseInitiator,
  ConnectionInfo,
  Finding,
  FrameEvent,
  HandshakeRecord,
  Sender,
} from '../../../shared/capture/events';
import type { FrameObserverFactory } from '../../../shared/ocpp/frame-observer';
import { FramePipeline } from '../../../shared/ocpp/pipeline';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import type { EventStream } from '../connections/event-stream';
import { decodeFrame, frameEvent, toBuffer, WireClock } from '../connections/frame-intake';
import { IntakeLane, slowedNote } from '../connections/intake-lane';
import type { SlowReport } from '../connections/intake-lane';
import { closeWithDeadline, LiveConnection, NotOpenError } from '../connections/live-connection';
import { loopShare } from '../connections/loop-share';
import type { Analysis } from '../../../shared/ocpp/pipeline';
import { fragmentList, keepFragmentList } from '../connections/ws-fragments';

export interface ProxyConnectionOptions {
  id: string;
  identity: string;
  /** The URL the charger connected to (ours). */
  url: string;
  upstreamUrl: string;
  stream: EventStream;
  callTimeoutSec: number;
  hold?: { station?: boolean; csms?: boolean };
  /** Frames per second read from each leg; 0 or absent = unlimited. */
  maxFramesPerSec?: number;
  /** Behaviour rules for this pair's pipeline (default: defaultObservers()). */
  observers?: readonly FrameObserverFactory[];
}

/** Frames held per proxied pair; past it, the hold is bypassed (reported) rather than memory growing without end. */
export const MAX_HELD_FRAMES = 1000;

/** Reading from a leg pauses while the other leg has more than this many bytes queued to send. */
export const BACKPRESSURE_BYTES = 4 * 1024 * 1024;

type PauseReason = 'rate' | 'backpressure';

type Stamped<T> = T & { seq: number; t: number; mono: number };

interface Held {
  seq: number;
  from: Sender;
  data: Buffer;
  binary: boolean;
  /** The text the event shows (base64 when binary). */
  text: string;
}

const other = (s: Sender): Sender => (s === 'station' ? 'csms' : 'station');
const LEG: Record<Sender, string> = { station: 'the charger', csms: 'the upstream CSMS' };

/** Close codes a close frame may carry (RFC 6455 7.4); the others (1005, 1006, 1015...) are only ever reported. */
function sendableCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
    (code >= 3000 && code <= 4999)
  );
}

/** What one leg's close really was, and what the other leg is told. */
function closeNote(leg: Sender, code: number, reason: string): string {
  const peer = LEG[other(leg)];
  if (code === 1005)
    return `${LEG[leg]} closed its side with a close frame without a status code (1005); ${peer} is sent an empty close frame the same way.`;
  if (!sendableCloseCode(code))
    return `${LEG[leg]} dropped the connection without a close frame (${code}); ${peer} is cut off the same way.`;
  return `${LEG[leg]} closed its side (${code}${reason ? ` "${reason}"` : ''}); ${peer} is closed with the same code.`;
}

/**
 * The tool in the middle: a charger's WebSocket (leg 'station': the station sends on it) and our WebSocket to the
 * upstream CSMS (leg 'csms'), under one connection id. Every frame is recorded once, with the sender it came from,
 * then forwarded byte for byte to the other leg, unless that direction is held. Nothing is auto-answered. A CALL the
 * user injects is paired with its answer, which is then kept from the other leg (it did not ask). Closing either
 * leg closes the other with the same code; one `closed` event records the pair's end.
 */
export class ProxyConnection extends LiveConnection {
  readonly role = 'proxy' as const;
  readonly identity: string;
  readonly url: string;
  readonly upstreamUrl: string;
  version: OcppVersion | undefined;
  failure: HandshakeRecord['failure'];
  readonly hold: Record<Sender, boolean>;

  protected readonly pipeline: FramePipeline;
  private readonly legs: Partial<Record<Sender, WebSocket>> = {};
  private readonly open: Record<Sender, boolean> = { station: false, csms: false };
  /** Frames that arrived from the upstream before the charger's socket was ours: forwarded once it is. */
  private early: Held[] | undefined = [];
  private heldFrames: Held[] = [];
  private heldLimitNoted = false;
  private readonly maxFramesPerSec: number;
  /** Per leg: frames wait here (in order) while the leg is over its share of the engine or past the limit. */
  private readonly gates: Record<Sender, IntakeLane>;
  private readonly paused: Record<Sender, Set<PauseReason>> = { station: new Set(), csms: new Set() };
  private readonly backpressureNoted: Record<Sender, boolean> = { station: false, csms: false };
  /** Ids of the CALLs the tool injected, by the sender they appear to come from: their answers stop here. */
  private readonly injected: Record<Sender, Set<string>> = { station: new Set(), csms: new Set() };
  private firstClose: { code: number; reason: string; from: Sender | 'local' } | undefined;
  private closedLegs = 0;
  private ended = false;

  constructor(options: ProxyConnectionOptions) {
    super(options.id, options.stream);
    this.identity = options.identity;
    this.url = options.url;
    this.upstreamUrl = options.upstreamUrl;
    this.pipeline = new FramePipeline(undefined, {
      timeoutMs: options.callTimeoutSec > 0 ? options.callTimeoutSec * 1000 : Number.POSITIVE_INFINITY,
      ...(options.observers ? { observers: options.observers } : {}),
      connection: { conn: options.id, identity: options.identity },
    });
    this.hold = { station: options.hold?.station === true, csms: options.hold?.csms === true };
    this.maxFramesPerSec = options.maxFramesPerSec ?? 0;
    const account = loopShare.account();
    const gate = (leg: Sender): IntakeLane =>
      new IntakeLane(
        this.maxFramesPerSec,
        {
          laneFrame: (data, isBinary, at) => this.onMessage(leg, data, isBinary, at),
          lanePause: () => this.pauseLeg(leg, 'rate'),
          laneResume: () => this.resumeLeg(leg, 'rate'),
          laneSlowed: (report) => this.slowed(leg, report),
        },
        loopShare,
        account,
      );
    this.gates = { station: gate('station'), csms: gate('csms') };
  }

  info(): ConnectionInfo {
    const info: ConnectionInfo = { id: this.id, role: 'proxy', identity: this.identity, url: this.url };
    if (this.version) info.version = this.version;
    return info;
  }

  proxyStatus(): ProxyStatus {
    return { upstreamUrl: this.upstreamUrl, hold: { ...this.hold }, heldFrames: this.heldFrames.length };
  }

  status(): ConnectionStatus {
    return this.statusWith({ proxy: this.proxyStatus() });
  }

  /** A proxy answers nothing itself: it never holds calls for a manual answer, only frames (see heldList). */
  held(): HeldCall[] {
    return [];
  }

  heldList(): HeldFrame[] {
    return this.heldFrames.map((h) => ({
      connectionId: this.id,
      seq: h.seq,
      from: h.from,
      text: h.text,
      ...(h.binary ? { binary: true } : {}),
    }));
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  // ---- opening ---------------------------------------------------------------------------------------------------

  /**
   * Our handshake upstream, recorded as the pair's first `opened` event (its connection URL is the upstream's).
   * On success the socket is bound at once: the CSMS may speak first, before the charger is accepted.
   */
  upstreamOpened(record: HandshakeRecord, ws: WebSocket | undefined, version: OcppVersion | undefined): void {
    this.version = version;
    this.pipeline.version = version;
    this.findings += record.findings.length;
    const connection: ConnectionInfo = { ...this.info(), url: this.upstreamUrl };
    this.noteHandshake(record, ws !== undefined);
    this.stream.emit({
      kind: 'opened',
      conn: this.id,
      connection,
      handshake: record,
      ok: ws !== undefined,
      leg: 'csms',
    });
    if (ws) this.bind('csms', ws);
    else this.failure = record.failure;
  }

  /** The charger's upgrade, as answered (101 with the upstream's subprotocol, or the upstream's refusal). */
  chargerOpened(record: HandshakeRecord, ws: WebSocket | undefined): void {
    this.findings += record.findings.length;
    this.noteHandshake(record, ws !== undefined);
    this.stream.emit({
      kind: 'opened',
      conn: this.id,
      connection: this.info(),
      handshake: record,
      ok: ws !== undefined,
      leg: 'charger',
    });
    if (!ws) {
      this.failure ??= record.failure;
      this.early = undefined;
      const up = this.legs.csms;
      if (up && up.readyState <= 1) {
        // The pair's end is recorded when the upstream leg has closed.
        this.closingFrom = 'local';
        up.close(1011, 'The charger could not be accepted');
        return;
      }
      this.setState('failed');
      this.emit('closed', this);
      return;
    }
    this.accepted = true;
    this.bind('station', ws);
    this.setState('open');
    const early = this.early ?? [];
    this.early = undefined;
    for (const h of early) this.pass(h);
  }

  private closingFrom: Sender | 'local' | undefined;
  private accepted = false;

  private bind(leg: Sender, ws: WebSocket): void {
    this.legs[leg] = ws;
    this.open[leg] = true;
    const wire = new WireClock(ws);
    // The leg's own fragment list put back after each message, as the endpoint's connections do (ws-fragments.ts).
    const fragments = fragmentList(ws);
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      const bytes = toBuffer(data);
      if (fragments) keepFragmentList(ws, fragments);
      this.gates[leg].offer(bytes, isBinary, wire.read());
    });
    ws.on('ping', (data: Buffer) => {
      this.stream.emit({ kind: 'ping', conn: this.id, sender: leg, data: data.toString('hex') });
      // ws has answered it already (autoPong): the tool's pong on this leg, recorded as a pong row like any other.
      const ours: Sender = leg === 'station' ? 'csms' : 'station';
      this.stream.emit({ kind: 'pong', conn: this.id, sender: ours, data: data.toString('hex') });
    });
    ws.on('pong', (data: Buffer) =>
      this.stream.emit({ kind: 'pong', conn: this.id, sender: leg, data: data.toString('hex') }),
    );
    ws.on('error', (error: Error & { code?: string }) =>
      this.stream.emit({
        kind: 'error',
        conn: this.id,
        code: error.code ?? 'socket-error',
        message: `${LEG[leg]}: ${error.message}`,
      }),
    );
    ws.on('close', (code: number, reason: Buffer) => this.onLegClose(leg, code, reason.toString('utf8')));
  }

  // ---- frames ----------------------------------------------------------------------------------------------------

  /** `at`: when the frame's bytes were read from the leg's socket (its time at the wire, paired by it). */
  private onMessage(from: Sender, data: Buffer, isBinary: boolean, at: number): void {
    this.frames++;
    this.bytes += data.length;
    let h: Held;
    const text = decodeFrame(this.id, from, data, isBinary);
    if (typeof text !== 'string') {
      this.findings++;
      const e = this.stream.emit(text, at);
      h = { seq: e.seq, from, data, binary: isBinary, text: text.text };
    } else {
      // Forwarded before it is parsed, validated and recorded, unless it may have to stop here (held, early, or
      // perhaps the answer to a CALL the tool injected): our own work must not delay what crosses the proxy.
      const now =
        !this.hold[from] && !(this.early && from === 'csms') && this.injected[other(from)].size === 0;
      if (now) this.forward(from, data, false);
      const t = this.wireTime(this.pipeline);
      const a = this.pipeline.analyze(text, from, this.stream.count, at, t);
      this.findings += a.findings.length;
      if (a.pair?.rttMs !== undefined) this.lastRttMs = a.pair.rttMs;
      const e = this.stream.emit(frameEvent(this.id, from, text, a), at) as Stamped<FrameEvent>;
      if (now) return;
      const f = a.frame;
      // The answer to a CALL the tool injected on this leg: the other side never asked, so it stops here.
      if (f && (f.type === 3 || f.type === 4) && this.injected[other(from)].delete(f.id)) return;
      h = { seq: e.seq, from, data, binary: false, text };
    }
    if (this.early && from === 'csms') {
      this.early.push(h);
      return;
    }
    this.pass(h);
  }

  /** Forwards now, or holds when this direction is held (held frames keep their order). */
  private pass(h: Held): void {
    if (this.hold[h.from]) {
      if (this.heldFrames.length < MAX_HELD_FRAMES) {
        this.heldLimitNoted = false;
        this.heldFrames.push(h);
        this.emit('heldFrames', this);
        this.emit('state', this);
        return;
      }
      this.heldLimitReached(h);
    }
    this.forward(h.from, h.data, h.binary);
  }

  private heldLimitReached(h: Held): void {
    if (this.heldLimitNoted) return;
    this.heldLimitNoted = true;
    this.noteFinding(
      `${MAX_HELD_FRAMES} frames are already held: the frame at seq ${h.seq} and later ones are forwarded at once, ahead of the held ones, until some are released or dropped.`,
      {
        code: 'held-frames-limit',
        severity: 'warning',
        message: `More than ${MAX_HELD_FRAMES} frames held at once: the hold is bypassed for the excess, which overtakes the held frames.`,
      },
    );
  }

  /** How much a leg's frames were delayed (an explicit limit, or its share of the engine). */
  private slowed(leg: Sender, report: SlowReport): void {
    const n = slowedNote(report, LEG[leg].replace(/^the/, 'The'));
    this.noteFinding(n.text, { code: n.code, severity: 'warning', message: n.message });
  }

  private pauseLeg(leg: Sender, why: PauseReason): void {
    const ws = this.legs[leg];
    this.paused[leg].add(why);
    if (ws && ws.readyState === 1 && !ws.isPaused) ws.pause();
  }

  private resumeLeg(leg: Sender, why: PauseReason): void {
    const reasons = this.paused[leg];
    reasons.delete(why);
    const ws = this.legs[leg];
    if (reasons.size === 0 && ws && ws.readyState === 1 && ws.isPaused) ws.resume();
  }

  /** The receiving leg is not keeping up: stop reading the sending leg until the receiver's socket drains. */
  private applyBackpressure(from: Sender, to: WebSocket): void {
    if (to.bufferedAmount <= BACKPRESSURE_BYTES || this.paused[from].has('backpressure')) return;
    const socket = (to as unknown as { _socket?: NodeJS.EventEmitter })._socket;
    if (!socket) return;
    if (!this.backpressureNoted[from]) {
      this.backpressureNoted[from] = true;
      this.stream.emit({
        kind: 'note',
        conn: this.id,
        source: 'engine',
        text: `${LEG[other(from)]} is not reading fast enough (over ${BACKPRESSURE_BYTES} bytes queued): reading from ${LEG[from]} is paused until it catches up.`,
      });
    }
    this.pauseLeg(from, 'backpressure');
    const onDrain = (): void => {
      if (to.bufferedAmount > BACKPRESSURE_BYTES && to.readyState === 1) {
        socket.once('drain', onDrain);
        return;
      }
      this.resumeLeg(from, 'backpressure');
    };
    socket.once('drain', onDrain);
  }

  private forward(from: Sender, data: Buffer | string, binary: boolean): void {
    const to = this.legs[other(from)];
    if (!to || to.readyState !== 1) return;
    // A Buffer goes out as the exact bytes received, in a text or binary frame as it came.
    to.send(data, { binary });
    this.applyBackpressure(from, to);
  }

  setHold(from: Sender, on: boolean): ProxyStatus {
    this.hold[from] = on;
    if (!on) {
      const release = this.heldFrames.filter((h) => h.from === from);
      // Reassigned, not spliced with a spread: a spread of a long array overflows the call stack.
      this.heldFrames = this.heldFrames.filter((h) => h.from !== from);
      for (const h of release) this.forward(h.from, h.data, h.binary);
      if (release.length) this.emit('heldFrames', this);
    }
    this.emit('state', this);
    return this.proxyStatus();
  }

  private takeHeld(seq: number): Held {
    const i = this.heldFrames.findIndex((h) => h.seq === seq);
    if (i < 0) throw new Error(`No held frame with seq ${seq} on ${this.id}.`);
    const [h] = this.heldFrames.splice(i, 1);
    this.emit('heldFrames', this);
    this.emit('state', this);
    return h!;
  }

  /**
   * Forwards a held frame as received, or `text` in its place. An edited frame is recorded too (it is what crossed
   * the other leg), validated but not paired again, with a finding that names the original.
   */
  release(seq: number, text?: string): { seq: number; findings: Finding[]; msg?: FrameEvent['msg'] } {
    const found = this.heldFrames.find((x) => x.seq === seq);
    if (!found) throw new Error(`No held frame with seq ${seq} on ${this.id}.`);
    const to = this.legs[other(found.from)];
    if (!to || to.readyState !== 1 || this.state !== 'open')
      throw new NotOpenError(`Connection ${this.id} is ${this.state}.`);
    const h = this.takeHeld(seq);
    if (text === undefined || (!h.binary && text === h.text)) {
      this.forward(h.from, h.data, h.binary);
      return { seq: h.seq, findings: [] };
    }
    const at = performance.now();
    this.forward(h.from, text, false);
    const a = this.pipeline.analyze(text, h.from, this.stream.count, at, 0, false);
    a.findings.push({
      code: 'proxy-edited',
      severity: 'info',
      message: `Edited in OCPP Scope before forwarding; ${h.from === 'station' ? 'the charger' : 'the CSMS'} sent the frame at seq ${h.seq}.`,
    });
    return this.record(h.from, text, a, at);
  }

  drop(seq: number): void {
    const h = this.takeHeld(seq);
    this.stream.emit({
      kind: 'note',
      conn: this.id,
      source: 'user',
      text: `The held frame at seq ${h.seq} (from ${h.from === 'station' ? 'the charger' : 'the CSMS'}) was dropped: it was never forwarded.`,
    });
  }

  /**
   * Sends `text` to one side as if the other had sent it, recorded with a finding saying the tool wrote it. An
   * injected CALL is paired with its answer, which is not forwarded.
   */
  inject(to: Sender, text: string): FrameEvent {
    const from = other(to);
    this.openSocket(this.legs[to]);
    const t = this.wireTime(this.pipeline);
    // Handed to the socket first: its time is when it left, and recording it cannot delay it.
    const at = performance.now();
    this.forward(from, text, false);
    const a = this.pipeline.analyze(text, from, this.stream.count, at, t);
    a.findings.push({
      code: 'proxy-injected',
      severity: 'info',
      message: `Injected by OCPP Scope towards ${to === 'station' ? 'the charger' : 'the CSMS'}: ${from === 'station' ? 'the charger' : 'the CSMS'} did not send it.`,
    });
    if (a.frame?.type === 2) this.injected[from].add(a.frame.id);
    return this.record(from, text, a, at);
  }

  /** Records a frame the tool sent on one leg (forwarded at `at`). */
  private record(from: Sender, text: string, a: Analysis, at: number): FrameEvent {
    const size = Buffer.byteLength(text, 'utf8');
    this.frames++;
    this.bytes += size;
    this.findings += a.findings.length;
    return this.stream.emit(frameEvent(this.id, from, text, a), at);
  }

  // ---- closing ---------------------------------------------------------------------------------------------------

  private onLegClose(leg: Sender, code: number, reason: string): void {
    this.open[leg] = false;
    // Frames still queued were received: record (and try to forward) them before the close.
    this.gates[leg].flush();
    this.gates[leg].stop();
    this.closedLegs++;
    const peer = this.legs[other(leg)];
    if (!this.firstClose) {
      this.firstClose = { code, reason, from: this.closingFrom ?? leg };
      if (peer && peer.readyState <= 1) {
        this.stream.emit({
          kind: 'note',
          conn: this.id,
          source: 'engine',
          text: closeNote(leg, code, reason),
        });
        this.setState('closing');
        // Transparent: the other side sees what this side did. 1005 is a close frame without a status, so the
        // other leg gets an empty close frame (not a cut connection, which it would record as 1006).
        if (sendableCloseCode(code)) closeWithDeadline(peer, code, reason);
        else if (code === 1005) closeWithDeadline(peer, undefined, '');
        else peer.terminate();
      }
    }
    const expected = (this.legs.station ? 1 : 0) + (this.legs.csms ? 1 : 0);
    if (this.closedLegs >= expected) this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    const first = this.firstClose ?? { code: 1006, reason: '', from: 'local' as const };
    const by: CloseInitiator = first.from === 'local' ? 'local' : first.code === 1006 ? 'none' : 'remote';
    this.stream.emit({
      kind: 'closed',
      conn: this.id,
      code: first.code,
      reason: first.reason,
      by,
      clean: first.code !== 1006,
    });
    this.noteTimed(this.pipeline.closed(Date.now()));
    if (this.heldFrames.length) {
      this.heldFrames.length = 0;
      this.emit('heldFrames', this);
    }
    this.setState(this.accepted ? 'closed' : 'failed');
    this.emit('closed', this);
  }

  /** Closes both legs with the same code; resolves when both are closed. */
  close(code = 1000, reason = ''): Promise<void> {
    this.userClosed = true;
    const legs = [this.legs.station, this.legs.csms].filter(
      (w): w is WebSocket => w !== undefined && w.readyState !== 3,
    );
    if (legs.length === 0) return Promise.resolve();
    this.closingFrom ??= 'local';
    this.setState('closing');
    return new Promise((resolve) => {
      if (this.ended) return resolve();
      this.once('closed', () => resolve());
      for (const ws of legs) {
        closeWithDeadline(ws, code, reason);
      }
    });
  }

  terminate(): void {
    this.closingFrom ??= 'local';
    this.legs.station?.terminate();
    this.legs.csms?.terminate();
  }
}

import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import type { Finding, FrameEvent, Sender } from '../../../shared/capture/events';
import { problemForEvent } from '../../../shared/ocpp/frame';
import type { Analysis } from '../../../shared/ocpp/pipeline';
import { DOUBLE_ZERO as Z0 } from './double-zero';
import { utf8Text } from './utf8-text';

/**
 * What every socket that receives frames does the same way (Connection and ProxyConnection): turn ws's message
 * data into bytes, name frames that are not UTF-8 text, and build frame events.
 */

export type UnstampedFrame = Omit<FrameEvent, 'seq' | 't' | 'mono'>;

/**
 * Builds the frame event without spreading temporaries: this runs for every frame. A parsed frame (a call, or an
 * answer with its pair) is built in one literal that also holds the stamp's fields (seq, t, mono, in the order
 * EventStream.emit adds them): they are then written in place, where adding them grew the object's property store
 * twice per event. Same fields, same order.
 */
export function frameEvent(conn: string, sender: Sender, text: string, a: Analysis): UnstampedFrame {
  const msg = a.msg;
  // A summary and a problem never come together (FramePipeline: a frame that parsed, or a problem).
  if (msg) {
    const pair = a.pair;
    // t and mono are written in place by EventStream.emit; created as doubles (see double-zero.ts).
    const e: FrameEvent = pair
      ? { kind: 'frame', conn, sender, text, findings: a.findings, msg, pair, seq: 0, t: Z0, mono: Z0 }
      : { kind: 'frame', conn, sender, text, findings: a.findings, msg, seq: 0, t: Z0, mono: Z0 };
    return e;
  }
  const e: UnstampedFrame = { kind: 'frame', conn, sender, text, findings: a.findings };
  if (a.problem) e.problem = problemForEvent(a.problem);
  if (a.pair) e.pair = a.pair;
  return e;
}

export function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * An incoming frame decoded once, for every socket that receives frames: its text, or, for a frame OCPP-J cannot
 * read as text (binary, or text that is not UTF-8), the event holding its bytes in base64 with a finding.
 */
export function decodeFrame(
  conn: string,
  sender: Sender,
  data: Buffer,
  isBinary: boolean,
): string | UnstampedFrame {
  if (isBinary) return undecodableFrame(conn, sender, data, true);
  return utf8Text(data, 0, data.length) ?? undecodableFrame(conn, sender, data, false);
}

function undecodableFrame(conn: string, sender: Sender, data: Buffer, isBinary: boolean): UnstampedFrame {
  const finding: Finding = isBinary
    ? {
        code: 'binary-frame',
        severity: 'error',
        message: 'A binary WebSocket frame: OCPP-J uses text frames only (the bytes are shown in base64).',
      }
    : {
        code: 'invalid-utf8',
        severity: 'error',
        message: 'A text frame that is not valid UTF-8 (the bytes are shown in base64).',
      };
  return { kind: 'frame', conn, sender, text: data.toString('base64'), binary: true, findings: [finding] };
}

/** Where a socket keeps the time of its latest read (see stampReads). */
const READ_AT = Symbol('readAt');
type StampedSocket = Socket & { [READ_AT]?: number };

/** One function for every socket (called with the socket as `this`): no closure or object per connection. */
function stampRead(this: StampedSocket): void {
  this[READ_AT] = performance.now();
}

type DataListener = (this: Socket, chunk: Buffer) => void;

/** ws's own 'data' listener: one function for every socket (ws 8's socketOnData), found on the first socket. */
let wsOnData: DataListener | undefined;

/**
 * ws's 'data' listener with the read's time taken first, in its place: one listener per read instead of two (an
 * emit to two listeners copies the listener list for every read, which with a thousand chargers is once per call).
 * `listener` names the function it stands for, as Node's once() wrappers do: ws's removeListener('data',
 * socketOnData) at close removes it (EventEmitter matches a listener or its `listener`).
 */
const stampedOnData = Object.assign(
  function stampedOnData(this: StampedSocket, chunk: Buffer): void {
    this[READ_AT] = performance.now();
    wsOnData!.call(this, chunk);
  },
  { listener: undefined as DataListener | undefined },
);

/** Takes the place of ws's data listener when it is the socket's only one; false when it cannot. */
function replaceWsListener(socket: Socket): boolean {
  const raw = socket.rawListeners('data');
  const only = raw.length === 1 ? raw[0] : undefined;
  if (typeof only !== 'function') return false;
  if (wsOnData === undefined) {
    if (only.name !== 'socketOnData') return false;
    wsOnData = only as DataListener;
    stampedOnData.listener = wsOnData;
  } else if (only !== wsOnData) return false;
  socket.removeListener('data', wsOnData);
  socket.on('data', stampedOnData);
  return true;
}

/**
 * When the bytes of the frame ws is delivering were read from the socket: the frame's time at the wire. ws parses a
 * read synchronously, so every frame delivered from one read gets that read's time, however long the frames before
 * it took to handle. (A compressed frame is inflated off the loop: it gets the time of the latest read.)
 */
export function stampReads(ws: WebSocket): void {
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  if (!socket || replaceWsListener(socket)) return;
  // Another listener beside ws's (or another ws): a listener of our own, ahead of ws's, so the time is taken before
  // ws parses (and we handle) anything of the read.
  socket.prependListener('data', stampRead);
}

/** The time of the read being delivered on `ws` (now, when none was seen, as for bytes that came with the upgrade). */
export function readTime(ws: WebSocket | undefined): number {
  const at = (ws as unknown as { _socket?: StampedSocket } | undefined)?._socket?.[READ_AT];
  return at ?? performance.now();
}

/** stampReads and readTime for one socket, for who keeps the socket's clock beside it (the proxy's two legs). */
export class WireClock {
  constructor(private readonly ws: WebSocket) {
    stampReads(ws);
  }

  read(): number {
    return readTime(this.ws);
  }
}

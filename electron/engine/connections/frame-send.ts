import { randomFillSync } from 'node:crypto';
import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import { xorMask } from './ws-mask';

/** What of ws's internals the fast path reads (ws 8): its socket, role, extensions and sender state. */
interface WsInside {
  _socket?: Socket;
  _isServer?: boolean;
  _extensions?: Record<string, unknown>;
  _sender?: { _state?: number } | null;
}

/** Frames up to this many bytes of payload take the fast path (a 2- or 4-byte header). */
const MAX_FAST_BYTES = 0xffff;

/**
 * Sends `text` as one text frame, exactly as `ws.send(text)` would put it on the wire: header and payload written as
 * one buffer to the socket, which saves ws's per-message work (an options object, a header buffer, a cork and a
 * writev of two pieces) on every frame. A server's frame is unmasked; a client's (our station) is masked with a
 * fresh random key per frame, as RFC 6455 5.3 asks and as ws does (from a pool of random bytes, as ws's is).
 * Anything else (compression, a frame queued in ws's sender, a socket not open, a large frame) goes through ws.send.
 * Returns the text's length in UTF-8 bytes when it was worked out on the way (the fast path), else -1: the caller
 * that records the frame then need not count its bytes a second time.
 */
export function sendTextFrame(ws: WebSocket, text: string): number {
  const inside = ws as unknown as WsInside;
  const socket = inside._socket;
  const sender = inside._sender;
  if (
    ws.readyState !== 1 ||
    typeof inside._isServer !== 'boolean' ||
    socket === undefined ||
    !socket.writable ||
    !sender ||
    // Idle (0): nothing queued either. ws queues a send only while busy (compressing, reading a Blob), and its
    // dequeue runs until the queue is empty or it is busy again (ws 8 Sender), so the queue is not read per frame.
    sender._state !== 0 ||
    inside._extensions === undefined ||
    inside._extensions['permessage-deflate'] !== undefined
  ) {
    ws.send(text);
    return -1;
  }
  const n = Buffer.byteLength(text, 'utf8');
  if (n > MAX_FAST_BYTES) {
    ws.send(text);
    return n;
  }
  const masked = !inside._isServer;
  const len = n > 125 ? 4 : 2;
  const head = masked ? len + 4 : len;
  const frame = Buffer.allocUnsafe(head + n);
  // FIN + text opcode; no RSV bits.
  frame[0] = 0x81;
  if (len === 2) frame[1] = n;
  else {
    frame[1] = 126;
    frame[2] = n >>> 8;
    frame[3] = n & 0xff;
  }
  frame.write(text, head, 'utf8');
  if (masked) {
    frame[1] |= 0x80;
    maskInPlace(frame, len, head + n);
  }
  socket.write(frame);
  return n;
}

/** Random bytes for masking keys, refilled when used up (ws keeps such a pool too). */
const POOL_SIZE = 8 * 1024;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolAt = POOL_SIZE;

/** Writes a fresh masking key at `at` and masks the payload behind it (up to `end`) with it. */
function maskInPlace(frame: Buffer, at: number, end: number): void {
  if (poolAt === POOL_SIZE) {
    randomFillSync(pool);
    poolAt = 0;
  }
  frame[at] = pool[poolAt++]!;
  frame[at + 1] = pool[poolAt++]!;
  frame[at + 2] = pool[poolAt++]!;
  frame[at + 3] = pool[poolAt++]!;
  xorMask(frame, at + 4, end - at - 4, at, frame, at + 4);
}

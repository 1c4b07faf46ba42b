import type { Socket } from 'node:net';
import type WebSocket from 'ws';

/** What of ws's internals the fast path reads (ws 8): its socket, role, extensions and sender queue. */
interface WsInside {
  _socket?: Socket;
  _isServer?: boolean;
  _extensions?: Record<string, unknown>;
  _sender?: { _state?: number; _queue?: unknown[] } | null;
}

/** Frames up to this many bytes of payload take the fast path (a 2- or 4-byte header). */
const MAX_FAST_BYTES = 0xffff;

/**
 * Sends `text` as one text frame, exactly as `ws.send(text)` would put it on the wire. A server's frame is
 * unmasked and, without permessage-deflate, sent as is: then header and payload are written as one buffer to the
 * socket, which saves ws's per-message work (an options object, a header buffer, a cork and a writev of two
 * pieces) on every answer. Anything else (a client's masked frame, compression, a frame queued in ws's sender, a
 * socket not open, a large frame) goes through ws.send.
 */
export function sendTextFrame(ws: WebSocket, text: string): void {
  const inside = ws as unknown as WsInside;
  const socket = inside._socket;
  const sender = inside._sender;
  if (
    ws.readyState !== 1 ||
    inside._isServer !== true ||
    socket === undefined ||
    !socket.writable ||
    !sender ||
    sender._state !== 0 ||
    (sender._queue !== undefined && sender._queue.length > 0) ||
    inside._extensions === undefined ||
    inside._extensions['permessage-deflate'] !== undefined
  ) {
    ws.send(text);
    return;
  }
  const n = Buffer.byteLength(text, 'utf8');
  if (n > MAX_FAST_BYTES) {
    ws.send(text);
    return;
  }
  const head = n > 125 ? 4 : 2;
  const frame = Buffer.allocUnsafe(head + n);
  // FIN + text opcode; no RSV bits, no mask.
  frame[0] = 0x81;
  if (head === 2) frame[1] = n;
  else {
    frame[1] = 126;
    frame[2] = n >>> 8;
    frame[3] = n & 0xff;
  }
  frame.write(text, head, 'utf8');
  socket.write(frame);
}

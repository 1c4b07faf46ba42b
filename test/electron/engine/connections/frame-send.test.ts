import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { sendTextFrame } from '../../../../electron/engine/connections/frame-send';
import { Wake } from '../../../support/wake';

const TEXTS = [
  '',
  '[3,"1",{}]',
  'x'.repeat(125),
  'x'.repeat(126),
  `[3,"ä",{"note":"${'é✓😀'.repeat(40)}"}]`,
  'y'.repeat(0xffff),
  'z'.repeat(0x10000),
  'w'.repeat(200_000),
];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** A server on loopback and one client connected to it; `deflate` negotiates permessage-deflate. */
async function pair(
  deflate: boolean,
): Promise<{ server: WebSocket; client: WebSocket; got: string[]; wake: Wake }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: deflate });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const accepted = new Promise<WebSocket>((r) => wss.once('connection', (ws) => r(ws)));
  const { port } = wss.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: deflate });
  const got: string[] = [];
  const wake = new Wake();
  client.on('message', (data, isBinary) => {
    expect(isBinary).toBe(false);
    got.push(String(data));
    wake.notify();
  });
  await new Promise<void>((r, e) => (client.once('open', () => r()), client.once('error', e)));
  const server = await accepted;
  cleanup.push(
    () => new Promise<void>((r) => (client.terminate(), wss.close(() => r()))),
    async () => server.terminate(),
  );
  return { server, client, got, wake };
}

/** The bytes `send` hands to the server's socket. */
function bytesOf(server: WebSocket, send: () => void): Buffer {
  const socket = (server as unknown as { _socket: Socket })._socket;
  const parts: Buffer[] = [];
  const write = socket.write;
  socket.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
    parts.push(Buffer.isBuffer(chunk) ? Buffer.from(chunk) : Buffer.from(chunk, 'utf8'));
    return (write as (...a: unknown[]) => boolean).call(socket, chunk, ...rest);
  }) as typeof socket.write;
  try {
    send();
  } finally {
    socket.write = write;
  }
  return Buffer.concat(parts);
}

/** A client's frame: its header without the masking key, the key, and the payload unmasked. */
function unmasked(frame: Buffer): { head: Buffer; key: Buffer; payload: Buffer } {
  expect(frame[1]! & 0x80).toBe(0x80);
  const len = frame[1]! & 0x7f;
  const at = len === 127 ? 10 : len === 126 ? 4 : 2;
  const key = frame.subarray(at, at + 4);
  const payload = Buffer.from(frame.subarray(at + 4));
  for (let i = 0; i < payload.length; i++) payload[i]! ^= key[i & 3]!;
  return { head: frame.subarray(0, at), key, payload };
}

describe('sendTextFrame', () => {
  it('puts on the wire exactly the bytes ws.send would, for every frame size and any characters', async () => {
    const { server, got, wake } = await pair(false);
    for (const text of TEXTS) {
      const ours = bytesOf(server, () => sendTextFrame(server, text));
      const theirs = bytesOf(server, () => server.send(text));
      expect(ours.equals(theirs)).toBe(true);
    }
    await wake.until('every frame received twice', () => got.length === TEXTS.length * 2, 15_000);
    expect(got).toEqual(TEXTS.flatMap((t) => [t, t]));
  });

  it("gives the frame's length in UTF-8 bytes where it counted them, -1 where ws sent it", async () => {
    const plain = await pair(false);
    for (const text of TEXTS) {
      const bytes = Buffer.byteLength(text, 'utf8');
      let sent = 0;
      const wire = bytesOf(plain.server, () => (sent = sendTextFrame(plain.server, text)));
      // The fast path (up to 0xffff bytes) and a large frame both count them; the header holds the same length.
      expect(sent).toBe(bytes);
      expect(wire.length).toBeGreaterThan(bytes);
    }
    const compressed = await pair(true);
    for (const text of TEXTS) expect(sendTextFrame(compressed.server, text)).toBe(-1);
    await compressed.wake.until('compressed frames', () => compressed.got.length === TEXTS.length, 15_000);
    expect(compressed.got).toEqual(TEXTS);
  });

  it('leaves a compressed connection to ws, which the peer still reads', async () => {
    const compressed = await pair(true);
    for (const text of TEXTS) sendTextFrame(compressed.server, text);
    await compressed.wake.until('compressed frames', () => compressed.got.length === TEXTS.length, 15_000);
    expect(compressed.got).toEqual(TEXTS);
  });

  it("masks a client's frames as ws does (header alike, a fresh key each), and the server reads them all", async () => {
    const plain = await pair(false);
    const received: string[] = [];
    plain.server.on('message', (d) => (received.push(String(d)), plain.wake.notify()));
    const keys = new Set<string>();
    for (const text of TEXTS) {
      const ours = unmasked(bytesOf(plain.client, () => sendTextFrame(plain.client, text)));
      const theirs = unmasked(bytesOf(plain.client, () => plain.client.send(text)));
      expect(ours.head.equals(theirs.head)).toBe(true);
      expect(ours.payload.toString('utf8')).toBe(text);
      keys.add(ours.key.toString('hex'));
    }
    // Random keys: eight frames with one key would mean a fixed (predictable) key.
    expect(keys.size).toBeGreaterThan(1);
    await plain.wake.until('masked frames', () => received.length === TEXTS.length * 2, 15_000);
    expect(received).toEqual(TEXTS.flatMap((t) => [t, t]));
  });

  it('sends nothing and throws nothing once the socket is closing, as ws.send does', async () => {
    const { server, client, got } = await pair(false);
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    server.close();
    expect(() => sendTextFrame(server, '[3,"late",{}]')).not.toThrow();
    await closed;
    expect(got).toEqual([]);
  });
});

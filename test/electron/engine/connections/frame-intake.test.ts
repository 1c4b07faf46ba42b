import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import {
  decodeFrame,
  readTime,
  stampReads,
  toBuffer,
} from '../../../../electron/engine/connections/frame-intake';
import { cleanupsAfterEach } from '../../../support/cleanups';
import { nextEvent } from '../../../support/wake';
import { loopbackWsPair } from '../../../support/ws-pair';

const cleanups = cleanupsAfterEach();

/** A loopback ws server and a client connected to it; the server side's socket is what stampReads works on. */
async function pair(): Promise<{ server: WebSocket; client: WebSocket; socket: Socket }> {
  const { server, client } = await loopbackWsPair(cleanups);
  return { server, client, socket: (server as unknown as { _socket: Socket })._socket };
}

/** The wire time of the next message on `server`, read as its handler runs, and the client's send time. */
async function stampOfNext(
  server: WebSocket,
  client: WebSocket,
): Promise<{ sent: number; read: number; handled: number }> {
  const got = new Promise<{ read: number; handled: number }>((resolve) =>
    server.once('message', () => resolve({ read: readTime(server), handled: performance.now() })),
  );
  const sent = performance.now();
  client.send('[2,"1","Heartbeat",{}]');
  return { sent, ...(await got) };
}

describe('frame intake', () => {
  it('a text frame in UTF-8 is its text; binary and invalid UTF-8 become base64 frames with a finding', () => {
    expect(decodeFrame('c1', 'station', Buffer.from('[2,"1","Heartbeat",{}]'), false)).toBe(
      '[2,"1","Heartbeat",{}]',
    );
    // Proper UTF-8 holding U+FFFD itself stays text.
    expect(decodeFrame('c1', 'station', Buffer.from('["\uFFFD"]'), false)).toBe('["\uFFFD"]');
    const bin = decodeFrame('c1', 'station', Buffer.from([1, 2, 3]), true);
    expect(bin).toMatchObject({ kind: 'frame', conn: 'c1', sender: 'station', text: 'AQID', binary: true });
    expect(typeof bin !== 'string' && bin.findings.map((f) => f.code)).toEqual(['binary-frame']);
    // Binary stays binary even when its bytes are text.
    expect(typeof decodeFrame('c1', 'station', Buffer.from('[]'), true)).toBe('object');
    const bad = decodeFrame('c2', 'csms', Buffer.from([0x5b, 0xff, 0x5d]), false);
    expect(typeof bad !== 'string' && bad.text).toBe(Buffer.from([0x5b, 0xff, 0x5d]).toString('base64'));
    expect(typeof bad !== 'string' && bad.findings.map((f) => f.code)).toEqual(['invalid-utf8']);
  });

  it('message data in any of the shapes ws delivers becomes the same bytes', () => {
    const b = Buffer.from('abc');
    expect(toBuffer(b)).toBe(b);
    expect(toBuffer([Buffer.from('a'), Buffer.from('bc')]).toString()).toBe('abc');
    expect(toBuffer(new Uint8Array([97, 98, 99]).buffer).toString()).toBe('abc');
  });

  it("takes the time of each read in the place of ws's own data listener, which ws still removes at close", async () => {
    const { server, client, socket } = await pair();
    expect(socket.listenerCount('data')).toBe(1);
    const wsOwn = socket.rawListeners('data')[0];
    stampReads(server);
    // One listener per read, not two: ours stands for ws's (and names it, so ws's removal at close finds it).
    expect(socket.listenerCount('data')).toBe(1);
    const ours = socket.rawListeners('data')[0] as { listener?: unknown };
    expect(ours).not.toBe(wsOwn);
    expect(ours.listener).toBe(wsOwn);
    for (let i = 0; i < 3; i++) {
      const t = await stampOfNext(server, client);
      expect(t.read).toBeGreaterThanOrEqual(t.sent);
      expect(t.read).toBeLessThanOrEqual(t.handled);
    }
    const closed = nextEvent(server, 'close', 'the server side closed');
    client.close();
    await closed;
    expect(socket.listenerCount('data')).toBe(0);
  });

  it("beside another data listener, adds its own ahead of ws's and still stamps every read", async () => {
    const { server, client, socket } = await pair();
    let seen = 0;
    socket.on('data', () => seen++);
    stampReads(server);
    expect(socket.listenerCount('data')).toBe(3);
    const t = await stampOfNext(server, client);
    expect(t.read).toBeGreaterThanOrEqual(t.sent);
    expect(t.read).toBeLessThanOrEqual(t.handled);
    expect(seen).toBe(1);
  });
});

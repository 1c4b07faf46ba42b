import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { FrameEvent, NoteEvent } from '../../../shared/capture/events';
import { Harness } from './engine-harness';

/**
 * Peers answering malformed CALLs (null payload, five elements, a 37-character id) are paired, not flagged
 * response-to-unknown-id; and a charger closing without a status code reaches the CSMS as an empty close frame.
 */

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

const ID37 = 'x'.repeat(37);
const MALFORMED: [string, string, string][] = [
  ['a null payload', '[2,"m1","Heartbeat",null]', 'm1'],
  ['five elements', '[2,"m2","Heartbeat",{},{}]', 'm2'],
  ['a 37-character id', `[2,"${ID37}","Heartbeat",{}]`, ID37],
];

/** A raw upstream CSMS on loopback: answers every CALL it can read the id of with a CALLERROR, like a strict one. */
async function answeringCsms(): Promise<{
  url: string;
  closes: { code: number; reason: string }[];
  server: WebSocketServer;
}> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (p) => [...p][0] ?? false,
  });
  await new Promise<void>((r) => server.once('listening', () => r()));
  const closes: { code: number; reason: string }[] = [];
  server.on('connection', (ws) => {
    ws.on('message', (data) => {
      const m = /^\[2,"([^"]*)"/.exec(String(data));
      if (m) ws.send(JSON.stringify([4, m[1], 'FormationViolation', 'malformed', {}]));
    });
    ws.on('close', (code, reason) => closes.push({ code, reason: reason.toString() }));
  });
  cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
  const port = (server.address() as AddressInfo).port;
  return { url: `ws://127.0.0.1:${port}/csms`, closes, server };
}

/** The CSMS's answers (the one to the 37-character id is itself malformed: it has a problem, not a msg). */
const answers = (h: Harness, conn: string): FrameEvent[] =>
  h.events.filter((e): e is FrameEvent => e.kind === 'frame' && e.conn === conn && e.sender === 'csms');

describe('answers to malformed CALLs are paired', () => {
  it('station: sendAndWait waits for the answer and pairs it, without response-to-unknown-id', async () => {
    const csms = await answeringCsms();
    const h = new Harness();
    cleanups.push(() => h.close());
    const conn = await h.station.connect({
      url: `${csms.url}/CP-M`,
      protocols: ['1.6'],
      pingIntervalSec: 0,
      callTimeoutSec: 5,
    });
    expect(conn.state).toBe('open');
    for (const [, text, id] of MALFORMED) {
      const outcome = await conn.sendAndWait(text);
      expect(outcome.timedOut).toBe(false);
      expect(outcome.response?.text).toContain(`[4,"${id}"`);
      expect(outcome.response?.findings.map((f) => f.code)).not.toContain('response-to-unknown-id');
      expect(outcome.response?.pair?.partnerSeq).toBe(outcome.request.seq);
    }
    expect(answers(h, conn.id)).toHaveLength(3);
  });

  it('proxy: the CSMS answers a charger`s malformed CALLs; both are recorded and paired', async () => {
    const csms = await answeringCsms();
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ upstream: { url: csms.url } });
    const ws = new WebSocket(`${url}CP-PM`, ['ocpp1.6']);
    cleanups.push(async () => ws.terminate());
    await new Promise<void>((r, j) => {
      ws.once('open', () => r());
      ws.once('error', j);
    });
    const got: string[] = [];
    const all = new Promise<void>((r) =>
      ws.on('message', (d) => {
        got.push(String(d));
        if (got.length === MALFORMED.length) r();
      }),
    );
    for (const [, text] of MALFORMED) ws.send(text);
    await all;
    const proxy = h.hub.proxyList()[0]!;
    await h.waitFor(
      (e) => e.kind === 'frame' && e.conn === proxy.id && e.sender === 'csms' && e.text.includes(ID37),
    );
    const list = answers(h, proxy.id);
    expect(list).toHaveLength(3);
    for (const a of list) {
      expect(a.findings.map((f) => f.code)).not.toContain('response-to-unknown-id');
      expect(a.pair).toBeDefined();
    }
  });

  it('proxy: a charger closing without a status code makes the proxy send the CSMS an empty close frame (1005)', async () => {
    const csms = await answeringCsms();
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ upstream: { url: csms.url } });
    const ws = new WebSocket(`${url}CP-1005`, ['ocpp1.6']);
    await new Promise<void>((r, j) => {
      ws.once('open', () => r());
      ws.once('error', j);
    });
    const proxy = h.hub.proxyList()[0]!;
    await h.waitFor((e) => e.kind === 'opened' && e.conn === proxy.id);
    const upClosed = new Promise<void>((r) => csms.server.clients.forEach((c) => c.once('close', () => r())));
    ws.close(); // a close frame without a status code
    await upClosed;
    expect(csms.closes).toEqual([{ code: 1005, reason: '' }]);
    const note = await h.waitFor<NoteEvent>(
      (e) => e.kind === 'note' && e.conn === proxy.id && /1005/.test(e.text),
    );
    expect(note.text).toMatch(/without a status code \(1005\).*empty close frame/);
  });
});

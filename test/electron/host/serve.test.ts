import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { EngineNotice } from '../../../shared/api';
import { ScopeEngine } from '../../../electron/engine/scope-engine';
import type { ServeHandle } from '../../../electron/host/serve';
import { startServe } from '../../../electron/host/serve';
import type { SocketFactory } from '../../../renderer/src/api/bridge-client';
import { createBridgeClient } from '../../../renderer/src/api/bridge-client';
import { nextEvent, Wake } from '../../support/wake';
import { suiteTempDir, testTempDir } from '../../support/temp-dirs';

const wsFactory: SocketFactory = (url) => new WebSocket(url) as unknown as ReturnType<SocketFactory>;

function get(port: number, path: string, headers: Record<string, string> = {}, host = '127.0.0.1') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request({ host, port, path, headers, timeout: 5000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.end();
    },
  );
}

/** Opens a WebSocket and resolves with 'open' or the HTTP status that refused it. */
function tryUpgrade(url: string, headers: Record<string, string> = {}): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

describe('serve mode', () => {
  let engine: ScopeEngine;
  let handle: ServeHandle;
  let rendererRoot: string;

  const dir = suiteTempDir('serve');
  beforeAll(async () => {
    rendererRoot = join(dir, 'renderer');
    mkdirSync(join(rendererRoot, 'assets'), { recursive: true });
    writeFileSync(join(rendererRoot, 'index.html'), '<!doctype html><title>OCPP Scope UI</title>');
    writeFileSync(join(rendererRoot, 'assets', 'main.js'), 'export {}');
    engine = new ScopeEngine({ dataDir: join(dir, 'data'), noticeIntervalMs: 20 });
    handle = await startServe({ engine, rendererRoot });
  });
  afterAll(async () => {
    await handle.close();
    await engine.close();
  });

  it('prints a loopback URL with a long random token', () => {
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{32}\/$/);
    expect(handle.bridgeUrl).toBe(`ws://127.0.0.1:${handle.port}/${handle.token}/bridge`);
  });

  it('listens on 127.0.0.1 only (another loopback address is refused)', async () => {
    await expect(get(handle.port, `/${handle.token}/`, {}, '127.0.0.2')).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('answers 403 to the page without the token or with a wrong one', async () => {
    for (const path of [
      '/',
      '/index.html',
      '/assets/main.js',
      '/wrongtoken/',
      `/${handle.token.slice(1)}/`,
      `/${handle.token}x/`,
    ]) {
      const res = await get(handle.port, path);
      expect(res.status, path).toBe(403);
      expect(res.body).not.toContain('OCPP Scope UI');
    }
  });

  it('serves the page and its assets with the token, under the CSP', async () => {
    const page = await get(handle.port, `/${handle.token}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('OCPP Scope UI');
    expect(String(page.headers['content-security-policy'])).toContain(
      `connect-src 'self' ws://127.0.0.1:${handle.port}`,
    );
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect((await get(handle.port, `/${handle.token}/assets/main.js`)).status).toBe(200);
    expect((await get(handle.port, `/${handle.token}`)).status).toBe(308);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await get(handle.port, `/${handle.token}/`, { Host: `evil.example:${handle.port}` });
    expect(res.status).toBe(403);
  });

  it('answers 403 to the bridge without the token, with a wrong one, or from a foreign origin', async () => {
    const base = `ws://127.0.0.1:${handle.port}`;
    expect(await tryUpgrade(`${base}/bridge`)).toBe(403);
    expect(await tryUpgrade(`${base}/wrongtoken/bridge`)).toBe(403);
    expect(await tryUpgrade(`${base}/${handle.token}/`)).toBe(403);
    expect(await tryUpgrade(handle.bridgeUrl, { Origin: 'http://evil.example' })).toBe(403);
    expect(await tryUpgrade(handle.bridgeUrl, { Origin: `http://127.0.0.1:${handle.port}` })).toBe('open');
    expect(await tryUpgrade(handle.bridgeUrl)).toBe('open');
  });

  it('validates bridge calls like IPC: unknown methods and bad arguments never reach the engine', async () => {
    const ws = new WebSocket(handle.bridgeUrl);
    await new Promise((r) => ws.once('open', r));
    const replies: unknown[] = [];
    const got = new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString());
        if (m.type === 'reply') replies.push(m);
        if (replies.length === 2) resolve();
      });
    });
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'constructor', args: [] }));
    ws.send(JSON.stringify({ type: 'call', id: 2, method: 'setRecording', args: ['on'] }));
    await got;
    expect(replies).toEqual([
      {
        type: 'reply',
        id: 1,
        reply: { ok: false, error: { code: 'unknown-method', message: expect.any(String) } },
      },
      {
        type: 'reply',
        id: 2,
        reply: {
          ok: false,
          error: { code: 'bad-arguments', message: expect.stringContaining('true or false') },
        },
      },
    ]);
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('not json');
    expect(await closed).toBe(1008);
  });

  it('carries the contract and the notices through the real bridge client', async () => {
    const api = createBridgeClient(handle.bridgeUrl, wsFactory);
    const notices: EngineNotice[] = [];
    const wake = new Wake();
    api.subscribe((batch) => {
      notices.push(...batch);
      wake.notify();
    });
    try {
      const settings = await api.getSettings();
      settings.theme = 'light';
      expect((await api.saveSettings(settings)).theme).toBe('light');
      expect((await api.getSettings()).theme).toBe('light');
      await expect(api.saveSettings({ ...settings, theme: 'neon' as 'light' })).rejects.toMatchObject({
        code: 'bad-arguments',
      });

      expect(await api.listConnections()).toEqual([]);
      expect(await api.listHeld()).toEqual([]);
      await api.setAutoAnswer([{ version: '1.6', action: 'Heartbeat', mode: 'hold' }]);
      expect(await api.chooseFile('open')).toBeUndefined();
      await expect(api.saveFile('/tmp/x', 'y')).rejects.toThrow(/choose the file first/);
      await expect(api.openFile(join(rendererRoot, 'missing.jsonl'))).rejects.toThrow(
        /choose the file first/,
      );

      const on = await api.setRecording(true);
      expect(on.on).toBe(true);
      expect((await api.getRecording()).on).toBe(true);
      expect((await api.setRecording(false)).on).toBe(false);

      // A live event, pushed as a notice, then queried and exported.
      engine.stream.emit({ kind: 'note', conn: '', source: 'user', text: 'hello over the bridge' });
      const page = await api.queryEvents('live', { text: 'hello over' }, 0, 10);
      expect(page.total).toBe(1);
      const exported = await api.exportSource('live', 'capture', true);
      expect(exported.name).toMatch(/\.ocppcap\.jsonl$/);

      const opened = await api.openContent(exported.name, exported.data, 'utf8');
      // Indexed from a temporary file, like a capture opened from disk (it may still be indexing when this returns).
      expect(opened).toMatchObject({ kind: 'capture', events: 1 });
      expect((await api.listSources()).map((s) => s.id)).toEqual(['live', opened.id]);
      expect((await api.queryEvents(opened.id, {}, 0, 10)).events[0]).toMatchObject({
        kind: 'note',
        text: 'hello over the bridge',
      });
      const har = await api.exportSource(opened.id, 'har', false);
      expect(JSON.parse(har.data)).toHaveProperty('log');
      await api.closeSource(opened.id);
      await expect(api.queryEvents(opened.id, {}, 0, 10)).rejects.toThrow(/no open source/);

      expect(await api.getReplay()).toMatchObject({ state: 'idle' });

      const noteTexts = () =>
        notices
          .flatMap((n) => (n.type === 'events' ? n.events : []))
          .map((e) => (e.kind === 'note' ? e.text : ''));
      await wake.until(
        'the note as an events notice',
        () => noteTexts().includes('hello over the bridge'),
        5000,
      );
      // Notices come in batches of their own timing: wait for each kind the calls above must have caused.
      await wake.until('a recording notice', () => notices.some((n) => n.type === 'recording'), 5000);
      await wake.until(
        'a source notice for the opened capture',
        () => notices.some((n) => n.type === 'source' && n.source.id === opened.id),
        5000,
      );
    } finally {
      api.close();
    }
  });

  it('delivers a flood of events in few batches, in order, without losing any', async () => {
    const api = createBridgeClient(handle.bridgeUrl, wsFactory);
    const batches: number[] = [];
    const seqs: number[] = [];
    const wake = new Wake();
    api.subscribe((batch) => {
      for (const n of batch) {
        if (n.type !== 'events') continue;
        batches.push(n.events.length);
        seqs.push(...n.events.map((e) => e.seq));
      }
      wake.notify();
    });
    try {
      await api.listSources(); // the socket is open once a call returns
      const first = engine.stream.count;
      for (let i = 0; i < 2000; i++)
        engine.stream.emit({ kind: 'note', conn: 'c', source: 'engine', text: `n${i}` });
      await wake.until('2000 events as notices', () => seqs.length >= 2000, 5000);
      expect(seqs).toEqual(Array.from({ length: 2000 }, (_, i) => first + i));
      expect(batches.length).toBeLessThanOrEqual(3);
    } finally {
      api.close();
    }
  });

  it('a call to a bridge URL with the wrong token fails with a clear "could not connect" error', async () => {
    const api = createBridgeClient(`ws://127.0.0.1:${handle.port}/wrongtoken/bridge`, wsFactory);
    await expect(api.listSources()).rejects.toMatchObject({
      code: 'disconnected',
      message: expect.stringContaining('Could not connect'),
    });
  });

  it('fails pending calls with a clear error when the host goes away', async () => {
    const { WebSocketServer } = await import('ws');
    // A host that takes the call and, instead of answering, shuts down: the call is pending for certain when it
    // goes (a real engine could answer first and the test would prove nothing).
    const host = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await nextEvent(host, 'listening', 'the stand-in host to listen');
    const received: string[] = [];
    host.on('connection', (ws) => {
      ws.on('message', (data) => {
        received.push(String(data));
        for (const client of host.clients) client.terminate();
        host.close();
      });
    });
    const api = createBridgeClient(`ws://127.0.0.1:${(host.address() as { port: number }).port}/`, wsFactory);
    try {
      await expect(api.listSources()).rejects.toMatchObject({
        code: 'disconnected',
        message: expect.stringContaining('was lost'),
      });
      // It really was sent and pending, not refused before it left.
      expect(received).toHaveLength(1);
      expect(received[0]).toContain('listSources');
    } finally {
      api.close();
      host.close();
    }
  });
});

describe('bridge client after a dropped socket', () => {
  it('reconnects while subscribed, so notices keep coming', async () => {
    const { WebSocketServer } = await import('ws');
    const { attachBridge } = await import('../../../electron/host/bridge-server');
    const engine = new ScopeEngine({
      dataDir: testTempDir('reconnect'),
      noticeIntervalMs: 10,
    });
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    const sockets: WebSocket[] = [];
    const wake = new Wake();
    wss.on('connection', (ws) => {
      sockets.push(ws);
      // The bridge subscribes this socket to the engine's notices right here, before we hear of the connection.
      attachBridge(ws, engine);
      wake.notify();
    });
    const api = createBridgeClient(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/`, wsFactory);
    const texts: string[] = [];
    api.subscribe((batch) => {
      for (const n of batch)
        if (n.type === 'events') for (const e of n.events) if (e.kind === 'note') texts.push(e.text);
      wake.notify();
    });
    // Once the server holds the n-th socket, a note emitted now must reach the client (emitted once, not retried).
    const noteOverSocket = async (n: number, text: string) => {
      await wake.until(`bridge connection ${n}`, () => sockets.length >= n);
      engine.stream.emit({ kind: 'note', conn: '', source: 'user', text });
      await wake.until(`the notice "${text}"`, () => texts.includes(text));
    };
    try {
      await noteOverSocket(1, 'before');
      sockets[0]!.terminate();
      // No call is made: the subscription alone must bring the socket back.
      await noteOverSocket(2, 'after');
      expect(sockets.length).toBe(2);
      expect(texts).toEqual(['before', 'after']);
    } finally {
      api.close();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await engine.close();
    }
  });
});

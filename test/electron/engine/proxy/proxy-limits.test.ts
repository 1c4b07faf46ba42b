import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { DEFAULT_ENDPOINT_SETTINGS } from '../../../../electron/engine/endpoint/endpoint';
import { BACKPRESSURE_BYTES, MAX_HELD_FRAMES } from '../../../../electron/engine/proxy/proxy-connection';
import { Harness } from '../engine-harness';

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

/** A bare upstream CSMS that counts what reaches it; `paused` stops it reading its socket. */
async function upstream(opts: { paused?: boolean } = {}) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'ocpp1.6' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const got: string[] = [];
  const sockets: Socket[] = [];
  let onGot: (() => void) | undefined;
  wss.on('connection', (ws) => {
    const s = (ws as unknown as { _socket: Socket })._socket;
    sockets.push(s);
    if (opts.paused) s.pause();
    ws.on('message', (d: Buffer) => {
      got.push(d.toString());
      onGot?.();
    });
  });
  cleanups.push(() => new Promise((r) => wss.close(() => r(undefined))));
  const waitFor = (n: number, ms: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`upstream got ${got.length} of ${n}`)), ms);
      const check = () => {
        if (got.length >= n) {
          clearTimeout(timer);
          onGot = undefined;
          resolve();
        }
      };
      onGot = check;
      check();
    });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    got,
    waitFor,
    resume: () => sockets.forEach((s) => s.resume()),
  };
}

async function proxyFor(upUrl: string, extra: Partial<typeof DEFAULT_ENDPOINT_SETTINGS> = {}) {
  const h = new Harness();
  cleanups.push(() => h.close());
  const { upstream: up, ...rest } = extra;
  const url = await h.listen({ upstream: { url: upUrl, ...up }, ...rest });
  const ws = new WebSocket(`${url}CP1`, ['ocpp1.6']);
  cleanups.push(async () => ws.terminate());
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { h, ws };
}

describe('proxy limits', () => {
  it('held frames are capped: the excess is forwarded, reported once, and releasing many does not throw', async () => {
    const up = await upstream();
    const { h, ws } = await proxyFor(up.url, {
      upstream: { url: up.url, hold: { station: true } },
      limits: { ...DEFAULT_ENDPOINT_SETTINGS.limits, maxFramesPerSec: 0 },
    });
    let notices = 0;
    h.hub.on('heldFrames', () => notices++);
    const extra = 20;
    for (let i = 0; i < MAX_HELD_FRAMES + extra; i++) ws.send(`[2,"m${i}","Heartbeat",{}]`);
    await up.waitFor(extra, 5000);
    const proxy = h.hub.proxyList()[0]!;
    expect(proxy.heldList()).toHaveLength(MAX_HELD_FRAMES);
    expect(up.got[0]).toBe(`[2,"m${MAX_HELD_FRAMES}","Heartbeat",{}]`);
    expect(h.findingCodes(proxy.id).filter((c) => c === 'held-frames-limit')).toHaveLength(1);
    await new Promise<void>((r) => setImmediate(r));
    expect(notices).toBeLessThan(MAX_HELD_FRAMES / 10);
    proxy.setHold('station', false);
    await up.waitFor(MAX_HELD_FRAMES + extra, 5000);
    expect(proxy.heldList()).toHaveLength(0);
  });

  it('frames past the per-second limit wait, all still arrive in order, and the findings say how many waited', async () => {
    const up = await upstream();
    const { h, ws } = await proxyFor(up.url, {
      limits: { ...DEFAULT_ENDPOINT_SETTINGS.limits, maxFramesPerSec: 20 },
    });
    const total = 60;
    const raw = (ws as unknown as { _socket: Socket })._socket;
    raw.cork();
    for (let i = 0; i < total; i++) ws.send(`[2,"r${i}","Heartbeat",{}]`);
    raw.uncork();
    await up.waitFor(total, 8000);
    expect(up.got).toEqual(Array.from({ length: total }, (_, i) => `[2,"r${i}","Heartbeat",{}]`));
    const read = h.of('frame').filter((e) => e.sender === 'station');
    expect(read).toHaveLength(total);
    // No clock is read here: the findings say how many frames waited, all but the first window's 20.
    await h.waitFor(
      (e) =>
        e.kind === 'note' &&
        e.findings?.some((f) => f.code === 'rate-limit') === true &&
        !e.text.includes('still going'),
      5000,
      'the end-of-episode report',
    );
    const notes = h.of('note').filter((e) => e.findings?.some((f) => f.code === 'rate-limit'));
    const waited = notes.map((n) => Number(/(\d+) frames? waited/.exec(n.text)?.[1] ?? NaN));
    expect(waited.reduce((a, b) => a + b, 0)).toBe(total - 20);
  });

  it('a CSMS that does not read pauses reading from the charger until it catches up', async () => {
    const up = await upstream({ paused: true });
    const { h, ws } = await proxyFor(up.url, {
      limits: { ...DEFAULT_ENDPOINT_SETTINGS.limits, maxFramesPerSec: 0 },
    });
    const big = `[2,"x","DataTransfer",{"vendorId":"v","data":"${'y'.repeat(512 * 1024)}"}]`;
    const count = Math.ceil((BACKPRESSURE_BYTES * 4) / big.length);
    for (let i = 0; i < count; i++) ws.send(big);
    await h.waitFor(
      (e) => e.kind === 'note' && /not reading fast enough/.test(e.text),
      8000,
      'backpressure note',
    );
    up.resume();
    await up.waitFor(count, 10_000);
    expect(up.got).toHaveLength(count);
  });
});

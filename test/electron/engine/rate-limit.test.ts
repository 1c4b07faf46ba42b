import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_ENDPOINT_SETTINGS } from '../../../electron/engine/endpoint';
import { Harness } from './engine-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('rate limit against one burst', () => {
  it('a burst is recorded and answered in full, but no faster than the limit, with one finding', async () => {
    h = new Harness();
    const max = 40;
    const url = await h.listen({ limits: { ...DEFAULT_ENDPOINT_SETTINGS.limits, maxFramesPerSec: max } });
    const ws = new WebSocket(`${url}CP1`, ['ocpp1.6']);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const total = 100;
    const at: number[] = [];
    const all = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${at.length} answers`)), 8000);
      ws.on('message', () => {
        at.push(performance.now());
        if (at.length === total) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // One write: the whole burst reaches the server in one or a few TCP reads.
    const raw = (ws as unknown as { _socket: Socket })._socket;
    raw.cork();
    for (let i = 0; i < total; i++) ws.send(`[2,"b${i}","Heartbeat",{}]`);
    raw.uncork();
    await all;
    const conn = h.endpoint.connections()[0]!;
    const fromStation = h.of('frame', conn.id).filter((e) => e.sender === 'station');
    expect(fromStation.map((e) => e.msg?.id)).toEqual(Array.from({ length: total }, (_, i) => `b${i}`));
    // 100 frames at 40 per second: answers 40.. wait for the second window, 80.. for the third. Measured on the
    // engine's own clock (event stamps), which CPU load on the shared test process cannot shorten.
    const answered = h.of('frame', conn.id).filter((e) => e.sender === 'csms');
    expect(answered).toHaveLength(total);
    const t0 = answered[0]!.mono;
    expect(answered[max]!.mono - t0).toBeGreaterThanOrEqual(900);
    expect(answered[total - 1]!.mono - t0).toBeGreaterThanOrEqual(1800);
    expect(h.findingCodes(conn.id).filter((c) => c === 'rate-limit')).toHaveLength(1);
    ws.close();
  });
});

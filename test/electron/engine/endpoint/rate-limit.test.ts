import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_ENDPOINT_SETTINGS } from '../../../../electron/engine/endpoint/endpoint';
import { Harness } from '../engine-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('rate limit against one burst', () => {
  it('a burst is recorded and answered in full, and the findings say how many frames waited', async () => {
    h = new Harness();
    const max = 40;
    const url = await h.listen({ limits: { ...DEFAULT_ENDPOINT_SETTINGS.limits, maxFramesPerSec: max } });
    const ws = new WebSocket(`${url}CP1`, ['ocpp1.6']);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const total = 100;
    let answers = 0;
    const all = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${answers} answers`)), 8000);
      ws.on('message', () => {
        if (++answers === total) {
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
    const answered = h.of('frame', conn.id).filter((e) => e.sender === 'csms');
    expect(answered).toHaveLength(total);
    // No clock is read here (a loaded machine stretches any duration): the finding says how much the charger was
    // slowed, and its amounts add up to the frames that waited: all but the first window's `max`.
    await h.waitFor(
      (e) =>
        e.kind === 'note' &&
        e.conn === conn.id &&
        e.text.includes('delayed') &&
        !e.text.includes('still going'),
      5000,
      'the end-of-episode report',
    );
    const notes = h.of('note', conn.id).filter((e) => e.findings?.some((f) => f.code === 'rate-limit'));
    expect(notes.length).toBeGreaterThanOrEqual(1);
    const waited = notes.map((n) => Number(/(\d+) frames? waited/.exec(n.text)?.[1] ?? NaN));
    expect(waited.reduce((a, b) => a + b, 0)).toBe(total - max);
    expect(notes.at(-1)!.findings![0]!.message).toMatch(/more than 40 frames per second/);
    ws.close();
  });
});

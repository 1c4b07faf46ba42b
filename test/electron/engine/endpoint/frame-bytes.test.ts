import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Harness } from '../engine-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("a connection's byte count", () => {
  it('counts the calls it received and the answers it sent in UTF-8 bytes, ids with any characters', async () => {
    h = new Harness();
    const url = await h.listen();
    const ws = new WebSocket(`${url}CP1`, ['ocpp1.6']);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    // ASCII ids, and ids the auto-answer copies into its answer with characters of two, three and four bytes.
    const ids = ['a1', 'ä2', '✓3', '😀4', 'plain5'];
    const answers: string[] = [];
    const all = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${answers.length} answers`)), 10_000);
      ws.on('message', (data) => {
        answers.push(String(data));
        if (answers.length === ids.length) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const calls = ids.map((id) => `[2,${JSON.stringify(id)},"Heartbeat",{}]`);
    for (const call of calls) ws.send(call);
    await all;
    const conn = h.endpoint.connections()[0]!;
    const frames = h.of('frame', conn.id);
    expect(frames.filter((e) => e.sender === 'csms').map((e) => e.text)).toEqual(answers);
    const expected = [...calls, ...answers].reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0);
    expect(conn.bytes).toBe(expected);
    expect(conn.bytes).toBeGreaterThan([...calls, ...answers].reduce((n, t) => n + t.length, 0));
    ws.close();
  });
});

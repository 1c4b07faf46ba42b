import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_HELD_CALLS } from '../../../../electron/engine/connections/connection';
import { Harness } from '../engine-harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function openClient(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, ['ocpp1.6']);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('held calls are bounded', () => {
  it('past the cap, calls are answered as without the hold, once reported, and the held notice is coalesced', async () => {
    h = new Harness();
    const url = await h.listen();
    h.hub.answers.setPolicies([{ version: '1.6', action: 'Heartbeat', mode: 'hold' }]);
    let notices = 0;
    h.hub.on('held', () => notices++);
    const ws = await openClient(`${url}CP1`);
    const extra = 30;
    const total = MAX_HELD_CALLS + extra;
    const answers: string[] = [];
    const allAnswered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${answers.length} answers`)), 5000);
      ws.on('message', (d: Buffer) => {
        answers.push(d.toString());
        if (answers.length === extra) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // One write: every call arrives in the same few TCP reads.
    for (let i = 0; i < total; i++) ws.send(`[2,"h${i}","Heartbeat",{}]`);
    await allAnswered;
    const conn = h.endpoint.connections()[0]!;
    expect(conn.held()).toHaveLength(MAX_HELD_CALLS);
    expect(h.hub.held()).toHaveLength(MAX_HELD_CALLS);
    // The excess got the automatic answer (a Heartbeat CALLRESULT with currentTime).
    expect(JSON.parse(answers[0]!)).toMatchObject([3, `h${MAX_HELD_CALLS}`, {}]);
    expect(h.findingCodes(conn.id).filter((c) => c === 'held-calls-limit')).toHaveLength(1);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(notices).toBeGreaterThan(0);
    expect(notices).toBeLessThan(total / 4);
    ws.close();
  });
});

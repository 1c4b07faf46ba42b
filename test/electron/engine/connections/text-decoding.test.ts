import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Harness } from '../engine-harness';

let cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

describe('text frames from a charger', () => {
  it('are text when they hold U+FFFD themselves, and base64 with a finding when their bytes are not UTF-8', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen();
    const ws = new WebSocket(url + 'UTF', ['ocpp1.6']);
    cleanups.push(() => ws.terminate());
    await new Promise<void>((r, e) => (ws.once('open', () => r()), ws.once('error', e)));
    const answers: string[] = [];
    ws.on('message', (d) => answers.push(String(d)));

    const legit = '[2,"r1","DataTransfer",{"vendorId":"Ünïcode \uFFFD vendor"}]';
    ws.send(legit);
    ws.send(Buffer.from([0x5b, 0x32, 0x2c, 0x22, 0xff, 0x22, 0x5d]), { binary: false });
    ws.send('[2,"r3","Heartbeat",{}]');
    const opened = await h.waitFor(
      (e) => e.kind === 'opened' && e.connection.identity === 'UTF',
      5000,
      'opened',
    );
    await h.waitFor(
      (e) => e.kind === 'frame' && e.conn === opened.conn && e.sender === 'csms' && e.msg?.id === 'r3',
      10_000,
      'the answer to r3',
    );
    const received = h.of('frame', opened.conn).filter((e) => e.sender === 'station');
    expect(received.map((e) => e.binary === true)).toEqual([false, true, false]);
    expect(received[0]!.text).toBe(legit);
    expect(received[0]!.findings).toEqual([]);
    expect(received[1]!.text).toBe(
      Buffer.from([0x5b, 0x32, 0x2c, 0x22, 0xff, 0x22, 0x5d]).toString('base64'),
    );
    expect(received[1]!.findings.map((f) => f.code)).toEqual(['invalid-utf8']);
    // r1 and r3 were answered; the undecodable frame was not.
    expect(
      h
        .of('frame', opened.conn)
        .filter((e) => e.sender === 'csms')
        .map((e) => e.msg?.id),
    ).toEqual(['r1', 'r3']);
  });
});

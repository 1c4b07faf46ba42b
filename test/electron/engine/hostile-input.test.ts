import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Socket } from 'node:net';
import { Harness, rpcClient } from './engine-harness';

let cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function open(url: string, protocols: string[] = ['ocpp1.6']): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols);
  cleanups.push(() => ws.terminate());
  ws.on('error', () => {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('hostile chargers', () => {
  it('are recorded with their findings while a well-behaved charger keeps being served', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ limits: { maxFrameBytes: 4096, maxFramesPerSec: 100, maxConnections: 50 } });

    // The good charger: a strict third-party client sending heartbeats throughout.
    const good = rpcClient({
      endpoint: url,
      identity: 'GOOD',
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
    });
    cleanups.push(() => good.close({ force: true }));
    await good.connect();
    let goodAnswers = 0;
    const beats = (async () => {
      for (let i = 0; i < 20; i++) {
        await good.call('Heartbeat', {});
        goodAnswers++;
      }
    })();

    const byIdentity = async (identity: string): Promise<string> => {
      const e = await h.waitFor(
        (x) => x.kind === 'opened' && x.connection.identity === identity,
        5000,
        identity,
      );
      return e.conn;
    };

    // Not JSON at all, and a broken CALL whose id can still be read: the latter gets the CALLERROR 1.6 prescribes.
    const junk = await open(url + 'JUNK');
    const junkAnswer = new Promise<string>((r) => junk.once('message', (d) => r(String(d))));
    junk.send('hello, is this the CSMS?');
    junk.send('[2,"broken-1","Heartbeat",{');
    const answer = JSON.parse(await junkAnswer) as unknown[];
    expect(answer.slice(0, 2)).toEqual([4, 'broken-1']);
    const junkId = await byIdentity('JUNK');

    // Binary frames and a text frame that is not UTF-8.
    const bin = await open(url + 'BIN');
    bin.send(Buffer.from([0x00, 0x01, 0x02]), { binary: true });
    bin.send(Buffer.from([0x5b, 0x32, 0xff, 0xfe]), { binary: false });
    const binId = await byIdentity('BIN');

    // A frame over the size limit: that connection is closed with 1009, nothing else is affected.
    const big = await open(url + 'BIG');
    const bigClosed = new Promise<number>((r) => big.once('close', (code) => r(code)));
    big.send(`[2,"big","DataTransfer",{"vendorId":"x","data":"${'A'.repeat(8000)}"}]`);
    expect(await bigClosed).toBe(1009);
    const bigId = await byIdentity('BIG');

    // A flood well over 100 frames per second.
    const flood = await open(url + 'FLOOD');
    for (let i = 0; i < 400; i++) flood.send(`[2,"f${i}","Heartbeat",{}]`);
    const floodId = await byIdentity('FLOOD');

    // A charger that disconnects in the middle of a frame: header says 256 bytes, 10 arrive, then the socket dies.
    const cut = await open(url + 'CUT');
    const cutId = await byIdentity('CUT');
    const raw = (cut as unknown as { _socket: Socket })._socket;
    // The write callback fires once the bytes are with the kernel; TCP then delivers them before the FIN.
    await new Promise<void>((resolve, reject) =>
      raw.write(
        Buffer.concat([Buffer.from([0x81, 0x80 | 126, 0x01, 0x00, 1, 2, 3, 4]), Buffer.alloc(10, 0x41)]),
        (e) => (e ? reject(e) : resolve()),
      ),
    );
    raw.destroy();

    await beats;
    expect(goodAnswers).toBe(20);
    // The CALLERROR carries the code OCPP 1.6 prescribes for that problem.
    const broken = h
      .of('frame', junkId)
      .find((e) => e.sender === 'station' && e.problem?.messageId === 'broken-1');
    expect(answer[2]).toBe(broken?.problem?.errorCode);
    expect(answer[2]).toBe('FormationViolation');
    await h.waitFor((e) => e.kind === 'closed' && e.conn === cutId, 5000, 'cut closed');
    await h.waitFor((e) => e.kind === 'note' && e.conn === floodId, 5000, 'flood note');

    expect(h.findingCodes(junkId)).toEqual(['frame-not-json', 'frame-not-json']);
    expect(h.findingCodes(binId)).toEqual(['binary-frame', 'invalid-utf8']);
    expect(h.of('frame', binId).every((e) => e.binary === true)).toBe(true);
    expect(h.findingCodes(bigId)).toContain('frame-too-large');
    expect(h.of('closed', bigId)[0]?.code).toBe(1009);
    // Slowed by the limit, or first by its share of the engine (the good charger is active): either says how much.
    expect(h.findingCodes(floodId).some((c) => c === 'rate-limit' || c === 'fair-share-slowed')).toBe(true);
    expect(h.findingCodes(cutId)).toContain('incomplete-frame');
    expect(h.of('closed', cutId)[0]).toMatchObject({ code: 1006, by: 'none', clean: false });
    // The good charger saw nothing of it.
    const goodId = await byIdentity('GOOD');
    expect(h.findingCodes(goodId)).toEqual([]);
    // The flood is slowed, not lost: every one of its calls is eventually read and answered.
    await h.waitFor(
      (e) => e.kind === 'frame' && e.conn === floodId && e.sender === 'csms' && e.msg?.id === 'f399',
      10_000,
      'last flood answer',
    );
    expect(flood.readyState).toBe(WebSocket.OPEN);
  });

  it('the connection limit refuses the extra charger with 503 and a finding', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ limits: { maxFrameBytes: 65536, maxFramesPerSec: 0, maxConnections: 1 } });
    await open(url + 'FIRST');
    const second = new WebSocket(url + 'SECOND', ['ocpp1.6']);
    cleanups.push(() => second.terminate());
    const status = await new Promise<number>((resolve) => {
      second.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      second.on('error', () => {});
    });
    expect(status).toBe(503);
    const refused = await h.waitFor((e) => e.kind === 'opened' && e.connection.identity === 'SECOND');
    expect(refused.kind === 'opened' && refused.ok).toBe(false);
    expect(h.findingCodes(refused.conn)).toEqual(['too-many-connections']);
  });
});

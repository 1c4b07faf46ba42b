import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { cleanupsAfterEach } from '../../../support/cleanups';
import { Wake } from '../../../support/wake';
import { Harness } from '../engine-harness';

const cleanups = cleanupsAfterEach();

/** Text frames whose bytes are not UTF-8 (a lone 0xff; a truncated 2-byte sequence). */
const NOT_UTF8 = [
  Buffer.from([0x5b, 0x32, 0x2c, 0x22, 0xff, 0x22, 0x5d]),
  Buffer.from([0x5b, 0x32, 0x2c, 0x22, 0xc3, 0x22, 0x5d]),
];
/** Proper UTF-8 that holds U+FFFD itself: text, no finding. */
const WITH_FFFD = '[2,"r1","DataTransfer",{"vendorId":"Ünïcode \uFFFD vendor"}]';

interface Received {
  data: Buffer;
  binary: boolean;
}

/** A bare ws peer that keeps every message it gets, bytes as they came (no UTF-8 check of its own). */
function keep(ws: WebSocket, into: Received[], wake: Wake): void {
  ws.on('message', (data: Buffer, binary: boolean) => {
    into.push({ data, binary });
    wake.notify();
  });
}

async function opened(ws: WebSocket): Promise<void> {
  await new Promise<void>((r, e) => (ws.once('open', () => r()), ws.once('error', e)));
}

/** The finding codes the endpoint itself gives the same bytes from a charger. */
async function endpointCodes(frames: Buffer[]): Promise<string[][]> {
  const h = new Harness();
  cleanups.push(() => h.close());
  const url = await h.listen();
  const ws = new WebSocket(url + 'EP', ['ocpp1.6']);
  cleanups.push(async () => ws.terminate());
  await opened(ws);
  for (const f of frames) ws.send(f, { binary: false });
  const conn = (await h.waitFor((e) => e.kind === 'opened', 5000, 'opened')).conn;
  await h.waitFor(
    () => h.of('frame', conn).filter((e) => e.sender === 'station').length === frames.length,
    10_000,
    'every frame at the endpoint',
  );
  return h
    .of('frame', conn)
    .filter((e) => e.sender === 'station')
    .map((e) => e.findings.map((f) => f.code));
}

describe('text frames through the proxy', () => {
  it('are decoded as at the endpoint: invalid UTF-8 gets the same finding, and every frame is forwarded as it came', async () => {
    const wake = new Wake();
    const upstream = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      skipUTF8Validation: true,
      handleProtocols: () => 'ocpp1.6',
    });
    cleanups.push(() => new Promise<void>((r) => upstream.close(() => r())));
    await new Promise<void>((r) => upstream.once('listening', () => r()));
    const atCsms: Received[] = [];
    const csmsLegs: WebSocket[] = [];
    upstream.on('connection', (ws) => {
      csmsLegs.push(ws);
      keep(ws, atCsms, wake);
      wake.notify();
    });

    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({
      upstream: { url: `ws://127.0.0.1:${(upstream.address() as AddressInfo).port}/csms` },
    });
    const charger = new WebSocket(url + 'PXUTF', ['ocpp1.6'], { skipUTF8Validation: true });
    cleanups.push(async () => charger.terminate());
    const atCharger: Received[] = [];
    keep(charger, atCharger, wake);
    await opened(charger);

    const sent: Received[] = [
      { data: Buffer.from(WITH_FFFD), binary: false },
      ...NOT_UTF8.map((data) => ({ data, binary: false })),
      { data: Buffer.from([0x00, 0x01, 0x02]), binary: true },
      { data: Buffer.from('[2,"r3","Heartbeat",{}]'), binary: false },
    ];
    for (const s of sent) charger.send(s.data, { binary: s.binary });
    await wake.until('every frame at the upstream', () => atCsms.length === sent.length);
    // The other way: the CSMS sends bytes that are not UTF-8 toward the charger.
    csmsLegs[0]!.send(NOT_UTF8[0]!, { binary: false });
    await wake.until('the frame at the charger', () => atCharger.length === 1);

    // Forwarded byte for byte, text as text and binary as binary, the undecodable ones included.
    expect(atCsms.map((r) => [r.data.toString('hex'), r.binary])).toEqual(
      sent.map((s) => [s.data.toString('hex'), s.binary]),
    );
    expect(atCharger.map((r) => [r.data.toString('hex'), r.binary])).toEqual([
      [NOT_UTF8[0]!.toString('hex'), false],
    ]);

    const proxy = h.hub.proxyList()[0]!;
    await h.waitFor(() => h.of('frame', proxy.id).length === sent.length + 1, 10_000, 'every frame recorded');
    const frames = h.of('frame', proxy.id);
    const fromCharger = frames.filter((e) => e.sender === 'station');
    expect(fromCharger.map((e) => e.binary === true)).toEqual([false, true, true, true, false]);
    expect(fromCharger[0]!.text).toBe(WITH_FFFD);
    expect(fromCharger[0]!.findings).toEqual([]);
    expect(fromCharger[1]!.text).toBe(NOT_UTF8[0]!.toString('base64'));
    const fromCsms = frames.filter((e) => e.sender === 'csms');
    expect(fromCsms.map((e) => [e.text, e.findings.map((f) => f.code)])).toEqual([
      [NOT_UTF8[0]!.toString('base64'), ['invalid-utf8']],
    ]);

    // The same finding codes as the endpoint gives the same bytes.
    const proxyCodes = fromCharger.map((e) => e.findings.map((f) => f.code));
    expect(proxyCodes.slice(1, 3)).toEqual([['invalid-utf8'], ['invalid-utf8']]);
    expect(proxyCodes.slice(0, 3)).toEqual(await endpointCodes(sent.slice(0, 3).map((s) => s.data)));
    expect(proxyCodes[3]).toEqual(['binary-frame']);
  });
});

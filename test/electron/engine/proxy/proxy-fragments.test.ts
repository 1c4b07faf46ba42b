import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { cleanupsAfterEach } from '../../../support/cleanups';
import { Wake } from '../../../support/wake';
import { Harness } from '../engine-harness';

const cleanups = cleanupsAfterEach();

/** Sends `parts` as one message in that many frames (continuation frames after the first). */
function sendInFrames(ws: WebSocket, parts: string[]): void {
  parts.forEach((p, i) => ws.send(p, { fin: i === parts.length - 1 }));
}

/** Bursts in one write (several messages from one read) and messages split over continuation frames. */
function sendMixed(ws: WebSocket, tag: string): string[] {
  const raw = (ws as unknown as { _socket: Socket })._socket;
  const whole = [1, 2, 3, 4].map((i) => `[2,"${tag}${i}","DataTransfer",{"vendorId":"v${i}"}]`);
  raw.cork();
  ws.send(whole[0]!);
  sendInFrames(ws, [whole[1]!.slice(0, 7), whole[1]!.slice(7, 20), whole[1]!.slice(20)]);
  ws.send(whole[2]!);
  raw.uncork();
  sendInFrames(ws, [whole[3]!.slice(0, 5), whole[3]!.slice(5)]);
  return whole;
}

describe('proxy legs with the fragment list kept (ws-fragments.ts)', () => {
  it('forwards messages split over frames and messages of one read whole, in order, both ways', async () => {
    const wake = new Wake();
    const upstream = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'ocpp1.6' });
    cleanups.push(() => new Promise<void>((r) => upstream.close(() => r())));
    await new Promise<void>((r) => upstream.once('listening', () => r()));
    const atCsms: string[] = [];
    const csmsLegs: WebSocket[] = [];
    upstream.on('connection', (ws) => {
      csmsLegs.push(ws);
      ws.on('message', (d: Buffer) => (atCsms.push(d.toString()), wake.notify()));
      wake.notify();
    });
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({
      upstream: { url: `ws://127.0.0.1:${(upstream.address() as AddressInfo).port}/csms` },
    });
    const charger = new WebSocket(url + 'PXFRAG', ['ocpp1.6']);
    cleanups.push(async () => charger.terminate());
    const atCharger: string[] = [];
    charger.on('message', (d: Buffer) => (atCharger.push(d.toString()), wake.notify()));
    await new Promise<void>((r, e) => (charger.once('open', () => r()), charger.once('error', e)));

    const up = [...sendMixed(charger, 'a'), ...sendMixed(charger, 'b')];
    await wake.until('every message at the CSMS', () => atCsms.length === up.length);
    const down = [...sendMixed(csmsLegs[0]!, 'c'), ...sendMixed(csmsLegs[0]!, 'd')];
    await wake.until('every message at the charger', () => atCharger.length === down.length);

    expect(atCsms).toEqual(up);
    expect(atCharger).toEqual(down);
    const proxy = h.hub.proxyList()[0]!;
    await h.waitFor(
      () => h.of('frame', proxy.id).length === up.length + down.length,
      10_000,
      'every frame recorded',
    );
    const frames = h.of('frame', proxy.id);
    // Each recorded as the whole message, parsed (the only findings are the behaviour rule on 1.6's one call at a time).
    expect(frames.filter((e) => e.sender === 'station').map((e) => [e.text, e.msg?.id])).toEqual(
      up.map((t) => [t, (JSON.parse(t) as string[])[1]]),
    );
    expect(new Set(frames.flatMap((e) => e.findings.map((f) => f.code)))).toEqual(
      new Set(['call-while-pending']),
    );
    expect(frames.filter((e) => e.sender === 'csms').map((e) => e.text)).toEqual(down);
  });
});

import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { Harness } from '../engine-harness';

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

/** A bare WebSocket CSMS (ws, loopback, port 0) that accepts ocpp1.6 and hands over its socket. */
async function bareCsms(): Promise<{ url: string; socket: Promise<WebSocket> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'ocpp1.6' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  );
  const socket = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/csms`, socket };
}

const keepalives = (events: ScopeEvent[]) =>
  events
    .filter((e) => e.kind === 'ping' || e.kind === 'pong')
    .map((e) => (e.kind === 'ping' || e.kind === 'pong' ? `${e.kind} from ${e.sender}` : ''));

describe('proxy keepalives and legs', () => {
  it('records a PONG row for every ping on either leg, sent by the side the tool plays there', async () => {
    const csms = await bareCsms();
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ upstream: { url: csms.url } });
    const charger = new WebSocket(url + 'PX-KA', ['ocpp1.6']);
    cleanups.push(async () => charger.terminate());
    await new Promise((resolve, reject) => {
      charger.once('open', resolve);
      charger.once('error', reject);
    });
    const upstream = await csms.socket;

    const chargerGotPong = new Promise((resolve) => charger.once('pong', resolve));
    charger.ping('c1');
    await chargerGotPong;
    await h.waitFor((e) => e.kind === 'pong' && e.sender === 'csms', 5000, 'pong on the charger leg');

    const csmsGotPong = new Promise((resolve) => upstream.once('pong', resolve));
    upstream.ping('u1');
    await csmsGotPong;
    await h.waitFor((e) => e.kind === 'pong' && e.sender === 'station', 5000, 'pong on the CSMS leg');

    // The charger pinged (the tool answered as the CSMS side of that leg), then the CSMS pinged (answered as station).
    expect(keepalives(h.events)).toEqual([
      'ping from station',
      'pong from csms',
      'ping from csms',
      'pong from station',
    ]);
  });

  it('marks each of the pair’s two upgrades with its leg', async () => {
    const csms = await bareCsms();
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ upstream: { url: csms.url } });
    const charger = new WebSocket(url + 'PX-LEG', ['ocpp1.6']);
    cleanups.push(async () => charger.terminate());
    await new Promise((resolve) => charger.once('open', resolve));
    await h.waitFor((e) => e.kind === 'opened' && e.leg === 'charger', 5000, 'charger leg opened');
    const legs = h.of('opened').map((e) => [e.leg, e.connection.url.startsWith(csms.url)]);
    expect(legs).toEqual([
      ['csms', true],
      ['charger', false],
    ]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ErrorEvent } from '../../../shared/capture/events';
import type { ProxyConnection } from '../../../electron/engine/proxy/proxy-connection';
import { Harness } from './engine-harness';

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

function harness(): Harness {
  const h = new Harness();
  harnesses.push(h);
  return h;
}

describe('a bug in a promise callback is recorded, not fatal', () => {
  it('proxy: an exception after the upstream handshake becomes an error event and the charger is dropped', async () => {
    const upstream = harness();
    const upUrl = await upstream.listen({ securityProfile: 1, acceptAnyPassword: false });
    const h = harness();
    const url = await h.listen({ upstream: { url: upUrl.replace(/\/$/, '') } });
    const addProxy = h.hub.addProxy.bind(h.hub);
    h.hub.addProxy = (p: ProxyConnection) => {
      p.upstreamOpened = () => {
        throw new Error('injected');
      };
      addProxy(p);
    };
    const ws = new WebSocket(`${url.replace(/\/$/, '')}/CP1`, ['ocpp1.6']);
    const ended = new Promise<void>((resolve) => {
      ws.on('error', () => resolve());
      ws.on('close', () => resolve());
    });
    const error = await h.waitFor<ErrorEvent>((e) => e.kind === 'error', 5000, 'error event');
    expect(error.code).toBe('internal-error');
    expect(error.message).toContain('injected');
    await ended;
  });

  it('station: an exception in a reconnect attempt becomes an error event', async () => {
    const h = harness();
    const url = await h.listen();
    const station = await h.station.connect({
      url: `${url.replace(/\/$/, '')}/CP1`,
      protocols: ['1.6'],
      reconnect: { enabled: true, maxDelaySec: 1 },
    });
    expect(station.isOpen).toBe(true);
    (h.station as unknown as { attempt: () => Promise<boolean> }).attempt = () =>
      Promise.reject(new Error('injected'));
    const server = h.endpoint.connections()[0]!;
    await server.close(1001, 'bye');
    const error = await h.waitFor<ErrorEvent>(
      (e) => e.kind === 'error' && e.conn === station.id,
      5000,
      'error event',
    );
    expect(error.code).toBe('internal-error');
    await station.close();
  });
});

import { describe, expect, it } from 'vitest';
import { Harness } from '../engine-harness';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

describe('station reconnect', () => {
  it('is off by default; when on, the same connection comes back after the CSMS drops it, each attempt recorded', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen();
    const plain = await h.station.connect({ url: url + 'ONCE', protocols: ['1.6'] });
    const again = await h.station.connect({
      url: url + 'AGAIN',
      protocols: ['1.6'],
      reconnect: { enabled: true, maxDelaySec: 1 },
    });
    expect(again.state).toBe('open');
    // The CSMS side drops both chargers.
    for (const c of h.endpoint.connections()) await c.close(1012, 'restart');
    await h.waitFor((e) => e.kind === 'closed' && e.conn === plain.id);
    const reopened = await h.waitFor(
      (e) => e.kind === 'opened' && e.conn === again.id && h.of('opened', again.id).length === 2,
      5000,
      'second opened',
    );
    expect(reopened.kind === 'opened' && reopened.ok).toBe(true);
    expect(again.state).toBe('open');
    expect(h.of('opened', plain.id)).toHaveLength(1);
    expect(plain.state).toBe('closed');
    expect(h.of('note', again.id).map((n) => n.text)).toEqual(['Reconnecting in 1 s.']);
    const o = await again.sendCall('Heartbeat', {});
    expect(o.response?.msg?.type).toBe(3);
    // Closing it ourselves stops the retries.
    await again.close();
    expect(again.userClosed).toBe(true);
    expect(h.of('note', again.id)).toHaveLength(1);
  });

  it('retries a failed first attempt and records each one', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ securityProfile: 1, acceptAnyPassword: false, passwords: { R: 'right' } });
    const conn = await h.station.connect({
      url: url + 'R',
      protocols: ['2.0.1'],
      basicAuth: { username: 'R', password: 'wrong' },
      reconnect: { enabled: true, maxDelaySec: 1 },
    });
    expect(conn.failure?.code).toBe('auth-failed');
    await h.waitFor(
      (e) => e.kind === 'opened' && e.conn === conn.id && h.of('opened', conn.id).length === 2,
      5000,
      'retry',
    );
    expect(h.of('opened', conn.id).every((e) => !e.ok)).toBe(true);
    await conn.close();
  });

  it('stations given the same settings objects but their own URL and password each come back as themselves', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({
      securityProfile: 1,
      acceptAnyPassword: false,
      passwords: { A: 'pa', B: 'pb' },
    });
    // As a fleet connects them: the same protocol list and reconnect settings for all.
    const protocols: ['1.6'] = ['1.6'];
    const reconnect = { enabled: true, maxDelaySec: 1 };
    const a = await h.station.connect({
      url: url + 'A',
      protocols,
      reconnect,
      basicAuth: { username: 'A', password: 'pa' },
    });
    const b = await h.station.connect({
      url: url + 'B',
      protocols,
      reconnect,
      basicAuth: { username: 'B', password: 'pb' },
    });
    expect([a.state, b.state]).toEqual(['open', 'open']);
    for (const c of h.endpoint.connections()) await c.close(1012, 'restart');
    for (const c of [a, b])
      await h.waitFor(
        (e) => e.kind === 'opened' && e.conn === c.id && h.of('opened', c.id).length === 2,
        5000,
        `${c.identity} back`,
      );
    for (const c of [a, b]) {
      const again = h.of('opened', c.id)[1]!;
      expect(again.kind === 'opened' && again.ok).toBe(true);
    }
    expect(
      h.endpoint
        .connections()
        .filter((c) => c.state === 'open')
        .map((c) => c.identity)
        .sort(),
    ).toEqual(['A', 'B']);
    await a.close();
    await b.close();
  });
});

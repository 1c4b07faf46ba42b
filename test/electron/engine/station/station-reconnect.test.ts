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
});

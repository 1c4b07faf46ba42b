import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenedEvent } from '../../../../shared/capture/events';
import { connectionName } from '../../../../shared/capture/connection-name';
import { Harness } from '../engine-harness';

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

/** A TLS client that does not trust the endpoint's CA (Node's default store): it refuses the certificate. */
function untrustingClient(port: number, servername?: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, ...(servername ? { servername } : {}) });
    socket.on('error', () => resolve());
    socket.on('secureConnect', () => {
      socket.destroy();
      resolve();
    });
  });
}

describe('failed TLS attempts at the endpoint', () => {
  it('records one row per attempt, named by the SNI host it dialled (or the address it reached)', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ securityProfile: 2, tls: { generateCertificate: true } });
    const port = Number(new URL(url).port);
    await untrustingClient(port, 'charger-gw.example');
    await h.waitFor((e) => e.kind === 'opened' && !e.ok, 5000, 'first tls record');
    await untrustingClient(port);
    await h.waitFor((e) => e.kind === 'opened' && !e.ok && !e.handshake.tls?.servername, 5000, 'second');

    const failed = h.of('opened').filter((e): e is OpenedEvent => !e.ok);
    expect(failed).toHaveLength(2);
    expect(failed.map((e) => e.handshake.failure?.stage)).toEqual(['tls', 'tls']);
    const [named, bare] = failed as [OpenedEvent, OpenedEvent];
    expect(named.handshake.tls?.servername).toBe('charger-gw.example');
    expect(named.connection.url).toBe(`wss://charger-gw.example:${port}/`);
    expect(connectionName(named.connection)).toBe('(no identity) charger-gw.example');
    expect(connectionName(bare.connection)).toMatch(
      /^\(no identity\) (127\.0\.0\.1|\[::ffff:127\.0\.0\.1\])$/,
    );
    expect(new Set(failed.map((e) => e.conn)).size).toBe(2);
  });
});

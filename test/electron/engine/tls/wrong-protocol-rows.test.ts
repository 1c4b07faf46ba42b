import { connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { OpenedEvent } from '../../../../shared/capture/events';
import { connectionName } from '../../../../shared/capture/connection-name';
import { Harness } from '../engine-harness';

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

const failed = (h: Harness) => h.of('opened').filter((e): e is OpenedEvent => !e.ok);

describe('a charger speaking the wrong protocol is recorded, not lost', () => {
  it('plain ws:// to a wss:// endpoint: one failed row at TLS', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ securityProfile: 2, tls: { generateCertificate: true } });
    const plain = new WebSocket(url.replace('wss://', 'ws://') + 'CP-PLAIN', ['ocpp1.6']);
    cleanups.push(async () => plain.terminate());
    await new Promise<void>((resolve) => {
      plain.on('error', () => resolve());
      plain.on('close', () => resolve());
    });
    await h.waitFor((e) => e.kind === 'opened' && !e.ok, 5000, 'failed row');
    expect(failed(h).map((e) => e.handshake.failure?.stage)).toEqual(['tls']);
  });

  it('wss:// (TLS) to a plain ws:// endpoint: one failed row, named by the SNI host', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen();
    const port = Number(new URL(url).port);
    await new Promise<void>((resolve) => {
      const s = tlsConnect({
        host: '127.0.0.1',
        port,
        servername: 'csms.example',
        rejectUnauthorized: false,
      });
      s.on('error', () => resolve());
      s.on('close', () => resolve());
    });
    await h.waitFor((e) => e.kind === 'opened' && !e.ok, 5000, 'failed row');
    const rows = failed(h);
    expect(rows).toHaveLength(1);
    const [row] = rows as [OpenedEvent];
    expect(row.handshake.failure).toMatchObject({ stage: 'tls', code: 'tls-to-plain-endpoint' });
    expect(row.handshake.tls?.servername).toBe('csms.example');
    expect(connectionName(row.connection)).toBe('(no identity) csms.example');
  });
});

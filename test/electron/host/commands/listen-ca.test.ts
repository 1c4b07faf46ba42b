import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { runListen } from '../../../../electron/host/commands/listen';
import { lineIo } from '../../../support/line-io';
import { testTempDir } from '../../../support/temp-dirs';

/** Runs `listen --profile 2` once: the fingerprint it printed and the one of the CA the server really presents. */
async function oneRun(
  dataDir: string,
  extra: string[] = [],
): Promise<{ printed: string; served: string; out: string[] }> {
  const t = lineIo();
  const done = runListen(
    ['--host', '127.0.0.1', '--port', '0', '--profile', '2', '--data-dir', dataDir, ...extra],
    t.io,
  );
  await t.until((l) => l.some((x) => x.startsWith('Times are')));
  const printed = /CA SHA-256 fingerprint: (\S+)/.exec(t.out.join('\n'))?.[1] ?? '';
  const port = Number(/wss:\/\/127\.0\.0\.1:(\d+)\//.exec(t.out[0]!)?.[1]);
  const served = await new Promise<string>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const chain = s.getPeerX509Certificate();
      const issuer = chain?.issuerCertificate;
      s.destroy();
      resolve(issuer?.fingerprint256 ?? '');
    });
    s.on('error', reject);
  });
  t.stop();
  expect(await done).toBe(0);
  return { printed, served, out: t.out };
}

describe('listen --profile 2: the local CA is kept', () => {
  it('prints the same SHA-256 fingerprint on two runs, the one the server presents; --regenerate-ca replaces it', async () => {
    const dataDir = testTempDir('listen-ca');
    const first = await oneRun(dataDir);
    expect(first.printed).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(first.served).toBe(first.printed);
    expect(first.out.some((l) => l.includes('A new local CA was made'))).toBe(true);
    const second = await oneRun(dataDir);
    expect(second.printed).toBe(first.printed);
    expect(second.out.some((l) => l.includes('The local CA kept in'))).toBe(true);
    expect(second.out[0]).toMatch(/^Listening on wss:\/\//);
    const fresh = await oneRun(dataDir, ['--regenerate-ca']);
    expect(fresh.printed).not.toBe(first.printed);
    expect(fresh.out.some((l) => l.includes('regenerate was asked for'))).toBe(true);
  }, 60_000);
});

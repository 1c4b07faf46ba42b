import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caFingerprint, issueCertificate, localCa } from '../../../../electron/engine/tls/certificates';
import { testTempDir } from '../../../support/temp-dirs';

const dir = (): string => testTempDir('scope-ca');
const posix = process.platform !== 'win32';

describe('localCa: the CA kept in the data folder', () => {
  it('is made once, with an owner-only key, and the same CA comes back on the next run', async () => {
    const d = dir();
    const first = await localCa(d, { keyKind: 'ec' });
    expect(first.created).toBe(true);
    expect(first.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(first.fingerprint).toBe(new X509Certificate(readFileSync(first.certFile)).fingerprint256);
    if (posix) expect(statSync(first.keyFile).mode & 0o777).toBe(0o600);
    const second = await localCa(d, { keyKind: 'ec' });
    expect(second.created).toBe(false);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.keyPem).toBe(first.keyPem);
    // What it signs chains to the kept CA: a charger that installed it keeps trusting the endpoint.
    const leaf = await issueCertificate(second, { commonName: 'localhost', kind: 'server', keyKind: 'ec' });
    expect(new X509Certificate(leaf.certPem).verify(new X509Certificate(first.certPem).publicKey)).toBe(true);
  });

  it('regenerate is explicit: a new fingerprint, the old pair kept beside it', async () => {
    const d = dir();
    const first = await localCa(d, { keyKind: 'ec' });
    const fresh = await localCa(d, { keyKind: 'ec', regenerate: true });
    expect(fresh.created).toBe(true);
    expect(fresh.fingerprint).not.toBe(first.fingerprint);
    expect(caFingerprint(readFileSync(`${fresh.certFile}.old`, 'utf8'))).toBe(first.fingerprint);
    expect((await localCa(d, { keyKind: 'ec' })).fingerprint).toBe(fresh.fingerprint);
  });

  it('a key that is not the certificate’s is replaced with a new CA, and says why', async () => {
    const d = dir();
    const first = await localCa(d, { keyKind: 'ec' });
    const other = await localCa(dir(), { keyKind: 'ec' });
    writeFileSync(first.keyFile, other.keyPem);
    const again = await localCa(d, { keyKind: 'ec' });
    expect(again.created).toBe(true);
    expect(again.replacedBecause).toMatch(/does not belong/);
    writeFileSync(again.certFile, 'not a certificate');
    expect((await localCa(d, { keyKind: 'ec' })).replacedBecause).toMatch(/not a PEM certificate/);
  });

  it('a key file that lost its mode is put back to owner-only', async () => {
    const d = dir();
    const first = await localCa(d, { keyKind: 'ec' });
    chmodSync(first.keyFile, 0o644);
    await localCa(d, { keyKind: 'ec' });
    expect(statSync(first.keyFile).mode & 0o777).toBe(0o600);
  });
});

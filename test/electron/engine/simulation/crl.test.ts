import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadCrlFile, readCrl } from '../../../../electron/engine/simulation/crl';
import { opensslCrl } from '../../../support/openssl-crl';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

describe('CRL reading', () => {
  it("reads openssl's CRL as DER and as PEM: the revoked serials (not the valid one) and its dates", async () => {
    const crl = await opensslCrl(['0A1B', '00FF', 'DEADBEEF01']);
    cleanups.push(crl.cleanup);
    const der = readCrl(crl.der);
    expect(der.ok).toBe(true);
    if (!der.ok) return;
    expect([...der.serials].sort()).toEqual(['a1b', 'deadbeef01', 'ff']);
    expect(Date.parse(der.nextUpdate!) - Date.parse(der.thisUpdate)).toBe(30 * 86_400_000);
    expect(readCrl(new TextEncoder().encode(crl.pem))).toEqual(der);
    // Two PEM blocks: their serials together.
    const other = await opensslCrl(['77']);
    cleanups.push(other.cleanup);
    const both = readCrl(new TextEncoder().encode(`${crl.pem}\n${other.pem}`));
    expect(both.ok && [...both.serials].sort()).toEqual(['77', 'a1b', 'deadbeef01', 'ff']);
    expect(await loadCrlFile(crl.derPath)).toEqual(der);
    // A CRL revoking nothing has no serials.
    const none = await opensslCrl([]);
    cleanups.push(none.cleanup);
    expect(readCrl(none.der)).toMatchObject({ ok: true, serials: [] });
  });

  it('tells why a file is no CRL, never throwing', async () => {
    const crl = await opensslCrl(['0A']);
    cleanups.push(crl.cleanup);
    const reason = (b: Uint8Array): string => {
      const r = readCrl(b);
      return r.ok ? 'read' : r.reason;
    };
    expect(reason(new Uint8Array())).toBe('the file is empty');
    expect(reason(crl.der.subarray(0, crl.der.length - 5))).toMatch(
      /^not a DER CertificateList \(End of input reached/,
    );
    expect(reason(new Uint8Array([0x30, 0x80, 0, 0]))).toMatch(/^not a DER CertificateList \(.*length/);
    expect(reason(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toMatch(
      /^not a DER CertificateList \(Data does not match to CertificateList/,
    );
    expect(reason(new TextEncoder().encode('hello'))).toContain('neither DER nor PEM');
    const caPem = new Uint8Array(await readFile(crl.caPath));
    expect(reason(caPem)).toBe('a PEM file without an X509 CRL block (it holds CERTIFICATE)');
    expect(reason(new TextEncoder().encode('-----BEGIN X509 CRL-----\n!!!\n-----END X509 CRL-----'))).toBe(
      'X509 CRL block 1 is not base64',
    );
    // Every prefix of a real CRL is refused with a reason.
    for (let n = 1; n < crl.der.length; n += 7) expect(reason(crl.der.subarray(0, n))).not.toBe('read');
    // Damaged bytes anywhere (lengths, tags, contents) give a result, never an exception.
    for (let at = 0; at < crl.der.length; at += 3)
      for (const v of [0x00, 0x80, 0xff]) {
        const bad = new Uint8Array(crl.der);
        bad[at] = v;
        expect(typeof readCrl(bad).ok).toBe('boolean');
      }
    expect(await loadCrlFile(`${crl.dir}/missing.crl`)).toEqual({
      ok: false,
      reason: `cannot read ${crl.dir}/missing.crl (ENOENT)`,
    });
    expect(await loadCrlFile(crl.dir)).toEqual({ ok: false, reason: `${crl.dir} is not a file` });
    expect(await loadCrlFile(crl.caPath)).toMatchObject({
      reason: `${crl.caPath} is no CRL: a PEM file without an X509 CRL block (it holds CERTIFICATE)`,
    });
  });
});

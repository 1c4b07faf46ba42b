import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import * as x509 from '@peculiar/x509';
import { describe, expect, it, vi } from 'vitest';
import { parseCrl, readCrl } from '../../../../electron/engine/simulation/crl';
import { loadParsedCrl } from '../../../../electron/engine/simulation/crl-file';
import { revokedIn, serialKey } from '../../../../electron/engine/simulation/certificate-store';
import { crlNotes, loadCrlFileWithNotes } from '../../../../electron/engine/simulation/crl-checks';
import { opensslCrl } from '../../../support/openssl-crl';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

describe('CRL reading', () => {
  it("reads openssl's CRL as DER and as PEM: the revoked serials (not the valid one)", async () => {
    const crl = await opensslCrl(['0A1B', '00FF', 'DEADBEEF01']);
    cleanups.push(crl.cleanup);
    const der = readCrl(crl.der);
    expect(der.ok).toBe(true);
    if (!der.ok) return;
    expect([...der.serials].sort()).toEqual(['a1b', 'deadbeef01', 'ff']);
    expect(readCrl(new TextEncoder().encode(crl.pem))).toEqual(der);
    // Two PEM blocks: their serials together.
    const other = await opensslCrl(['77']);
    cleanups.push(other.cleanup);
    const both = readCrl(new TextEncoder().encode(`${crl.pem}\n${other.pem}`));
    expect(both.ok && [...both.serials].sort()).toEqual(['77', 'a1b', 'deadbeef01', 'ff']);
    expect((await loadParsedCrl(crl.derPath)).result).toEqual(der);
    // A CRL revoking nothing has no serials.
    const none = await opensslCrl([]);
    cleanups.push(none.cleanup);
    expect(readCrl(none.der)).toMatchObject({ ok: true, serials: [] });
  });

  it('reads a PEM bundle once: the lists, the certificates beside them, and serials as the certificate store keys them', async () => {
    const signer = await opensslCrl([]);
    cleanups.push(signer.cleanup);
    const caSerial = new x509.X509Certificate(signer.caPem).serialNumber;
    // The CA's own serial, written with a leading zero byte and in upper case, revoked by another CA's list.
    const crl = await opensslCrl([`00${caSerial.toUpperCase()}`]);
    cleanups.push(crl.cleanup);
    const parsed = parseCrl(new TextEncoder().encode(`${crl.pem}\n${crl.caPem}\n${signer.caPem}`));
    expect(parsed.result).toEqual(readCrl(crl.der));
    expect(parsed.crls.map((c) => c.issuer)).toEqual(['CN=Test CRL CA']);
    expect(parsed.certificates.map((c) => c.serialNumber)).toEqual([
      new x509.X509Certificate(crl.caPem).serialNumber,
      caSerial,
    ]);
    expect(parsed.result.ok && parsed.result.serials).toEqual([serialKey(caSerial)]);
    expect(revokedIn(signer.caPem, parsed.result.ok ? parsed.result.serials : [])).toBe(serialKey(caSerial));
    expect(parseCrl(new Uint8Array())).toEqual({
      result: { ok: false, reason: 'the file is empty' },
      crls: [],
      certificates: [],
    });
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
    expect(reason(new TextEncoder().encode(crl.pem.slice(0, -30)))).toBe(
      'a PEM block without its -----END ...----- line (is the file cut short?)',
    );
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
    expect((await loadParsedCrl(`${crl.dir}/missing.crl`)).result).toEqual({
      ok: false,
      reason: `cannot read ${crl.dir}/missing.crl (ENOENT)`,
    });
    expect((await loadParsedCrl(crl.dir)).result).toEqual({ ok: false, reason: `${crl.dir} is not a file` });
    expect((await loadParsedCrl(crl.caPath)).result).toMatchObject({
      reason: `${crl.caPath} is no CRL: a PEM file without an X509 CRL block (it holds CERTIFICATE)`,
    });
  });
});

describe('CRL checks (signature against a known CA, dates)', () => {
  const crlOf = (pem: string): x509.X509Crl[] => parseCrl(new TextEncoder().encode(pem)).crls;

  it("verifies openssl's CRL against its CA; another key under the same name, or no CA, is told", async () => {
    const crl = await opensslCrl(['0A1B']);
    const other = await opensslCrl([]);
    cleanups.push(crl.cleanup, other.cleanup);
    const ca = new x509.X509Certificate(crl.caPem);
    const impostor = new x509.X509Certificate(other.caPem);
    const now = new Date();
    expect(await crlNotes(crlOf(crl.pem), [ca], now)).toEqual([]);
    // Either order: one CA of that name verifying it is enough.
    expect(await crlNotes(crlOf(crl.pem), [impostor, ca], now)).toEqual([]);
    expect(await crlNotes(crlOf(crl.pem), [impostor], now)).toEqual([
      `the CRL (issuer "CN=Test CRL CA"): its signature does not verify against the key of the CA certificate with that subject (serial ${impostor.serialNumber.toLowerCase()})`,
    ]);
    expect((await crlNotes(crlOf(crl.pem), [], now))[0]).toMatch(
      /^the CRL \(issuer "CN=Test CRL CA"\): signature not checked, no known CA certificate has that subject/,
    );
  });

  it('checks the signature of one list against one CA once (a list kept parsed is checked again as the user types)', async () => {
    const crl = await opensslCrl(['0A1B']);
    const other = await opensslCrl([]);
    cleanups.push(crl.cleanup, other.cleanup);
    const verify = vi.spyOn(x509.X509Crl.prototype, 'verify');
    cleanups.push(async () => verify.mockRestore());
    const lists = crlOf(crl.pem);
    const ca = new x509.X509Certificate(crl.caPem);
    const impostor = new x509.X509Certificate(other.caPem);
    const now = new Date();
    expect(await crlNotes(lists, [ca], now)).toEqual([]);
    expect(await crlNotes(lists, [ca], now)).toEqual([]);
    expect(verify).toHaveBeenCalledTimes(1);
    // The same CA read again from its file (another object) is the same CA; another key is checked.
    expect(await crlNotes(lists, [new x509.X509Certificate(crl.caPem)], now)).toEqual([]);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(await crlNotes(lists, [impostor], now)).toEqual([expect.stringContaining('does not verify')]);
    expect(await crlNotes(lists, [impostor], now)).toEqual([expect.stringContaining('does not verify')]);
    expect(verify).toHaveBeenCalledTimes(2);
    // A list parsed anew is checked anew.
    expect(await crlNotes(crlOf(crl.pem), [ca], now)).toEqual([]);
    expect(verify).toHaveBeenCalledTimes(3);
  });

  it('notes a list whose nextUpdate has passed or whose thisUpdate is in the future', async () => {
    const old = await opensslCrl(['01'], { lastUpdate: '20200101000000Z', nextUpdate: '20200201000000Z' });
    const early = await opensslCrl(['01'], { lastUpdate: '20990101000000Z', nextUpdate: '20990201000000Z' });
    cleanups.push(old.cleanup, early.cleanup);
    const now = new Date();
    expect(await crlNotes(crlOf(old.pem), [new x509.X509Certificate(old.caPem)], now)).toEqual([
      'the CRL (issuer "CN=Test CRL CA") is out of date: its nextUpdate 2020-02-01T00:00:00Z has passed',
    ]);
    expect(await crlNotes(crlOf(early.pem), [new x509.X509Certificate(early.caPem)], now)).toEqual([
      'the CRL (issuer "CN=Test CRL CA") is not valid yet: its thisUpdate 2099-01-01T00:00:00Z is in the future',
    ]);
  });

  it('loads a file with its notes: the CA bundled in the PEM file or given as a CA file counts; the list is still used', async () => {
    const crl = await opensslCrl(['0A1B']);
    const other = await opensslCrl([]);
    cleanups.push(crl.cleanup, other.cleanup);
    const bundled = `${crl.dir}/bundle.pem`;
    await writeFile(bundled, `${crl.pem}\n${crl.caPem}`);
    expect(await loadCrlFileWithNotes(bundled)).toMatchObject({ ok: true, serials: ['a1b'], notes: [] });
    expect(await loadCrlFileWithNotes(crl.derPath, [crl.caPath])).toMatchObject({ ok: true, notes: [] });
    const wrong = await loadCrlFileWithNotes(crl.derPath, [other.caPath]);
    expect(wrong).toMatchObject({ ok: true, serials: ['a1b'] });
    expect(wrong.ok && wrong.notes).toEqual([expect.stringContaining('its signature does not verify')]);
    const missing = await loadCrlFileWithNotes(crl.pemPath, [`${crl.dir}/missing.pem`]);
    expect(missing.ok && missing.notes).toEqual([
      `CA file ${crl.dir}/missing.pem gives no certificate to check the CRL with (ENOENT)`,
      expect.stringContaining('signature not checked'),
    ]);
    // A file that is no CRL is still refused with its reason, and has no notes.
    expect(await loadCrlFileWithNotes(crl.caPath)).toEqual({
      ok: false,
      reason: `${crl.caPath} is no CRL: a PEM file without an X509 CRL block (it holds CERTIFICATE)`,
    });
  });
});

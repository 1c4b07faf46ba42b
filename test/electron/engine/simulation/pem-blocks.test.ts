import { describe, expect, it } from 'vitest';
import { certificateBlocks, pemBlocks } from '../../../../electron/engine/simulation/pem-blocks';
import { parseCrl } from '../../../../electron/engine/simulation/crl';

describe('PEM blocks', () => {
  it('reads each block with its label and body, skipping text around and a malformed BEGIN line', () => {
    const text =
      'junk\n-----BEGIN X509 CRL-----\nQUJD\n-----END X509 CRL-----\n' +
      '-----BEGIN lower case-----\n' +
      '-----BEGIN CERTIFICATE-----\nREVG\n-----END CERTIFICATE-----\ntrailer';
    expect(pemBlocks(text).map((b) => [b.label, b.body.trim()])).toEqual([
      ['X509 CRL', 'QUJD'],
      ['CERTIFICATE', 'REVG'],
    ]);
    expect(certificateBlocks(text)).toEqual(['-----BEGIN CERTIFICATE-----\nREVG\n-----END CERTIFICATE-----']);
  });

  it('stops at a block whose END line is missing; an END of another label does not close it', () => {
    expect(pemBlocks('-----BEGIN X509 CRL-----\nQUJD\n-----END CERTIFICATE-----\n')).toEqual([]);
    const cut =
      '-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nQU';
    expect(certificateBlocks(cut)).toHaveLength(1);
  });

  it('a damaged 8 MB bundle of BEGIN lines without their END is told as cut short at once, not after a scan per line', () => {
    // A backtracking pattern took 14 s for 1 MB of these (time growing with the square of the size): this file would
    // not finish within the test's timeout.
    const text = '-----BEGIN X509 CRL-----\nQUJDRA==\n'.repeat(250_000);
    expect(pemBlocks(text)).toEqual([]);
    const r = parseCrl(Buffer.from(text, 'latin1')).result;
    expect(r.ok ? '' : r.reason).toContain('cut short');
  });
});

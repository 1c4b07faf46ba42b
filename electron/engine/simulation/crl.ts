import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { serialKey } from './certificate-store';
import { pemBlocks } from './pem-blocks';

/**
 * Certificate revocation lists (RFC 5280 section 5) as a user gives them to a simulated charger: a DER file, or PEM
 * with one or more `X509 CRL` blocks. Only what revocation needs is kept (the revoked serial numbers; the lists'
 * dates and signatures are read from ParsedCrl's objects by crl-checks.ts, for the user's notes); a list is the user's own statement, like the `revokedCertificates` setting, so it is
 * used even when its signature or dates are wrong (crl-checks.ts notes those). Reading is pure and never throws: a
 * bad file gets the precise reason.
 */
export interface CrlContents {
  /** Revoked serial numbers, hex lower case without leading zeros (as certificate-store compares them). */
  serials: string[];
}

export type CrlResult = ({ ok: true } & CrlContents) | { ok: false; reason: string };

/** A CRL file bigger than this is refused rather than read (a large CA's lists are a few MB). */
export const MAX_CRL_BYTES = 64 * 1024 * 1024;

const SEQUENCE = 0x30;

/**
 * A CRL file read once: what revocation needs (`result`), and, when it is a CRL, its lists as @peculiar/x509 objects
 * (for their signature and dates) and the certificates a PEM file bundles beside them (a CA often ships its CRL with
 * its own certificate; blocks of those that do not parse are left out).
 */
export interface ParsedCrl {
  result: CrlResult;
  crls: x509.X509Crl[];
  certificates: x509.X509Certificate[];
}

/** A file that is no CRL (or cannot be read), and why. */
export const refused = (reason: string): ParsedCrl => ({
  result: { ok: false, reason },
  crls: [],
  certificates: [],
});

/**
 * One DER-encoded CertificateList, read by @peculiar/x509 (the library the certificate store reads certificates
 * with): its error, if it throws, is the reason given. Bytes after the list are ignored, as the library does.
 */
function readCrlDer(b: Uint8Array): x509.X509Crl | { reason: string } {
  try {
    return new x509.X509Crl(new Uint8Array(b));
  } catch (e) {
    return { reason: `not a DER CertificateList (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** What revocation needs of the lists: the serials of all of them. */
function contentsOf(crls: readonly x509.X509Crl[]): CrlResult {
  const serials = new Set<string>();
  for (const crl of crls) for (const e of crl.entries) serials.add(serialKey(e.serialNumber));
  return { ok: true, serials: [...serials] };
}

/** A CRL file's contents: DER, or PEM with `X509 CRL` blocks (their serials together). */
export function parseCrl(bytes: Uint8Array): ParsedCrl {
  if (bytes.length === 0) return refused('the file is empty');
  if (bytes[0] === SEQUENCE) {
    const crl = readCrlDer(bytes);
    if (!(crl instanceof x509.X509Crl)) return refused(crl.reason);
    return { result: contentsOf([crl]), crls: [crl], certificates: [] };
  }
  const text = Buffer.from(bytes.subarray(0, Math.min(bytes.length, MAX_CRL_BYTES))).toString('latin1');
  const blocks = pemBlocks(text);
  if (blocks.length === 0)
    return refused(
      text.includes('-----BEGIN ')
        ? 'a PEM block without its -----END ...----- line (is the file cut short?)'
        : 'neither DER nor PEM (no -----BEGIN X509 CRL----- block)',
    );
  const crlBlocks = blocks.filter((b) => b.label === 'X509 CRL');
  if (crlBlocks.length === 0)
    return refused(`a PEM file without an X509 CRL block (it holds ${blocks[0]!.label})`);
  const crls: x509.X509Crl[] = [];
  for (const [n, block] of crlBlocks.entries()) {
    const body = block.body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return refused(`X509 CRL block ${n + 1} is not base64`);
    const crl = readCrlDer(Buffer.from(body, 'base64'));
    if (!(crl instanceof x509.X509Crl))
      return refused(crlBlocks.length > 1 ? `X509 CRL block ${n + 1}: ${crl.reason}` : crl.reason);
    crls.push(crl);
  }
  const certificates: x509.X509Certificate[] = [];
  for (const m of blocks) {
    if (m.label !== 'CERTIFICATE') continue;
    try {
      certificates.push(
        new x509.X509Certificate(new Uint8Array(Buffer.from(m.body.replace(/\s+/g, ''), 'base64'))),
      );
    } catch {
      // Not a certificate: it cannot be a CA to check the list with.
    }
  }
  return { result: contentsOf(crls), crls, certificates };
}

/** parseCrl's verdict alone: the serials, or the reason the file is no CRL. */
export function readCrl(bytes: Uint8Array): CrlResult {
  return parseCrl(bytes).result;
}

import 'reflect-metadata';
import { readFile, stat } from 'node:fs/promises';
import * as x509 from '@peculiar/x509';

/**
 * Certificate revocation lists (RFC 5280 section 5) as a user gives them to a simulated charger: a DER file, or PEM
 * with one or more `X509 CRL` blocks. Only what revocation needs is read (the revoked serial numbers, and the list's
 * dates for the user's note); a list is the user's own statement, like the `revokedCertificates` setting, so it is
 * used even when its signature or dates are wrong (crl-checks.ts notes those). Reading is pure and never throws: a
 * bad file gets the precise reason.
 */
export interface CrlContents {
  /** Revoked serial numbers, hex lower case without leading zeros (as certificate-store compares them). */
  serials: string[];
  thisUpdate: string;
  nextUpdate?: string;
}

export type CrlResult = ({ ok: true } & CrlContents) | { ok: false; reason: string };

/** A CRL file bigger than this is refused rather than read (a large CA's lists are a few MB). */
export const MAX_CRL_BYTES = 64 * 1024 * 1024;

const SEQUENCE = 0x30;

/** Serial numbers as certificate-store compares them: hex, lower case, without leading zeros. */
function normalSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

/**
 * The contents of one DER-encoded CertificateList, read by @peculiar/x509 (the library the certificate store reads
 * certificates with): its error, if it throws, is the reason given. Bytes after the list are ignored, as the
 * library does.
 */
export function readCrlDer(b: Uint8Array): CrlResult {
  let crl: x509.X509Crl;
  try {
    crl = new x509.X509Crl(new Uint8Array(b));
  } catch (e) {
    return { ok: false, reason: `not a DER CertificateList (${e instanceof Error ? e.message : String(e)})` };
  }
  const serials = crl.entries.map((e) => normalSerial(e.serialNumber));
  const nextUpdate = crl.nextUpdate;
  return {
    ok: true,
    serials,
    thisUpdate: crl.thisUpdate.toISOString().replace('.000Z', 'Z'),
    ...(nextUpdate ? { nextUpdate: nextUpdate.toISOString().replace('.000Z', 'Z') } : {}),
  };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** A CRL file's contents: DER, or PEM with `X509 CRL` blocks (their serials together). */
export function readCrl(bytes: Uint8Array): CrlResult {
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty' };
  if (bytes[0] === SEQUENCE) return readCrlDer(bytes);
  const text = Buffer.from(bytes.subarray(0, Math.min(bytes.length, MAX_CRL_BYTES))).toString('latin1');
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0)
    return {
      ok: false,
      reason: text.includes('-----BEGIN ')
        ? 'a PEM block without its -----END ...----- line (is the file cut short?)'
        : 'neither DER nor PEM (no -----BEGIN X509 CRL----- block)',
    };
  const crls = blocks.filter((m) => m[1] === 'X509 CRL');
  if (crls.length === 0)
    return { ok: false, reason: `a PEM file without an X509 CRL block (it holds ${blocks[0]![1]})` };
  const serials = new Set<string>();
  let first: CrlResult | undefined;
  for (let n = 0; n < crls.length; n++) {
    const body = crls[n]![2]!.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body))
      return { ok: false, reason: `X509 CRL block ${n + 1} is not base64` };
    const r = readCrlDer(Buffer.from(body, 'base64'));
    if (!r.ok)
      return { ok: false, reason: crls.length > 1 ? `X509 CRL block ${n + 1}: ${r.reason}` : r.reason };
    r.serials.forEach((s) => serials.add(s));
    first ??= r;
  }
  return { ...(first as { ok: true } & CrlContents), serials: [...serials] };
}

/**
 * The lists of a file readCrl accepted, as @peculiar/x509 objects (for their signature and dates), and the
 * certificates a PEM file bundles beside them (a CA often ships its CRL with its own certificate). Blocks that do not
 * parse are left out: readCrl is the one that tells why a file is no CRL.
 */
export function crlObjects(bytes: Uint8Array): {
  crls: x509.X509Crl[];
  certificates: x509.X509Certificate[];
} {
  const parse = <T>(make: () => T): T[] => {
    try {
      return [make()];
    } catch {
      return [];
    }
  };
  if (bytes[0] === SEQUENCE)
    return { crls: parse(() => new x509.X509Crl(new Uint8Array(bytes))), certificates: [] };
  const text = Buffer.from(bytes.subarray(0, Math.min(bytes.length, MAX_CRL_BYTES))).toString('latin1');
  const crls: x509.X509Crl[] = [];
  const certificates: x509.X509Certificate[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const der = Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64');
    if (m[1] === 'X509 CRL') crls.push(...parse(() => new x509.X509Crl(new Uint8Array(der))));
    if (m[1] === 'CERTIFICATE')
      certificates.push(...parse(() => new x509.X509Certificate(new Uint8Array(der))));
  }
  return { crls, certificates };
}

/** Reads a CRL file from disk: its serials, or a sentence saying why not (never throws). */
export async function loadCrlFile(path: string): Promise<CrlResult> {
  return (await loadCrlFileBytes(path)).crl;
}

/** loadCrlFile, with the bytes it read (for crl-checks.ts) when the file is a CRL. */
export async function loadCrlFileBytes(path: string): Promise<{ crl: CrlResult; bytes?: Uint8Array }> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return { crl: { ok: false, reason: `${path} is not a file` } };
    if (info.size > MAX_CRL_BYTES)
      return {
        crl: { ok: false, reason: `${path} is ${info.size} bytes, more than the ${MAX_CRL_BYTES} read` },
      };
    const bytes = new Uint8Array(await readFile(path));
    const r = readCrl(bytes);
    return r.ok ? { crl: r, bytes } : { crl: { ok: false, reason: `${path} is no CRL: ${r.reason}` } };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { crl: { ok: false, reason: `cannot read ${path}${code ? ` (${code})` : ''}` } };
  }
}

import { readFile } from 'node:fs/promises';
import { localCaCertFile } from '../tls/certificates';

/** OpenSSL / Node verification codes that mean "this server's certificate is not one we trust". */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A file transfer refused because the server's certificate failed verification (status: a certificate failure). */
export class CertificateTrustError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'CertificateTrustError';
  }
}

/** The CertificateTrustError `error` stands for, or undefined when it is no certificate problem. */
export function certificateTrustError(error: unknown, url: URL): CertificateTrustError | undefined {
  if (error instanceof CertificateTrustError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !UNTRUSTED.has(code)) return undefined;
  const host = url.host;
  const why =
    code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? `its certificate is not valid for ${url.hostname}`
      : code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID'
        ? `its certificate is outside its validity period (${code})`
        : `its certificate is not issued by a trusted CA (${code})`;
  return new CertificateTrustError(
    `${url.protocol}//${host} was refused: ${why}. The station trusts the system's CAs and the tool's local CA.`,
    code,
  );
}

/**
 * The extra CAs a simulated station trusts for file transfers: the tool's kept local CA of `dataDir` (which issues
 * the file server's HTTPS and FTPS certificates) when there is one, and CA files given on the command line. Read at
 * each transfer, so a CA made or regenerated after the station started is trusted too; unreadable files are skipped.
 */
export function keptCaTrust(dataDir: string | undefined, files: string[] = []): () => Promise<string[]> {
  const paths = [...(dataDir ? [localCaCertFile(dataDir)] : []), ...files];
  return async () => {
    const out: string[] = [];
    for (const p of paths) {
      try {
        out.push(await readFile(p, 'utf8'));
      } catch {
        // No local CA yet (nothing served over TLS from this data folder): the system's CAs still apply.
      }
    }
    return out;
  };
}

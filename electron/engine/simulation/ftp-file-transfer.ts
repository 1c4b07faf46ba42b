import { Readable, Writable } from 'node:stream';
import { Client } from 'basic-ftp';
import { certificateTrustError } from './transfer-trust';

const TIMEOUT_MS = 30_000;
/** The most a download may bring (as the HTTP client). */
const MAX_DOWNLOAD = 256 * 1024 * 1024;

/**
 * FTP transfers of a simulated station (basic-ftp, passive mode): `ftp://user:password@host:port/path`. An upload
 * to a folder URL (ending in `/`) stores `<name>` there, as chargers do with GetDiagnostics locations. ftps:// is
 * explicit TLS (AUTH TLS); the server's certificate is checked against `ca` (the system's CAs and the local CA).
 */
export async function ftpTransfer(
  u: URL,
  job: { kind: 'upload'; name: string; bytes: Uint8Array } | { kind: 'download' },
  ca: string[],
): Promise<Uint8Array | undefined> {
  const client = new Client(TIMEOUT_MS);
  try {
    const host = u.hostname.replace(/^\[|\]$/g, '');
    await client
      .access({
        host,
        port: Number(u.port || 21),
        user: decodeURIComponent(u.username) || 'anonymous',
        password: decodeURIComponent(u.password),
        secure: u.protocol === 'ftps:',
        ...(ca.length > 0 ? { secureOptions: { ca } } : {}),
      })
      .catch((error: unknown) => {
        throw certificateTrustError(error, u) ?? error;
      });
    const path = decodeURIComponent(u.pathname);
    if (job.kind === 'upload') {
      const target = path.endsWith('/') ? `${path}${job.name}` : path;
      await client.uploadFrom(Readable.from([Buffer.from(job.bytes)]), target);
      return undefined;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, callback) {
        size += chunk.length;
        if (size > MAX_DOWNLOAD) return callback(new Error(`the file is larger than ${MAX_DOWNLOAD} bytes`));
        chunks.push(chunk);
        callback();
      },
    });
    await client.downloadTo(sink, path);
    return new Uint8Array(Buffer.concat(chunks));
  } finally {
    client.close();
  }
}

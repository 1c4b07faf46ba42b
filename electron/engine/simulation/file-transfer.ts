import { request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { ftpTransfer } from './ftp-file-transfer';
import { certificateTrustError } from './transfer-trust';

/**
 * How a simulated station moves files for GetDiagnostics / GetLog (upload) and UpdateFirmware (download): http://
 * and https:// here, ftp:// and ftps:// in ftp-file-transfer.ts. TLS servers are verified against the system's CAs
 * plus the CAs the station was given (the tool's kept local CA, which issues the file server's certificates); a
 * server that fails the check is refused with a CertificateTrustError naming why.
 */
export interface FileTransferClient {
  upload(url: string, name: string, bytes: Uint8Array): Promise<void>;
  download(url: string): Promise<Uint8Array>;
}

export interface FileTransferOptions {
  /** Extra trusted CA certificates (PEM), read when a TLS transfer starts (the local CA may be made later). */
  trust?: () => Promise<string[]>;
}

/** The most a download may bring (a firmware image is not kept; only its size matters here). */
const MAX_DOWNLOAD = 256 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

function parse(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(
      `${u.protocol}// is not supported by this station's file client (http, https, ftp and ftps are)`,
    );
  return u;
}

/** ftp:// and ftps:// URLs go to the FTP client; everything else to HTTP. */
function ftpUrl(url: string): URL | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'ftp:' || u.protocol === 'ftps:' ? u : undefined;
  } catch {
    return undefined;
  }
}

function authOf(u: URL): string | undefined {
  if (!u.username) return undefined;
  return `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
}

function statusError(res: IncomingMessage): Error {
  return new Error(`the server answered ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trimEnd());
}

export class HttpFileTransferClient implements FileTransferClient {
  constructor(private readonly options: FileTransferOptions = {}) {}

  /** The system's CAs and the extra ones: a file server with a public certificate works as well as the local one. */
  private async cas(): Promise<string[]> {
    const extra = (await this.options.trust?.().catch(() => [])) ?? [];
    return extra.length > 0 ? [...rootCertificates, ...extra] : [...rootCertificates];
  }

  private async request(
    u: URL,
    options: RequestOptions,
    onResponse: (res: IncomingMessage, req: ClientRequest) => void,
    reject: (e: Error) => void,
  ): Promise<ClientRequest> {
    const auth = authOf(u);
    const common: RequestOptions = { ...options, timeout: TIMEOUT_MS, ...(auth ? { auth } : {}) };
    const secure = u.protocol === 'https:';
    const req = secure
      ? httpsRequest(u, { ...common, ca: await this.cas() }, (res) => onResponse(res, req))
      : httpRequest(u, common, (res) => onResponse(res, req));
    req.once('timeout', () => req.destroy(new Error('the server did not answer in time')));
    req.once('error', (e) => reject(certificateTrustError(e, u) ?? e));
    return req;
  }

  /**
   * PUTs the file to the location itself when it names a file, or to `<location>/<name>` when it ends with `/`
   * (how chargers in the field treat a directory URL).
   */
  async upload(url: string, name: string, bytes: Uint8Array): Promise<void> {
    const ftp = ftpUrl(url);
    if (ftp) {
      await ftpTransfer(
        ftp,
        { kind: 'upload', name, bytes },
        ftp.protocol === 'ftps:' ? await this.cas() : [],
      );
      return;
    }
    const u = parse(url);
    if (u.pathname.endsWith('/')) u.pathname += encodeURIComponent(name);
    return new Promise((resolve, reject) => {
      const headers = { 'content-type': 'application/octet-stream', 'content-length': bytes.byteLength };
      void this.request(
        u,
        { method: 'PUT', headers },
        (res) => {
          res.resume();
          res.once('end', () => {
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) resolve();
            else reject(statusError(res));
          });
        },
        reject,
      ).then((req) => req.end(bytes), reject);
    });
  }

  async download(url: string): Promise<Uint8Array> {
    const ftp = ftpUrl(url);
    if (ftp) {
      const got = await ftpTransfer(
        ftp,
        { kind: 'download' },
        ftp.protocol === 'ftps:' ? await this.cas() : [],
      );
      return got ?? new Uint8Array();
    }
    const u = parse(url);
    return new Promise((resolve, reject) => {
      void this.request(
        u,
        { method: 'GET' },
        (res, req) => {
          const code = res.statusCode ?? 0;
          if (code < 200 || code >= 300) {
            res.resume();
            return reject(statusError(res));
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_DOWNLOAD) {
              req.destroy(new Error(`the file is larger than ${MAX_DOWNLOAD} bytes`));
              return;
            }
            chunks.push(c);
          });
          res.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
          res.once('error', reject);
        },
        reject,
      ).then((req) => req.end(), reject);
    });
  }
}

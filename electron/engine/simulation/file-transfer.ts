import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';

/**
 * How a simulated station moves files for GetDiagnostics / GetLog (upload) and UpdateFirmware (download). The plain
 * implementation speaks http:// only; other schemes (ftp://, https://) are answered with a clear failure until a
 * richer client is given to the station.
 */
export interface FileTransferClient {
  upload(url: string, name: string, bytes: Uint8Array): Promise<void>;
  download(url: string): Promise<Uint8Array>;
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
  if (u.protocol !== 'http:')
    throw new Error(`${u.protocol}// is not supported by this station's file client (http:// is)`);
  return u;
}

function authOf(u: URL): string | undefined {
  if (!u.username) return undefined;
  return `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
}

function statusError(res: IncomingMessage): Error {
  return new Error(`the server answered ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trimEnd());
}

export class HttpFileTransferClient implements FileTransferClient {
  /**
   * PUTs the file to the location itself when it names a file, or to `<location>/<name>` when it ends with `/`
   * (how chargers in the field treat a directory URL).
   */
  upload(url: string, name: string, bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      let u: URL;
      try {
        u = parse(url);
      } catch (e) {
        return reject(e as Error);
      }
      if (u.pathname.endsWith('/')) u.pathname += encodeURIComponent(name);
      const auth = authOf(u);
      const req = httpRequest(
        u,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/octet-stream', 'content-length': bytes.byteLength },
          timeout: TIMEOUT_MS,
          ...(auth ? { auth } : {}),
        },
        (res) => {
          res.resume();
          res.once('end', () => {
            const code = res.statusCode ?? 0;
            if (code >= 200 && code < 300) resolve();
            else reject(statusError(res));
          });
        },
      );
      req.once('timeout', () => req.destroy(new Error('the upload timed out')));
      req.once('error', reject);
      req.end(bytes);
    });
  }

  download(url: string): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      let u: URL;
      try {
        u = parse(url);
      } catch (e) {
        return reject(e as Error);
      }
      const auth = authOf(u);
      const req = httpRequest(u, { method: 'GET', timeout: TIMEOUT_MS, ...(auth ? { auth } : {}) }, (res) => {
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
      });
      req.once('timeout', () => req.destroy(new Error('the download timed out')));
      req.once('error', reject);
      req.end();
    });
  }
}

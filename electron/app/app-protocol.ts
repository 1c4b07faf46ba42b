import { readRendererFile } from '../common/renderer-files';
import { securityHeaders } from '../common/csp';

/** The renderer is served from app://renderer/, a standard, secure scheme of our own, never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** The privileges registered before the app is ready (protocol.registerSchemesAsPrivileged). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** The handler for protocol.handle: only GET of files under the renderer root, with the CSP on every answer. */
export function createAppProtocolHandler(rendererRoot: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers = securityHeaders();
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return new Response('Bad request.', { status: 400, headers });
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
      return new Response('Not found.', { status: 404, headers });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed.', { status: 405, headers });
    }
    const answer = await readRendererFile(rendererRoot, url.pathname);
    const body =
      request.method === 'HEAD'
        ? null
        : typeof answer.body === 'string'
          ? answer.body
          : new Uint8Array(answer.body);
    return new Response(body, {
      status: answer.status,
      headers: { ...headers, 'Content-Type': answer.contentType },
    });
  };
}

/** Only our own pages may be in the window. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Links a user may open in the OS browser: http and https only, never file:, javascript:, or custom schemes. */
export function isExternalLink(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

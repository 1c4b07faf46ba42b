import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { securityHeaders } from '../common/csp';
import type { BridgedEngine } from './bridge-server';
import { attachBridge } from './bridge-server';
import { readRendererFile } from '../common/renderer-files';

/**
 * The largest bridge message the serve host accepts (held whole in memory while it is read). Files picked in the
 * browser travel in 1 MiB chunks (beginUpload / uploadChunk / finishUpload), so the biggest call is a frame typed in
 * the composer (16 MiB, which JSON escaping can double) or small content through openContent.
 */
export const SERVE_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * Serve mode: the built renderer and the contract bridge on one loopback port, behind a random token that is part of
 * every path (http://127.0.0.1:PORT/TOKEN/ for the page, ws://127.0.0.1:PORT/TOKEN/bridge for the contract). The
 * token travels in the path, not in a cookie, so relative asset URLs carry it and two instances never share it.
 */

export const SERVE_HOST = '127.0.0.1';
export const BRIDGE_PATH = 'bridge';

export interface ServeOptions {
  engine: BridgedEngine;
  rendererRoot: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
  /** The largest bridge message (default SERVE_MAX_MESSAGE_BYTES); the upload benchmark lifts it for its baseline. */
  maxMessageBytes?: number;
}

export interface ServeHandle {
  url: string;
  bridgeUrl: string;
  token: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

const FORBIDDEN_TEXT =
  'Forbidden: open the address with the token that `ocpp-scope serve` printed when it started.\n';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Splits "/TOKEN/rest" into the token and the rest ("/rest"); undefined when the path has no token segment. */
export function splitTokenPath(rawUrl: string): { token: string; rest: string } | undefined {
  const path = rawUrl.split('?')[0]!.split('#')[0]!;
  const match = /^\/([A-Za-z0-9_-]+)(\/.*)?$/.exec(path);
  if (!match) return undefined;
  return { token: match[1]!, rest: match[2] ?? '' };
}

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const token = options.token ?? newToken();
  let port = 0;
  const allowedHosts = (): string[] => [`${SERVE_HOST}:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);
  const headers = (): Record<string, string> =>
    securityHeaders({ connect: [`ws://${SERVE_HOST}:${port}`, `ws://localhost:${port}`] });

  // A page on another site must not reach us through a DNS name that resolves to 127.0.0.1: check Host too.
  const hostAllowed = (req: IncomingMessage): boolean => allowedHosts().includes(req.headers.host ?? '');

  const forbid = (res: ServerResponse): void => {
    res.writeHead(403, {
      ...headers(),
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    res.end(FORBIDDEN_TEXT);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const parts = splitTokenPath(req.url ?? '/');
      if (!hostAllowed(req) || !parts || !sameToken(parts.token, token)) return forbid(res);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...headers(), Allow: 'GET, HEAD' });
        return res.end();
      }
      if (parts.rest === '') {
        // Relative asset URLs need the trailing slash.
        res.writeHead(308, { ...headers(), Location: `/${token}/` });
        return res.end();
      }
      const answer = await readRendererFile(options.rendererRoot, parts.rest);
      res.writeHead(answer.status, {
        ...headers(),
        'Content-Type': answer.contentType,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : answer.body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal error.\n');
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: options.maxMessageBytes ?? SERVE_MAX_MESSAGE_BYTES,
  });
  const refuseUpgrade = (socket: Duplex): void => {
    socket.end(
      `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${FORBIDDEN_TEXT}`,
    );
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const parts = splitTokenPath(req.url ?? '/');
    const origin = req.headers.origin;
    const ok =
      hostAllowed(req) &&
      parts !== undefined &&
      sameToken(parts.token, token) &&
      parts.rest === `/${BRIDGE_PATH}` &&
      // Browsers always send Origin; other local clients (tests, scripts) hold the token anyway.
      (origin === undefined || allowedOrigins().includes(origin));
    if (!ok) return refuseUpgrade(socket);
    wss.handleUpgrade(req, socket, head, (ws) => attachBridge(ws, options.engine));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, SERVE_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${SERVE_HOST}:${port}/${token}/`,
    bridgeUrl: `ws://${SERVE_HOST}:${port}/${token}/${BRIDGE_PATH}`,
    token,
    host: SERVE_HOST,
    port,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import type { ApiMethod, EngineNotice, ScopeApi } from '../../../shared/api';
import { API_METHODS } from '../../../shared/api';
import type { BridgeCall } from '../../../shared/api-bridge';
import { ApiError, parseServerMessage, unwrapReply } from '../../../shared/api-bridge';

/** The part of the browser WebSocket this client uses (the `ws` package's WebSocket fits too, for tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(
    type: 'open' | 'close' | 'error' | 'message',
    listener: (event: { data?: unknown }) => void,
  ): void;
}
export type SocketFactory = (url: string) => SocketLike;

const OPEN = 1;
/** Reconnect attempts after a dropped socket (about 20 s in all), while someone is subscribed. */
const MAX_RETRIES = 8;

export interface BridgeClient extends ScopeApi {
  /** Closes the socket; pending calls fail with 'disconnected'. */
  close(): void;
}

/**
 * The contract over the serve host's WebSocket. Calls made before the socket opens wait for it; a dropped socket
 * fails the pending calls with a clear error and the next call connects again. Subscribers stay subscribed.
 */
export function createBridgeClient(url: string, connect: SocketFactory): BridgeClient {
  type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
  const pending = new Map<number, Pending>();
  const listeners = new Set<(notices: EngineNotice[]) => void>();
  let nextId = 1;
  let socket: SocketLike | undefined;
  let opened: Promise<SocketLike> | undefined;

  const failAll = (message: string): void => {
    for (const p of pending.values()) p.reject(new ApiError('disconnected', message));
    pending.clear();
  };

  const open = (): Promise<SocketLike> => {
    if (socket && socket.readyState === OPEN) return Promise.resolve(socket);
    if (opened) return opened;
    opened = new Promise<SocketLike>((resolve, reject) => {
      const ws = connect(url);
      let isOpen = false;
      ws.addEventListener('open', () => {
        isOpen = true;
        socket = ws;
        resolve(ws);
      });
      ws.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        const message = parseServerMessage(event.data);
        if (!message) return;
        if (message.type === 'notices') {
          for (const listener of listeners) {
            try {
              listener(message.notices);
            } catch (error) {
              console.error('A notice listener failed:', error);
            }
          }
          return;
        }
        const p = pending.get(message.id);
        if (!p) return;
        pending.delete(message.id);
        try {
          const result = unwrapReply(message.reply);
          p.resolve(result === null ? undefined : result);
        } catch (error) {
          p.reject(error as Error);
        }
      });
      ws.addEventListener('close', () => {
        if (socket === ws) socket = undefined;
        opened = undefined;
        if (!isOpen) reject(new ApiError('disconnected', 'Could not connect to the OCPP Scope engine.'));
        failAll('The connection to the OCPP Scope engine was lost.');
        if (isOpen) retries = 0;
        scheduleReconnect();
      });
      ws.addEventListener('error', () => {
        // 'close' follows and says what happened.
      });
    });
    return opened;
  };

  // Subscribers must keep getting notices after a dropped socket: reconnect with a bounded backoff while anyone
  // listens. Calls reconnect on their own.
  let retries = 0;
  let closedByUs = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleReconnect = (): void => {
    if (closedByUs || listeners.size === 0 || retryTimer !== undefined || retries >= MAX_RETRIES) return;
    const delay = Math.min(200 * 2 ** retries, 5000);
    retries++;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      open().catch(() => {});
    }, delay);
  };

  const call = async (method: ApiMethod, args: unknown[]): Promise<unknown> => {
    const ws = await open();
    const id = nextId++;
    const message: BridgeCall = { type: 'call', id, method, args };
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      try {
        ws.send(JSON.stringify(message));
      } catch (error) {
        pending.delete(id);
        reject(new ApiError('disconnected', `The call could not be sent: ${(error as Error).message}`));
      }
    });
  };

  const api: Record<string, unknown> = {};
  for (const name of API_METHODS) {
    // Trailing undefined arguments are dropped: JSON would turn them into null, which validation refuses.
    api[name] = (...args: unknown[]) => {
      while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
      return call(name, args);
    };
  }
  api.subscribe = (listener: (notices: EngineNotice[]) => void) => {
    listeners.add(listener);
    // Notices only flow on an open socket: subscribing connects.
    void open().catch(() => {});
    return () => {
      listeners.delete(listener);
    };
  };
  api.close = () => {
    closedByUs = true;
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    retryTimer = undefined;
    socket?.close(1000, 'closed by the page');
    socket = undefined;
    opened = undefined;
    failAll('The connection to the OCPP Scope engine was closed.');
  };
  return api as unknown as BridgeClient;
}

/** The bridge URL for the page the browser is showing: ws(s)://same-host/TOKEN/bridge, the token from the path. */
export function bridgeUrlOf(location: {
  protocol: string;
  host: string;
  pathname: string;
}): string | undefined {
  const token = /^\/([A-Za-z0-9_-]+)\//.exec(location.pathname)?.[1];
  if (!token) return undefined;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/${token}/bridge`;
}

import type { Socket } from 'node:net';
import { AddressEpisodes } from './address-episodes';

/**
 * Sockets that have not (yet) sent a WebSocket upgrade. The connection limit counts WebSocket connections only, so
 * without this an idle or half-open TCP socket costs a file descriptor forever: thousands of them starve every new
 * charger. Each socket gets a handshake deadline, and past `maxPending` waiting sockets the oldest is closed to make
 * room (it has waited longest; a charger that sends its upgrade at once is never the oldest). What was closed is
 * reported per peer address and episode, with counts, never once per socket.
 */

export interface PendingSocketOptions {
  /** A socket that has not sent its upgrade request by then is closed. Default 10 s. */
  deadlineMs?: number;
  /** Sockets waiting for their upgrade request at once; past it the oldest is closed. Default 1024. */
  maxPending?: number;
  /** An episode ends after this long without a closed socket from its address (or after maxEpisodeMs). */
  quietMs?: number;
  maxEpisodeMs?: number;
}

export interface SocketEpisode {
  address: string;
  /** Closed because they sent no upgrade request within the deadline. */
  timedOut: number;
  /** Closed to make room: too many sockets were waiting. */
  evicted: number;
  deadlineMs: number;
  maxPending: number;
  first: number;
  last: number;
}

interface Waiting {
  socket: Socket;
  address: string;
  timer: NodeJS.Timeout;
  /** Its 'close' listener, taken off again once it is no longer waiting (an upgraded socket lives long). */
  onClose: () => void;
}

const keyOf = (s: Socket): string => `${s.remoteAddress ?? '?'}|${s.remotePort ?? 0}`;

export class PendingSockets {
  readonly deadlineMs: number;
  readonly maxPending: number;
  /** By socket key, in arrival order (a Map iterates oldest first). */
  private readonly waiting = new Map<string, Waiting>();
  private readonly episodes: AddressEpisodes;

  constructor(report: (episode: SocketEpisode) => void, options: PendingSocketOptions = {}) {
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.maxPending = Math.max(1, options.maxPending ?? 1024);
    this.episodes = new AddressEpisodes(
      (e) =>
        report({
          address: e.address,
          timedOut: e.counts.timedOut ?? 0,
          evicted: e.counts.evicted ?? 0,
          deadlineMs: this.deadlineMs,
          maxPending: this.maxPending,
          first: e.first,
          last: e.last,
        }),
      { quietMs: options.quietMs ?? 2000, maxEpisodeMs: options.maxEpisodeMs ?? 30_000 },
    );
  }

  get size(): number {
    return this.waiting.size;
  }

  /** A new TCP connection (before TLS, before any byte). */
  admit(socket: Socket): void {
    const key = keyOf(socket);
    while (this.waiting.size >= this.maxPending) {
      const oldest = this.waiting.values().next().value as Waiting | undefined;
      if (!oldest) break;
      this.drop(keyOf(oldest.socket), 'evicted');
    }
    const timer = setTimeout(() => this.drop(key, 'timedOut'), this.deadlineMs);
    timer.unref();
    const onClose = (): void => this.release(key);
    this.waiting.set(key, { socket, address: socket.remoteAddress ?? 'unknown', timer, onClose });
    socket.once('close', onClose);
  }

  /** The socket sent its upgrade request: from here on the WebSocket limits apply. */
  upgraded(socket: Socket): void {
    this.release(keyOf(socket));
  }

  /** Stops every timer and reports the open episodes (the endpoint is stopping). */
  close(): void {
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.socket.removeListener('close', w.onClose);
    }
    this.waiting.clear();
    this.episodes.flushAll();
  }

  private release(key: string): void {
    const w = this.waiting.get(key);
    if (!w) return;
    clearTimeout(w.timer);
    // An upgraded charger's socket lives for hours: a listener (and its closure) kept on it for nothing costs
    // memory per connection.
    w.socket.removeListener('close', w.onClose);
    this.waiting.delete(key);
  }

  private drop(key: string, why: 'timedOut' | 'evicted'): void {
    const w = this.waiting.get(key);
    if (!w) return;
    this.release(key);
    w.socket.destroy();
    this.episodes.count(w.address, why);
  }
}

/** One sentence for a person: what happened to how many sockets from where. */
export function describeEpisode(e: SocketEpisode): string {
  const parts: string[] = [];
  if (e.timedOut > 0)
    parts.push(`${e.timedOut} sent no WebSocket upgrade within ${Math.round(e.deadlineMs / 100) / 10} s`);
  if (e.evicted > 0)
    parts.push(`${e.evicted} were closed to make room (over ${e.maxPending} sockets were waiting)`);
  const n = e.timedOut + e.evicted;
  return `${n} connection(s) from ${e.address} were closed before their upgrade: ${parts.join('; ')}.`;
}

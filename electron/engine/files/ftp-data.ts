import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { SecureContext } from 'node:tls';

/** How long a client has to open a data connection after PASV/EPSV or before a transfer command, and to secure it. */
export const DATA_TIMEOUT_MS = 30_000;

/** An IPv4-mapped IPv6 address as its IPv4 form; other addresses unchanged. */
export function plainAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * A data connection in the making: passive (we listen on an ephemeral port of the address the client reached us on,
 * and take exactly one connection, only from the client's own address) or active (we connect to the client's
 * PORT/EPRT address, which must also be its own address: no FTP bounce).
 */
export interface DataChannel {
  /** The connected socket, TLS-wrapped when `secure` (the handshake is awaited in `secured`). */
  open(secure: SecureContext | undefined): Promise<Socket>;
  close(): void;
}

export class PassiveChannel implements DataChannel {
  private readonly server: Server;
  private socket: Socket | undefined;
  private waiter: ((s: Socket | undefined) => void) | undefined;
  private closed = false;
  private readonly idle: ReturnType<typeof setTimeout>;

  private constructor(private readonly clientAddress: string) {
    this.server = createServer({ pauseOnConnect: true }, (s) => this.onConnection(s));
    this.server.maxConnections = 1;
    this.server.on('error', () => this.close());
    this.idle = setTimeout(() => this.close(), DATA_TIMEOUT_MS);
  }

  /** Listens on a free port of `localAddress` (the address the control connection arrived on). */
  static async listen(
    localAddress: string,
    clientAddress: string,
  ): Promise<{ channel: PassiveChannel; port: number }> {
    const channel = new PassiveChannel(plainAddress(clientAddress));
    await new Promise<void>((resolve, reject) => {
      channel.server.once('error', reject);
      channel.server.listen(0, localAddress, () => resolve());
    });
    const address = channel.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { channel, port };
  }

  private onConnection(s: Socket): void {
    if (this.socket || this.closed || plainAddress(s.remoteAddress) !== this.clientAddress) {
      s.destroy();
      return;
    }
    clearTimeout(this.idle);
    this.socket = s;
    this.server.close();
    this.waiter?.(s);
  }

  async open(secure: SecureContext | undefined): Promise<Socket> {
    const raw =
      this.socket ??
      (await new Promise<Socket | undefined>((resolve) => {
        this.waiter = resolve;
        setTimeout(() => resolve(undefined), DATA_TIMEOUT_MS).unref();
      }));
    if (!raw) throw new Error('the client did not open the data connection');
    return secureIf(raw, secure);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.idle);
    this.server.close();
    this.socket?.destroy();
    this.waiter?.(undefined);
  }
}

export class ActiveChannel implements DataChannel {
  private socket: Socket | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  async open(secure: SecureContext | undefined): Promise<Socket> {
    const s = await new Promise<Socket>((resolve, reject) => {
      const c = connect({ host: this.host, port: this.port, timeout: DATA_TIMEOUT_MS });
      c.once('connect', () => resolve(c));
      c.once('error', reject);
      c.once('timeout', () => {
        c.destroy();
        reject(new Error('the data connection timed out'));
      });
    });
    this.socket = s;
    // In active mode the server side still acts as the TLS server (RFC 4217 section 10.2 default).
    return secureIf(s, secure);
  }

  close(): void {
    this.socket?.destroy();
  }
}

/**
 * After sending (RETR, LIST): read and drop whatever still comes so the peer's end (and, over TLS, its
 * close_notify) is seen, then resolve once the socket has closed, bounded by the data timeout.
 */
export function drainedAndClosed(s: Socket): Promise<void> {
  return new Promise<void>((resolve) => {
    if (s.closed) return resolve();
    const timer = setTimeout(() => {
      s.destroy();
      resolve();
    }, DATA_TIMEOUT_MS);
    s.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    s.resume();
  });
}

/** Wraps a data socket as the TLS server when PROT P is on; the handshake runs once the client starts it. */
function secureIf(raw: Socket, secure: SecureContext | undefined): Socket {
  // A client that stops sending (or never starts its TLS handshake) does not hold the transfer open forever.
  raw.setTimeout(DATA_TIMEOUT_MS, () => raw.destroy());
  raw.on('error', () => raw.destroy());
  if (!secure) return raw;
  const t = new TLSSocket(raw, { isServer: true, secureContext: secure });
  t.on('error', () => t.destroy());
  return t;
}

import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { posix } from 'node:path';
import { Duplex } from 'node:stream';
import { TLSSocket, createSecureContext } from 'node:tls';
import type { SecureContext, SecureContextOptions } from 'node:tls';
import type { TransferEvent, TransferProtocol } from '../../../shared/capture/events';
import { socketAddress } from '../connections/http-head';
import { ActiveChannel, PassiveChannel, drainedAndClosed, plainAddress } from './ftp-data';
import type { DataChannel } from './ftp-data';
import { safeFileName } from './safe-names';
import type { TransferService } from './transfer-service';
import type { TransferTicket } from './transfer-tickets';

const MAX_LINE = 4096;
const IDLE_MS = 5 * 60_000;
/** On the FTPS port: a client that speaks first within this time is doing implicit TLS; otherwise we greet. */
const IMPLICIT_WAIT_MS = 300;

export interface FtpFrontOptions {
  service: TransferService;
  /** Certificate and key for AUTH TLS (and implicit TLS on the FTPS port). */
  tls?: SecureContextOptions;
  /** The FTPS port: TLS is required before login (explicit AUTH TLS, or implicit when the client starts with TLS). */
  secureOnly: boolean;
}

/**
 * A small FTP server for what chargers do: log in (user any, password = transfer token, or the configured account),
 * AUTH TLS / PBSZ / PROT (RFC 4217), PASV / EPSV (RFC 2428) and PORT / EPRT to the client's own address, STOR,
 * RETR with REST, SIZE, MDTM, LIST / NLST of what the ticket may fetch, and a virtual directory tree (CWD and MKD
 * succeed and change nothing, since where a file lands is decided by its ticket). No command touches a path outside
 * the transfer folder: names are reduced to one sanitized component. Wrong tokens get 530.
 */
export function createFtpServer(options: FtpFrontOptions): Server {
  const context = options.tls ? createSecureContext(options.tls) : undefined;
  const server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    if (options.secureOnly && context) {
      // Implicit TLS clients (ftps:// in curl and many chargers) start the handshake; explicit ones wait to be greeted.
      const timer = setTimeout(() => {
        socket.off('data', onFirst);
        socket.pause();
        new FtpSession(socket, socket, options, context, false).greet();
      }, IMPLICIT_WAIT_MS);
      const onFirst = (first: Buffer): void => {
        clearTimeout(timer);
        socket.off('data', onFirst);
        socket.pause();
        if (first[0] === 0x16) {
          const t = new TLSSocket(replaying(socket, first), { isServer: true, secureContext: context });
          t.on('error', () => t.destroy());
          new FtpSession(t, socket, options, context, true).greet();
        } else {
          socket.unshift(first);
          new FtpSession(socket, socket, options, context, false).greet();
        }
      };
      socket.on('data', onFirst);
      return;
    }
    new FtpSession(socket, socket, options, context, false).greet();
  });
  server.on('error', () => {});
  return server;
}

class FtpSession {
  private buffer = '';
  private queue: Promise<void> = Promise.resolve();
  private user = '';
  private ticket: TransferTicket | undefined;
  private protPrivate = false;
  private data: DataChannel | undefined;
  private restOffset = 0;
  private cwd = '/';
  private closed = false;
  constructor(
    private socket: Socket,
    /** The TCP socket under any TLS: addresses and the idle timer live here. */
    private readonly rawSocket: Socket,
    private readonly options: FtpFrontOptions,
    private readonly context: SecureContext | undefined,
    private secured: boolean,
  ) {
    rawSocket.setTimeout(IDLE_MS, () => this.end(421, 'Idle too long, closing.'));
    this.listen(socket);
    socket.on('close', () => this.cleanup());
    rawSocket.on('close', () => this.cleanup());
  }

  private get protocol(): TransferProtocol {
    return this.secured ? 'ftps' : 'ftp';
  }

  greet(): void {
    this.reply(220, 'OCPP Scope file server ready.');
  }

  private listen(s: Socket): void {
    s.setEncoding('utf8');
    // The implicit-TLS probe may have paused the socket: a 'data' listener alone would not resume it then.
    process.nextTick(() => s.resume());
    s.on('data', (chunk: string) => {
      this.buffer += chunk;
      if (this.buffer.length > MAX_LINE && !this.buffer.includes('\n')) {
        this.end(500, 'Command line too long.');
        return;
      }
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl).replace(/\r$/, '');
        this.buffer = this.buffer.slice(nl + 1);
        this.queue = this.queue.then(() => this.command(line)).catch(() => this.end(421, 'Internal error.'));
      }
    });
  }

  private reply(code: number, text: string): void {
    if (this.closed || this.socket.destroyed) return;
    const lines = text.split('\n');
    const last = lines.pop() ?? '';
    const out = lines.map((l) => `${code}-${l}\r\n`).join('') + `${code} ${last}\r\n`;
    this.socket.write(out);
  }

  private end(code: number, text: string): void {
    this.reply(code, text);
    this.closed = true;
    this.socket.end();
    this.cleanup();
  }

  private cleanup(): void {
    this.closed = true;
    this.data?.close();
    this.data = undefined;
  }

  private async command(line: string): Promise<void> {
    if (this.closed) return;
    const space = line.indexOf(' ');
    const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const arg = space < 0 ? '' : line.slice(space + 1);
    const open = new Set([
      'USER',
      'PASS',
      'AUTH',
      'PBSZ',
      'PROT',
      'FEAT',
      'SYST',
      'QUIT',
      'NOOP',
      'OPTS',
      'HELP',
    ]);
    if (!this.ticket && !open.has(verb)) return this.reply(530, 'Please log in with USER and PASS.');
    switch (verb) {
      case 'USER':
        if (this.options.secureOnly && !this.secured)
          return this.reply(
            530,
            'This port requires TLS: send AUTH TLS first (or use ftp:// on the FTP port).',
          );
        this.user = arg;
        this.ticket = undefined;
        return this.reply(331, 'Password required (the transfer token).');
      case 'PASS': {
        const ticket = this.options.service.ftpLogin(this.user, arg);
        if (!ticket) return this.reply(530, 'Login incorrect: unknown user or transfer token.');
        this.ticket = ticket;
        return this.reply(230, 'Logged in.');
      }
      case 'AUTH':
        return this.auth(arg);
      case 'PBSZ':
        return this.reply(200, 'PBSZ=0');
      case 'PROT': {
        const level = arg.trim().toUpperCase();
        if (level === 'C') {
          this.protPrivate = false;
          return this.reply(200, 'Data connections in clear.');
        }
        if (level === 'P') {
          if (!this.secured) return this.reply(503, 'PROT P needs AUTH TLS first.');
          this.protPrivate = true;
          return this.reply(200, 'Data connections protected.');
        }
        return this.reply(504, 'Only PROT C and PROT P are supported.');
      }
      case 'FEAT':
        return this.reply(
          211,
          [
            'Features:',
            ' AUTH TLS',
            ' PBSZ',
            ' PROT',
            ' EPSV',
            ' PASV',
            ' SIZE',
            ' MDTM',
            ' REST STREAM',
            ' UTF8',
            'End',
          ].join('\n'),
        );
      case 'SYST':
        return this.reply(215, 'UNIX Type: L8');
      case 'NOOP':
        return this.reply(200, 'OK.');
      case 'HELP':
        return this.reply(214, 'See RFC 959.');
      case 'OPTS':
        return this.reply(200, 'OK.');
      case 'QUIT':
        return this.end(221, 'Goodbye.');
      case 'TYPE':
        return /^(A|I|L 8|A N)$/i.test(arg.trim())
          ? this.reply(200, 'Type set.')
          : this.reply(504, 'Type not supported.');
      case 'MODE':
        return arg.trim().toUpperCase() === 'S'
          ? this.reply(200, 'Mode S.')
          : this.reply(504, 'Only stream mode.');
      case 'STRU':
        return arg.trim().toUpperCase() === 'F'
          ? this.reply(200, 'Structure F.')
          : this.reply(504, 'Only file structure.');
      case 'ALLO':
        return this.reply(202, 'No storage allocation needed.');
      case 'PWD':
      case 'XPWD':
        return this.reply(257, `"${this.cwd}" is the current directory.`);
      case 'CWD':
      case 'XCWD':
        this.cwd = posix.resolve(this.cwd, arg || '/');
        return this.reply(250, `Directory is ${this.cwd}.`);
      case 'CDUP':
        this.cwd = posix.resolve(this.cwd, '..');
        return this.reply(250, `Directory is ${this.cwd}.`);
      case 'MKD':
      case 'XMKD':
        return this.reply(257, `"${posix.resolve(this.cwd, arg)}" created.`);
      case 'PASV':
        return this.passive(false);
      case 'EPSV':
        return this.passive(true);
      case 'PORT':
      case 'EPRT':
        return this.active(verb, arg);
      case 'REST': {
        if (!/^\d+$/.test(arg.trim())) return this.reply(501, 'REST needs a byte offset.');
        this.restOffset = Number(arg.trim());
        return this.reply(350, `Restarting at ${this.restOffset}.`);
      }
      case 'STOR':
        return this.store(arg);
      case 'RETR':
        return this.retrieve(arg);
      case 'SIZE':
      case 'MDTM': {
        const file = await this.fetchable(arg);
        if (!file) return this.reply(550, 'No such file.');
        return this.reply(213, verb === 'SIZE' ? String(file.size) : mdtm(file.modifiedMs));
      }
      case 'LIST':
      case 'NLST':
        return this.list(verb === 'LIST');
      case 'ABOR':
        this.data?.close();
        this.data = undefined;
        return this.reply(226, 'Aborted.');
      case 'STAT':
        return this.reply(
          211,
          `Logged in; ${this.secured ? 'TLS' : 'no TLS'}; data ${this.protPrivate ? 'protected' : 'clear'}.`,
        );
      case 'DELE':
      case 'RMD':
      case 'RNFR':
      case 'RNTO':
      case 'SITE':
        return this.reply(550, 'Not allowed on this server.');
      default:
        return this.reply(502, `${verb} is not implemented.`);
    }
  }

  private auth(arg: string): void {
    const mech = arg.trim().toUpperCase();
    if (!this.context) return this.reply(502, 'TLS is not available on this server.');
    if (this.secured) return this.reply(503, 'Already secured.');
    if (mech !== 'TLS' && mech !== 'SSL' && mech !== 'TLS-C') return this.reply(504, 'Only AUTH TLS.');
    this.reply(234, 'Start the TLS handshake.');
    // The control connection continues over TLS; whatever was queued in clear text before it is dropped.
    this.socket.removeAllListeners('data');
    this.buffer = '';
    const t = new TLSSocket(this.rawSocket, { isServer: true, secureContext: this.context });
    t.on('error', () => t.destroy());
    t.on('close', () => this.cleanup());
    this.socket = t;
    this.secured = true;
    this.listen(t);
  }

  private async passive(extended: boolean): Promise<void> {
    this.data?.close();
    const local = plainAddress(this.rawSocket.localAddress);
    if (!extended && local.includes(':')) return this.reply(522, 'PASV is IPv4 only; use EPSV.');
    try {
      const { channel, port } = await PassiveChannel.listen(local, this.rawSocket.remoteAddress ?? '');
      this.data = channel;
      if (extended) return this.reply(229, `Entering Extended Passive Mode (|||${port}|)`);
      const h = local.split('.').join(',');
      return this.reply(227, `Entering Passive Mode (${h},${port >> 8},${port & 255})`);
    } catch {
      return this.reply(425, 'Cannot open a passive data connection.');
    }
  }

  private active(verb: string, arg: string): void {
    let host: string | undefined;
    let port: number | undefined;
    if (verb === 'PORT') {
      const n = arg.split(',').map((x) => Number(x.trim()));
      if (n.length === 6 && n.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)) {
        host = n.slice(0, 4).join('.');
        port = (n[4] ?? 0) * 256 + (n[5] ?? 0);
      }
    } else {
      const parts = arg.split(arg.charAt(0));
      if (parts.length >= 4 && /^\d+$/.test(parts[3] ?? '')) {
        host = parts[2];
        port = Number(parts[3]);
      }
    }
    if (!host || !port || port > 65535) return this.reply(501, 'Bad address.');
    // Only the client's own address: connecting elsewhere would let anyone use this server to reach third hosts.
    if (plainAddress(host) !== plainAddress(this.rawSocket.remoteAddress)) {
      return this.reply(504, 'Active mode only to your own address.');
    }
    this.data?.close();
    this.data = new ActiveChannel(host, port);
    return this.reply(200, 'Active mode set.');
  }

  private takeData(): DataChannel | undefined {
    const d = this.data;
    this.data = undefined;
    return d;
  }

  private start(name: string, direction: 'upload' | 'download', size?: number, offset?: number) {
    const remote = socketAddress(this.rawSocket.remoteAddress, this.rawSocket.remotePort);
    return {
      protocol: this.protocol,
      direction,
      name,
      ...(this.ticket ? { ticket: this.ticket } : {}),
      ...(remote ? { remote } : {}),
      ...(size !== undefined ? { size } : {}),
      ...(offset ? { offset } : {}),
    };
  }

  private async store(arg: string): Promise<void> {
    if (this.ticket?.purpose === 'download') return this.reply(550, 'This login may only download.');
    const name = safeFileName(arg);
    if (!name) return this.reply(553, 'File name not allowed.');
    const channel = this.takeData();
    if (!channel) return this.reply(425, 'Use PASV, EPSV or PORT first.');
    let socket: Socket;
    try {
      const pending = channel.open(this.protPrivate ? this.context : undefined);
      this.reply(150, `Ready to receive ${name}.`);
      socket = await pending;
    } catch (error) {
      return this.reply(425, `No data connection: ${(error as Error).message}.`);
    }
    const e = await this.options.service.upload(socket, this.start(name, 'upload'));
    channel.close();
    this.finish(e, 'upload');
  }

  private async retrieve(arg: string): Promise<void> {
    const offset = this.restOffset;
    this.restOffset = 0;
    const file = await this.fetchable(arg);
    if (!file) return this.reply(550, 'No such file for this login.');
    if (offset > file.size) return this.reply(554, 'Restart offset past the end of the file.');
    const channel = this.takeData();
    if (!channel) return this.reply(425, 'Use PASV, EPSV or PORT first.');
    let socket: Socket;
    try {
      const pending = channel.open(this.protPrivate ? this.context : undefined);
      this.reply(150, `Sending ${file.name} (${file.size - offset} bytes).`);
      socket = await pending;
    } catch (error) {
      return this.reply(425, `No data connection: ${(error as Error).message}.`);
    }
    const e = await this.options.service.download(
      file.path,
      { start: offset, end: file.size - 1, total: file.size },
      socket,
      this.start(file.name, 'download', file.size - offset, offset),
    );
    await drainedAndClosed(socket);
    channel.close();
    this.finish(e, 'download');
  }

  private finish(e: TransferEvent | undefined, what: string): void {
    if (e?.phase === 'completed')
      return this.reply(226, `Transfer complete: ${e.bytes} bytes, SHA-256 ${e.sha256}.`);
    const f = e?.findings?.[0];
    if (f?.code === 'transfer-too-large') return this.reply(552, f.message);
    this.reply(f?.code === 'transfer-storage-failed' ? 451 : 426, f?.message ?? `The ${what} failed.`);
  }

  /** The file a RETR/SIZE/MDTM may name: the ticket's firmware (by its name), or any top-level file for 'any'. */
  private async fetchable(
    arg: string,
  ): Promise<{ name: string; path: string; size: number; modifiedMs: number } | undefined> {
    const t = this.ticket;
    if (!t || t.purpose === 'upload') return undefined;
    const name = safeFileName(arg);
    if (!name) return undefined;
    if (t.firmware !== undefined && name !== t.firmware) return undefined;
    const file = await this.options.service.folder.servable(name);
    return file ? { name, ...file } : undefined;
  }

  private async list(long: boolean): Promise<void> {
    const t = this.ticket;
    const files =
      !t || t.purpose === 'upload'
        ? []
        : (await this.options.service.folder.listFiles()).filter(
            (f) => t.firmware === undefined || f.name === t.firmware,
          );
    const channel = this.takeData();
    if (!channel) return this.reply(425, 'Use PASV, EPSV or PORT first.');
    try {
      const pending = channel.open(this.protPrivate ? this.context : undefined);
      this.reply(150, 'Listing.');
      const socket = await pending;
      const text = files.map((f) => (long ? listLine(f) : f.name) + '\r\n').join('');
      await new Promise<void>((resolve) => socket.end(text, () => resolve()));
      await drainedAndClosed(socket);
      channel.close();
      this.reply(226, `${files.length} file(s).`);
    } catch (error) {
      channel.close();
      this.reply(425, `No data connection: ${(error as Error).message}.`);
    }
  }
}

/** The socket as a stream that yields `first` again before the rest: TLS must see the bytes we peeked at. */
function replaying(socket: Socket, first: Buffer): Duplex {
  const d = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _enc, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  d.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!d.push(chunk)) socket.pause();
  });
  socket.on('end', () => d.push(null));
  socket.on('close', () => d.destroy());
  return d;
}

function mdtm(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function listLine(f: { name: string; size: number; modifiedMs: number }): string {
  const d = new Date(f.modifiedMs);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `-rw-r--r-- 1 ocpp ocpp ${f.size} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${f.name}`;
}

import { createServer as createHttpServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import type {
  FileServerUrl,
  FilesSettings,
  FilesStatus,
  TransferTicketInfo,
  TransferTicketRequest,
} from '../../../shared/api';
import type { TransferProtocol } from '../../../shared/capture/events';
import type { CertificateBundle } from '../tls/certificates';
import { issueCertificate } from '../tls/certificates';
import type { EventStream } from '../connections/event-stream';
import { certificateNames, hostForUrl, localAddresses } from '../endpoint/local-addresses';
import { FirmwareSigner } from './firmware-signing';
import { createFtpServer } from './ftp-front';
import { handleFileRequest } from './http-front';
import { RequestLinks } from './request-links';
import { DEFAULT_MAX_UPLOAD_BYTES, TransferFolder, sha256OfFile } from './transfer-folder';
import { TransferService } from './transfer-service';
import { TicketBook } from './transfer-tickets';
import type { TicketPurpose, TransferTicket } from './transfer-tickets';

export const PROTOCOLS: readonly TransferProtocol[] = ['http', 'https', 'ftp', 'ftps'];

/** Per protocol: enough for a fleet uploading at once, few enough that a flood cannot exhaust the laptop. */
const MAX_CONNECTIONS = 256;
const IDLE_SOCKET_MS = 120_000;

/** Requests whose URL the charger uploads to; the others (firmware) download. */
const UPLOAD_ACTIONS = new Set(['GetDiagnostics', 'GetLog']);

export function defaultFilesSettings(dir: string): FilesSettings {
  return {
    dir,
    host: '0.0.0.0',
    ports: { http: 0, https: 0, ftp: 0, ftps: 0 },
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
  };
}

export interface FileServerOptions {
  /** The local CA (the endpoint's profile 2 CA): HTTPS and FTPS certificates are issued from it. */
  ca: () => Promise<CertificateBundle>;
}

/**
 * The file server: HTTP and HTTPS (node:http), FTP and FTPS (ftp-front), one transfer folder, per-transfer tokens,
 * and transfer events in the engine's stream. Emits nothing itself; `onChange` tells the owner the status changed.
 */
export class FileServer {
  private servers = new Map<TransferProtocol, Server>();
  private service: TransferService | undefined;
  private settings: FilesSettings | undefined;
  private caPem: string | undefined;
  private readonly links: RequestLinks;
  private readonly signer: FirmwareSigner;
  private lastError: string | undefined;
  private readonly unsubscribe: () => void;
  /** Tickets outlive a restart of the server (a charger may retry a URL it got earlier). */
  private readonly book = new TicketBook();
  onChange: () => void = () => {};

  constructor(
    private readonly stream: EventStream,
    private readonly options: FileServerOptions,
  ) {
    this.links = new RequestLinks(this.book, { link: (c, d, n) => this.service?.link(c, d, n) });
    this.unsubscribe = stream.subscribe((e) => this.links.observe(e));
    this.signer = new FirmwareSigner(options.ca);
  }

  get running(): boolean {
    return this.service !== undefined;
  }

  async start(settings: FilesSettings): Promise<FilesStatus> {
    await this.stop(false);
    const folder = new TransferFolder(settings.dir, settings.maxUploadBytes);
    try {
      await folder.ensure();
      const service = new TransferService(this.stream, folder, () => this.onChange(), this.book);
      service.resolveOwner = (ticket, remote) => this.links.owner(ticket, remote);
      if (settings.account) {
        const ticket = this.book.issue({ purpose: 'any' });
        service.ftpAccount = { ...settings.account, ticket };
      }
      const wantsTls = settings.ports.https !== null || settings.ports.ftps !== null;
      const tls = wantsTls ? await this.tlsIdentity(settings.host) : undefined;
      for (const protocol of PROTOCOLS) {
        const port = settings.ports[protocol];
        if (port === null) continue;
        const server = this.createServer(protocol, service, tls);
        await listen(server, port, settings.host);
        this.servers.set(protocol, server);
      }
      this.service = service;
      this.settings = settings;
      this.lastError = undefined;
    } catch (error) {
      await this.stop(false);
      this.lastError = describeListenError(error, settings);
    }
    this.onChange();
    return this.status();
  }

  private createServer(
    protocol: TransferProtocol,
    service: TransferService,
    tls: { cert: string; key: string } | undefined,
  ): Server {
    if (protocol === 'ftp' || protocol === 'ftps') {
      const ftp = createFtpServer({ service, secureOnly: protocol === 'ftps', ...(tls ? { tls } : {}) });
      ftp.maxConnections = MAX_CONNECTIONS;
      return ftp;
    }
    const handler = handleFileRequest.bind(null, service);
    const server: HttpServer =
      protocol === 'https' && tls
        ? (createHttpsServer(tls, handler) as unknown as HttpServer)
        : createHttpServer(handler);
    server.requestTimeout = 0; // a 1 GiB upload over a slow link takes long...
    server.timeout = IDLE_SOCKET_MS; // ...but a socket that moves no byte for this long is closed
    server.maxConnections = MAX_CONNECTIONS;
    server.on('clientError', (_e, socket) => socket.destroy());
    return server;
  }

  private async tlsIdentity(host: string): Promise<{ cert: string; key: string }> {
    const ca = await this.options.ca();
    this.caPem = ca.certPem;
    const names = certificateNames(host);
    const ec = ca.keyPem.length < 400;
    const leaf = await issueCertificate(ca, {
      commonName: names.dnsNames[1] ?? 'localhost',
      kind: 'server',
      keyKind: ec ? 'ec' : 'rsa',
      ...names,
    });
    return { cert: leaf.certPem + ca.certPem, key: leaf.keyPem };
  }

  async stop(notify = true): Promise<FilesStatus> {
    const servers = [...this.servers.values()];
    this.servers.clear();
    this.service = undefined;
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            (s as HttpServer).closeAllConnections?.();
            s.close(() => resolve());
          }),
      ),
    );
    if (notify) this.onChange();
    return this.status();
  }

  dispose(): void {
    this.unsubscribe();
  }

  private port(protocol: TransferProtocol): number | undefined {
    const a = this.servers.get(protocol)?.address() as AddressInfo | null | undefined;
    return a?.port;
  }

  /** Base URLs: every running protocol on every address (or on the host it listens on). */
  urls(address?: string): FileServerUrl[] {
    const s = this.settings;
    if (!s || !this.service) return [];
    const wildcard = s.host === '0.0.0.0' || s.host === '::' || s.host === '';
    const addresses = address
      ? [address]
      : wildcard
        ? localAddresses()
            .filter((a) => s.host !== '0.0.0.0' || a.family === 'IPv4')
            .map((a) => a.address)
        : [s.host];
    const out: FileServerUrl[] = [];
    for (const protocol of PROTOCOLS) {
      const port = this.port(protocol);
      if (port === undefined) continue;
      for (const a of addresses) out.push({ protocol, url: `${protocol}://${hostForUrl(a)}:${port}/` });
    }
    return out;
  }

  async status(): Promise<FilesStatus> {
    // Read both once: the server may stop while the folder is listed.
    const s = this.settings;
    const service = this.service;
    if (!service || !s) {
      return {
        running: false,
        ports: {},
        urls: [],
        files: [],
        transfers: [],
        ...(this.lastError ? { error: this.lastError } : {}),
      };
    }
    const ports: FilesStatus['ports'] = {};
    for (const p of PROTOCOLS) {
      const port = this.port(p);
      if (port !== undefined) ports[p] = port;
    }
    return {
      running: true,
      dir: s.dir,
      host: s.host,
      ports,
      urls: this.urls(),
      ...(this.caPem ? { caCertificatePem: this.caPem } : {}),
      files: await service.folder.listFiles(),
      transfers: [...service.recent],
      maxUploadBytes: s.maxUploadBytes,
    };
  }

  /** A general ticket (uploads and downloads of any top-level file), for the command line. */
  issueGeneral(identity?: string): TransferTicket {
    return this.book.issue({ purpose: 'any', ...(identity ? { identity } : {}) });
  }

  /** A ticket for one charger and one request, with its URLs and (firmware) the facts the request must carry. */
  async prepare(request: TransferTicketRequest): Promise<TransferTicketInfo> {
    const service = this.service;
    if (!service) throw new Error('The file server is not running: start it first.');
    const upload = UPLOAD_ACTIONS.has(request.action);
    const purpose: TicketPurpose = upload ? 'upload' : 'download';
    let firmware: TransferTicketInfo['firmware'];
    if (!upload) {
      const name = request.firmware ?? (await service.folder.listFiles())[0]?.name;
      if (name === undefined) throw new Error('The transfer folder holds no file to serve as firmware.');
      const file = await service.folder.servable(name);
      if (!file) throw new Error(`${name} is not a file at the top of the transfer folder.`);
      const [sha256, signature, cert] = await Promise.all([
        sha256OfFile(file.path),
        this.signer.sign(file.path),
        this.signer.certificate(),
      ]);
      service.firmware.set(name, { name, size: file.size, sha256, modifiedMs: file.modifiedMs });
      firmware = { name, size: file.size, sha256, signature, signingCertificate: cert.certPem };
    }
    const ticket = this.book.issue({
      purpose,
      ...(request.identity ? { identity: request.identity } : {}),
      ...(firmware ? { firmware: firmware.name } : {}),
    });
    const address = this.links.addressOf(request.identity);
    const bases = this.urls(address);
    const seen = new Set<TransferProtocol>();
    const urls: FileServerUrl[] = [];
    for (const b of bases) {
      if (seen.has(b.protocol)) continue;
      seen.add(b.protocol);
      urls.push({ protocol: b.protocol, url: transferUrl(b.url, b.protocol, ticket.token, firmware?.name) });
    }
    return {
      token: ticket.token,
      identity: request.identity,
      direction: purpose === 'upload' ? 'upload' : 'download',
      urls,
      ...(firmware ? { firmware } : {}),
    };
  }
}

/** `http://h:p/t/<token>/<name>` or `ftp://ocpp:<token>@h:p/<name>` (uploads: the folder URL, ending in `/`). */
export function transferUrl(base: string, protocol: TransferProtocol, token: string, name?: string): string {
  const file = name !== undefined ? encodeURIComponent(name) : '';
  if (protocol === 'ftp' || protocol === 'ftps') return base.replace('://', `://ocpp:${token}@`) + file;
  return `${base}t/${token}/${file}`;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', () => {});
      resolve();
    });
  });
}

function describeListenError(error: unknown, s: FilesSettings): string {
  const e = error as NodeJS.ErrnoException & { port?: number };
  if (e.code === 'EADDRINUSE')
    return `A port is already in use on ${s.host}; choose other ports or stop the other program.`;
  if (e.code === 'EACCES') return 'This user may not listen on a port below 1024; choose ports above 1023.';
  if (e.code === 'EADDRNOTAVAIL') return `${s.host} is not an address of this machine.`;
  return `The file server could not start: ${e.message}`;
}

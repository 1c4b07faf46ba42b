import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { admitUpgrade } from './admission';
import type { Rejection } from './admission';
import { describeEpisode, PendingSockets } from './pending-sockets';
import { describeRefusals, RefusalFlood } from './refusal-flood';
import type { RefusalEpisode, RefusalFloodOptions } from './refusal-flood';
import type { PendingSocketOptions, SocketEpisode } from './pending-sockets';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';
import type { EndpointSettings, EndpointStatus, UpstreamSettings } from '../../../shared/api';
import { defaultEndpointSettings } from '../../../shared/api-defaults';
import type {
  HandshakeFailure,
  HandshakeRecord,
  HttpHead,
  HttpResponseHead,
} from '../../../shared/capture/events';
import { versionOfSubprotocol } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import type { CertificateBundle, KeyKind } from '../tls/certificates';
import { caFingerprint, generateCa, issueCertificate } from '../tls/certificates';
import { Connection } from '../connections/connection';
import { ConnectionSetups } from '../connections/connection-setup';
import { forgetSocketAddresses } from '../connections/socket-addresses';
import { schemasWarm, warmSchemas } from '../connections/schema-warmup';
import type { ConnectionHub } from '../connections/connection-hub';
import {
  basicAuthHeader,
  headerValue,
  headerValues,
  identityOfPath,
  offeredProtocols,
  parseHeadText,
} from '../../../shared/capture/http-upgrade';
import { requestHead, socketAddress } from '../connections/http-head';
import { certificateNames, endpointUrls } from './local-addresses';
import { ProxyConnection } from '../proxy/proxy-connection';
import { clientHandshake } from '../station/station';
import { internalError } from '../connections/internal-error';
import { tlsFacts } from '../tls/tls-facts';
import { readClientHello } from '../../../shared/capture/tls-client-hello';

/** The endpoint defaults, from the one place that defines them (also used for first start and bad settings). */
export const DEFAULT_ENDPOINT_SETTINGS: EndpointSettings = defaultEndpointSettings();

export interface EndpointOptions {
  /** Key type of a generated CA and server certificate (RSA by default: what chargers support most widely). */
  keyKind?: KeyKind;
  /** Handshake deadline and bound on sockets that have not sent their upgrade (see pending-sockets.ts). */
  pendingSockets?: PendingSocketOptions;
  /** How refused attempts from one address are recorded in a flood (see refusal-flood.ts). */
  refusals?: RefusalFloodOptions;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  426: 'Upgrade Required',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The tool as a CSMS: chargers connect to ws(s)://address:port/any/path/<identity>. Every upgrade, accepted or
 * refused, is recorded byte-faithfully as an `opened` event.
 *
 * Subprotocol choice: the first version of `settings.protocols` (our order of preference) that the charger offered.
 * A charger that offers none we support is refused with HTTP 400, or with `unknownProtocol: 'accept'` accepted
 * without a subprotocol and analysed as `settings.protocols[0]` (a named finding says so).
 *
 * Proxy mode (`settings.upstream`): each charger is connected through to `<upstream url>/<identity>`, offering exactly
 * the subprotocols the charger offered, and is accepted with the one the upstream chose, or refused with the
 * upstream's own HTTP status (see ProxyConnection for the frames).
 *
 * Emits 'status' (EndpointStatus) when it starts or stops.
 */
/** Profile 2/3 without a certificate and key of the user's: the server certificate comes from the local CA. */
export function usesLocalCa(settings: EndpointSettings): boolean {
  const tls = settings.tls ?? {};
  return settings.securityProfile >= 2 && !(tls.certFile && tls.keyFile && !tls.generateCertificate);
}

export class Endpoint extends EventEmitter {
  /** The local CA: set it before start() to reuse a saved one; read it after start() to save a generated one. */
  localCa: CertificateBundle | undefined;
  private server: HttpServer | undefined;
  private wss: WebSocketServer | undefined;
  private settings: EndpointSettings | undefined;
  private current: EndpointStatus = { running: false, urls: [] };
  private readonly live = new Set<Connection>();
  /** The setups of this endpoint's connections (see ConnectionSetups). */
  private readonly setups = new ConnectionSetups();
  /** One listener for every connection's 'closed' (it emits itself): no closure per charger. */
  private readonly gone = (c: Connection): void => {
    this.live.delete(c);
  };
  private readonly liveProxies = new Set<ProxyConnection>();
  private readonly responseHeads = new WeakMap<IncomingMessage, string[]>();
  /** How to record a refusal ws itself decides during handleUpgrade (its 'wsClientError'), per request. */
  private readonly refusals = new WeakMap<IncomingMessage, (status: number, message: string) => void>();
  private pending: PendingSockets | undefined;
  private flood: RefusalFlood | undefined;

  constructor(
    private readonly hub: ConnectionHub,
    private readonly options: EndpointOptions = {},
  ) {
    super();
  }

  status(): EndpointStatus {
    return { ...this.current, urls: [...this.current.urls] };
  }

  /** The settings it runs with (undefined when stopped). */
  currentSettings(): EndpointSettings | undefined {
    return this.server ? this.settings : undefined;
  }

  connections(): Connection[] {
    return [...this.live];
  }

  async start(settings: EndpointSettings): Promise<EndpointStatus> {
    if (this.server) await this.stop();
    this.settings = settings;
    const secure = settings.securityProfile >= 2;
    let caPem: string | undefined;
    try {
      const server = secure ? await this.createTlsServer(settings) : createHttpServer();
      caPem =
        this.localCa && (settings.tls?.generateCertificate || !settings.tls?.certFile)
          ? this.localCa.certPem
          : undefined;
      this.wss = new WebSocketServer({
        noServer: true,
        perMessageDeflate: false,
        maxPayload: settings.limits.maxFrameBytes,
        skipUTF8Validation: true,
        clientTracking: false,
      });
      this.wss.on('headers', (headers: string[], req: IncomingMessage) =>
        this.responseHeads.set(req, [...headers]),
      );
      // With a listener, ws leaves the answer to us: every refusal it decides is then recorded, never a bare 400.
      this.wss.on('wsClientError', (error: Error, socket: Socket, req: IncomingMessage) =>
        this.onWsRefusal(error, socket, req),
      );
      this.flood = new RefusalFlood((e) => this.recordRefusalEpisode(e), this.options.refusals);
      const pending = (this.pending = new PendingSockets(
        (e) => this.recordSocketEpisode(e),
        this.options.pendingSockets,
      ));
      server.on('connection', (socket: Socket) => pending.admit(socket));
      server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
        pending.upgraded(socket);
        this.onUpgrade(req, socket, head);
      });
      server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onPlainRequest(req, res));
      server.on('clientError', (error: Error & { code?: string }, socket: Socket) =>
        this.onClientError(error, socket),
      );
      server.on('tlsClientError', (error: Error & { code?: string }, socket: TLSSocket) =>
        this.onTlsError(error, socket),
      );
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(settings.port, settings.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      server.on('error', () => {});
      this.server = server;
      const port = (server.address() as AddressInfo).port;
      this.current = {
        running: true,
        host: settings.host,
        port,
        urls: endpointUrls(settings.host, port, secure),
        ...(caPem ? { caCertificatePem: caPem, caFingerprint: caFingerprint(caPem) } : {}),
      };
    } catch (error) {
      this.server = undefined;
      this.current = { running: false, urls: [], error: describeListenError(error, settings) };
    }
    this.emit('status', this.status());
    return this.status();
  }

  async stop(): Promise<EndpointStatus> {
    const server = this.server;
    this.server = undefined;
    await Promise.all([
      ...[...this.live].map((c) => c.close(1001, 'Endpoint stopped')),
      ...[...this.liveProxies].map((c) => c.close(1001, 'Endpoint stopped')),
    ]);
    if (server) {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.wss?.close();
    this.wss = undefined;
    this.pending?.close();
    this.pending = undefined;
    this.flood?.close();
    this.flood = undefined;
    this.current = { running: false, urls: [] };
    this.emit('status', this.status());
    return this.status();
  }

  /** A client certificate from the local CA, for profile 3 chargers (and tests). */
  async issueClientCertificate(identity: string): Promise<CertificateBundle> {
    if (!this.localCa) throw new Error('No local CA: start the endpoint with a generated certificate first.');
    return issueCertificate(this.localCa, {
      commonName: identity,
      kind: 'client',
      keyKind: this.options.keyKind ?? 'rsa',
    });
  }

  private async createTlsServer(settings: EndpointSettings): Promise<HttpServer> {
    const tls = settings.tls ?? {};
    let cert: string;
    let key: string;
    if (tls.certFile && tls.keyFile && !tls.generateCertificate) {
      cert = await readFile(tls.certFile, 'utf8');
      key = await readFile(tls.keyFile, 'utf8');
    } else {
      const keyKind = this.options.keyKind ?? 'rsa';
      this.localCa ??= await generateCa({ commonName: 'OCPP Scope local CA', keyKind, days: 3650 });
      const names = certificateNames(settings.host);
      const leaf = await issueCertificate(this.localCa, {
        commonName: names.dnsNames[1] ?? 'localhost',
        kind: 'server',
        keyKind,
        ...names,
      });
      cert = leaf.certPem + this.localCa.certPem;
      key = leaf.keyPem;
    }
    const ca = tls.caFile ? await readFile(tls.caFile, 'utf8') : this.localCa?.certPem;
    return createHttpsServer({
      cert,
      key,
      ...(ca ? { ca } : {}),
      requestCert: settings.securityProfile === 3,
      // Verification is ours to judge: a refused client certificate is recorded with its chain, then answered 403.
      rejectUnauthorized: false,
    }) as unknown as HttpServer;
  }

  private baseRecord(req: IncomingMessage, request: HttpHead): HandshakeRecord {
    const s = req.socket;
    const record: HandshakeRecord = { request, offeredProtocols: offeredProtocols(request), findings: [] };
    const remote = socketAddress(s.remoteAddress, s.remotePort);
    const local = socketAddress(s.localAddress, s.localPort);
    if (remote) record.remote = remote;
    if (local) record.local = local;
    if ((s as TLSSocket).encrypted) record.tls = tlsFacts(s as TLSSocket);
    return record;
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    // A module-level no-op: an arrow here would keep this whole scope (request, head) alive with the socket.
    socket.on('error', ignore);
    const settings = this.settings;
    const wss = this.wss;
    if (!settings || !wss) {
      socket.destroy();
      return;
    }
    const request = requestHead(req);
    const record = this.baseRecord(req, request);
    const findings = record.findings;
    const identity = identityOfPath(req.url ?? '/');
    const url = `${record.tls ? 'wss' : 'ws'}://${headerValue(request, 'host') ?? ''}${req.url ?? '/'}`;
    const connection = new Connection({
      id: this.hub.nextId(),
      role: 'endpoint',
      identity,
      url,
      stream: this.hub.stream,
      setup: this.setups.of({
        answers: this.hub.answers,
        pingIntervalSec: settings.pingIntervalSec,
        callTimeoutSec: settings.callTimeoutSec,
        limits: settings.limits,
        observers: this.hub.observers,
      }),
    });
    const refuse = (r: Rejection, version?: OcppVersion): void => {
      record.response = writeRejection(socket, r);
      if (!this.recordedInFull(record)) return;
      connection.opened(record, undefined, version);
      this.hub.add(connection);
    };

    const admission = admitUpgrade({
      method: req.method,
      request,
      identity,
      offeredProtocols: record.offeredProtocols,
      tls: record.tls,
      serving: this.live.size + this.liveProxies.size,
      settings,
    });
    findings.push(...admission.findings);
    if (admission.basicAuth) record.basicAuth = admission.basicAuth;
    if (admission.kind === 'refuse') return refuse(admission.rejection);
    if (admission.kind === 'proxy' && settings.upstream)
      return this.proxyUpgrade(
        req,
        socket,
        head,
        record,
        connection.id,
        identity,
        url,
        settings,
        settings.upstream,
      );
    const version = admission.kind === 'accept' ? admission.version : undefined;
    const chosen = admission.kind === 'accept' ? admission.chosenProtocol : undefined;
    if (chosen) record.chosenProtocol = chosen;
    this.refusals.set(req, (status, message) => {
      findings.push({
        code: 'upgrade-refused',
        severity: 'error',
        message: `The upgrade was refused: ${message}`,
      });
      refuse({ status, reason: 'upgrade', body: `${message}\n` });
    });
    const upgrade = (): void => {
      try {
        const opts = wss.options as { handleProtocols?: (set: Set<string>) => string | false };
        opts.handleProtocols = () => chosen ?? false;
        wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          const sent = this.responseHeads.get(req);
          if (sent) record.response = { ...parseHeadText(sent.join('\r\n')), status: 101 };
          this.adopt(connection, record, ws, version);
          settle(socket);
        });
      } catch (error) {
        findings.push({
          code: 'upgrade-failed',
          severity: 'error',
          message: `The upgrade failed: ${(error as Error).message}`,
        });
        refuse({ status: 400, reason: 'upgrade', body: 'Upgrade failed.\n' });
      }
    };
    // The first charger of a version is accepted once that version's schemas are compiled: no frame of any
    // connection then waits for a schema to compile (see schema-warmup.ts).
    if (version === undefined || schemasWarm(version)) upgrade();
    else void warmSchemas([version]).then(() => (socket.destroyed ? undefined : upgrade()));
  }

  /**
   * Kept out of onUpgrade on purpose: a closure created there would share its scope, and so keep the request and
   * socket objects alive for as long as the connection lives.
   */
  private adopt(
    connection: Connection,
    record: HandshakeRecord,
    ws: WebSocket,
    version: OcppVersion | undefined,
  ): void {
    this.live.add(connection);
    connection.on('closed', this.gone);
    this.hub.add(connection);
    connection.opened(record, ws, version);
  }

  /**
   * Proxy mode: our handshake upstream first (offering what the charger offered, with its Authorization or the
   * configured one), then the charger's: accepted with the upstream's subprotocol, or refused as the upstream
   * refused us (same status; 502/504 when the upstream could not be reached at all).
   */
  private proxyUpgrade(
    req: IncomingMessage,
    socket: Socket,
    head: Buffer,
    record: HandshakeRecord,
    id: string,
    identity: string,
    url: string,
    settings: EndpointSettings,
    upstream: UpstreamSettings,
  ): void {
    const target = upstreamTarget(upstream.url, req.url ?? '/');
    const proxy = new ProxyConnection({
      id,
      identity,
      url,
      upstreamUrl: target,
      stream: this.hub.stream,
      callTimeoutSec: settings.callTimeoutSec,
      maxFramesPerSec: settings.limits.maxFramesPerSec,
      observers: this.hub.observers,
      ...(upstream.hold ? { hold: upstream.hold } : {}),
    });
    this.liveProxies.add(proxy);
    proxy.once('closed', () => this.liveProxies.delete(proxy));
    this.hub.addProxy(proxy);
    const headers: [string, string][] = [];
    const auth = upstream.basicAuth
      ? basicAuthHeader(upstream.basicAuth.username, upstream.basicAuth.password)
      : headerValue(record.request, 'authorization');
    if (auth !== undefined) headers.push(['Authorization', auth]);
    let chargerGone = false;
    const gone = (): void => {
      chargerGone = true;
    };
    socket.once('close', gone);
    // As for an endpoint charger: the versions it may speak are compiled before its first frame can arrive.
    const offered = record.offeredProtocols
      .map((p) => versionOfSubprotocol(p))
      .filter((v) => v !== undefined);
    void warmSchemas(offered)
      .then(() =>
        clientHandshake(
          {
            url: target,
            offered: record.offeredProtocols,
            headers,
            ...(upstream.tls ? { tls: upstream.tls } : {}),
            handshakeTimeoutSec: 10,
            maxFrameBytes: settings.limits.maxFrameBytes,
          },
          (ws, up) => proxy.upstreamOpened(up, ws, versionOfSubprotocol(ws.protocol)),
        ),
      )
      .then((result) => {
        socket.off('close', gone);
        const wss = this.wss;
        if (!result.ws) {
          proxy.upstreamOpened(result.record, undefined, undefined);
          const f = result.record.failure;
          record.findings.push({
            code: 'upstream-refused',
            severity: 'error',
            message: `The upstream CSMS ${target} did not accept the connection${f ? `: ${f.message}` : ''}`,
          });
          if (f) record.failure = f;
          record.response = writeRejection(socket, upstreamRejection(result.record));
          proxy.chargerOpened(record, undefined);
          return;
        }
        if (chargerGone || socket.destroyed || !wss) {
          record.failure = {
            stage: 'http',
            code: 'connection-reset',
            message: 'The charger hung up while the upstream connection was being made.',
          };
          record.findings.push({
            code: 'connection-reset',
            severity: 'error',
            message: record.failure.message,
          });
          socket.destroy();
          proxy.chargerOpened(record, undefined);
          return;
        }
        const chosen = result.ws.protocol;
        if (chosen) record.chosenProtocol = chosen;
        this.refusals.set(req, (status, message) => {
          record.findings.push({
            code: 'upgrade-refused',
            severity: 'error',
            message: `The upgrade was refused: ${message}`,
          });
          record.response = writeRejection(socket, { status, reason: 'upgrade', body: `${message}\n` });
          proxy.chargerOpened(record, undefined);
        });
        try {
          const opts = wss.options as { handleProtocols?: (set: Set<string>) => string | false };
          opts.handleProtocols = () => chosen || false;
          wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
            const sent = this.responseHeads.get(req);
            if (sent) record.response = { ...parseHeadText(sent.join('\r\n')), status: 101 };
            proxy.chargerOpened(record, ws);
          });
        } catch (error) {
          record.findings.push({
            code: 'upgrade-failed',
            severity: 'error',
            message: `The upgrade failed: ${(error as Error).message}`,
          });
          record.response = writeRejection(socket, {
            status: 400,
            reason: 'upgrade',
            body: 'Upgrade failed.\n',
          });
          proxy.chargerOpened(record, undefined);
        }
      })
      .catch((error: unknown) => {
        // A bug in the lines above must not end the process as an unhandled rejection: record it, drop the charger.
        internalError(this.hub.stream, id, error);
        socket.destroy();
      });
  }

  /** ws refused an upgrade during handleUpgrade: record it on the attempt's own record, or on a fresh one. */
  private onWsRefusal(error: Error, socket: Socket, req: IncomingMessage): void {
    const status = Number((error as { statusCode?: number }).statusCode ?? 400);
    const known = this.refusals.get(req);
    this.refusals.delete(req);
    if (known) return known(status, error.message);
    const record = this.baseRecord(req, requestHead(req));
    record.findings.push({
      code: 'upgrade-refused',
      severity: 'error',
      message: `The upgrade was refused: ${error.message}`,
    });
    record.response = writeRejection(socket, { status, reason: 'upgrade', body: `${error.message}\n` });
    this.recordFailure(req, record);
  }

  /** A plain HTTP request: a browser, a health check, or an upgrade without `Connection: Upgrade`. */
  private onPlainRequest(req: IncomingMessage, res: ServerResponse): void {
    const request = requestHead(req);
    const record = this.baseRecord(req, request);
    const upgrade = headerValue(request, 'upgrade');
    if (upgrade && upgrade.toLowerCase() === 'websocket')
      record.findings.push({
        code: 'missing-connection-upgrade',
        severity: 'error',
        message:
          'The request has "Upgrade: websocket" but no "Connection: Upgrade" header, so it cannot be upgraded.',
      });
    else
      record.findings.push({
        code: 'not-websocket',
        severity: 'warning',
        message: 'A plain HTTP request (no WebSocket upgrade): chargers must connect with ws:// or wss://.',
      });
    const body =
      'This is an OCPP WebSocket endpoint: connect with ws:// or wss:// and an OCPP subprotocol.\n';
    const status = 426;
    const headers: [string, string][] = [
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade, close'],
      ['Content-Type', 'text/plain; charset=utf-8'],
      ['Content-Length', String(Buffer.byteLength(body))],
    ];
    res.writeHead(status, STATUS_TEXT[status], headers.flat());
    res.end(body);
    record.response = { startLine: `HTTP/1.1 ${status} ${STATUS_TEXT[status]}`, headers, status, body };
    this.recordFailure(req, record);
  }

  /** `url`: what the client dialled when known without a request (a TLS attempt names its SNI host). */
  private recordFailure(
    req: IncomingMessage | undefined,
    record: HandshakeRecord,
    url?: string,
    counted = true,
  ): void {
    if (counted && !this.recordedInFull(record)) return;
    const settings = this.settings;
    const target = req?.url ?? '/';
    const c = new Connection({
      id: this.hub.nextId(),
      role: 'endpoint',
      identity: identityOfPath(target),
      url: url ?? target,
      stream: this.hub.stream,
      setup: this.setups.of({
        answers: this.hub.answers,
        pingIntervalSec: 0,
        callTimeoutSec: 0,
        limits: settings?.limits ?? DEFAULT_ENDPOINT_SETTINGS.limits,
        observers: undefined,
      }),
    });
    c.opened(record, undefined, undefined);
    this.hub.add(c);
  }

  /** Counts a refused attempt of its address's episode: false when a flood is only counted from here on. */
  private recordedInFull(record: HandshakeRecord): boolean {
    const reason =
      record.failure?.code ?? record.findings.find((f) => f.severity === 'error')?.code ?? 'refused';
    return this.flood?.admit(record.remote?.address ?? 'unknown', reason) ?? true;
  }

  /** The rest of a flood of refused attempts from one address: one record, with counts by reason. */
  private recordRefusalEpisode(e: RefusalEpisode): void {
    this.recordEpisode(
      e.address,
      'http',
      'refused-attempts-counted',
      'refused-attempts-counted',
      describeRefusals(e),
    );
  }

  /** Sockets from one address closed before their upgrade (idle, slow, or crowded out): one record, with counts. */
  private recordSocketEpisode(e: SocketEpisode): void {
    this.recordEpisode(
      e.address,
      'tcp',
      'handshake-timeout',
      'sockets-closed-before-upgrade',
      describeEpisode(e),
    );
  }

  /** One record standing for many events from an address (never itself counted as a refusal). */
  private recordEpisode(
    address: string,
    stage: HandshakeFailure['stage'],
    failureCode: string,
    findingCode: string,
    message: string,
  ): void {
    const record: HandshakeRecord = {
      request: { startLine: '', headers: [] },
      offeredProtocols: [],
      findings: [{ code: findingCode, severity: 'warning', message }],
      remote: { address, port: 0 },
      failure: { stage, code: failureCode, message },
    };
    this.recordFailure(undefined, record, undefined, false);
  }

  private onClientError(error: Error & { code?: string }, socket: Socket): void {
    if ((socket as TLSSocket).encrypted && !/^HPE_/.test(error.code ?? '')) {
      // TLS done, then gone before any request: typical of a client that checked our certificate and refused it.
      this.onTlsError(error, socket as TLSSocket);
      if (!socket.destroyed) socket.destroy();
      return;
    }
    const record = preRequestRecord(socket);
    const raw = (error as { rawPacket?: unknown }).rawPacket;
    const hello = raw instanceof Uint8Array ? readClientHello(raw) : undefined;
    if (hello) {
      this.recordTlsToPlain(record, socket, hello.serverName);
      return;
    }
    const reset = error.code === 'ECONNRESET';
    record.failure = {
      stage: 'http',
      code: reset ? 'connection-reset' : 'http-malformed',
      message: reset
        ? 'The client connected and hung up before sending a complete request.'
        : 'The charger sent something that is not a valid HTTP request.',
      detail: `${error.code ?? ''} ${error.message}`.trim(),
    };
    record.findings.push({ code: record.failure.code, severity: 'error', message: record.failure.message });
    if (socket.writable && !reset) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
    this.recordFailure(undefined, record);
  }

  /** A charger that dialled wss:// at this plain endpoint: its first bytes were a TLS ClientHello, not a request. */
  private recordTlsToPlain(record: HandshakeRecord, socket: Socket, sni: string | undefined): void {
    record.failure = {
      stage: 'tls',
      code: 'tls-to-plain-endpoint',
      message:
        'The charger started TLS (a wss:// URL) but this endpoint speaks plain ws://: use ws:// in the charger, or security profile 2 or 3 here.',
    };
    if (sni) record.tls = { peerChain: [], servername: sni };
    record.findings.push({ code: record.failure.code, severity: 'error', message: record.failure.message });
    socket.destroy();
    this.recordFailure(undefined, record, tlsAttemptUrl(sni, socket, this.current));
  }

  /** Sockets whose failed TLS attempt is recorded: Node reports one attempt both as tlsClientError and clientError. */
  private readonly tlsRecorded = new WeakSet<Socket>();

  private onTlsError(error: Error & { code?: string }, socket: TLSSocket): void {
    if (this.tlsRecorded.has(socket)) return;
    this.tlsRecorded.add(socket);
    const record = preRequestRecord(socket);
    const code = error.code ?? '';
    const untrusted = /ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN)/.test(code);
    const hungUp = code === 'ECONNRESET' || code === 'EPIPE';
    record.failure = {
      stage: 'tls',
      code: untrusted
        ? 'tls-peer-rejected-certificate'
        : hungUp
          ? 'tls-peer-hung-up'
          : 'tls-handshake-failed',
      message: untrusted
        ? 'The charger refused our server certificate: install the CA shown here in the charger, or check its name and dates.'
        : hungUp
          ? 'The charger closed the connection during or right after TLS, before any request: it probably does not trust our certificate (install the CA shown here).'
          : 'The TLS handshake with the charger failed.',
      detail: `${code} ${error.message}`.trim(),
    };
    if (socket.encrypted) record.tls = tlsFacts(socket);
    // The path (and so the identity) is encrypted and never came; the SNI host is the name the charger dialled.
    const sni =
      typeof socket.servername === 'string' && socket.servername !== '' ? socket.servername : undefined;
    if (sni) record.tls = { ...(record.tls ?? { peerChain: [] }), servername: sni };
    record.findings.push({ code: record.failure.code, severity: 'error', message: record.failure.message });
    this.recordFailure(undefined, record, tlsAttemptUrl(sni, socket, this.current));
  }
}

function ignore(): void {}

/**
 * What an upgraded charger's socket no longer needs, let go (a connection lives for hours, ten thousand at once):
 * our interim error listener (ws has its own from the upgrade on) and the addresses the handshake record read.
 */
function settle(socket: Socket): void {
  socket.removeListener('error', ignore);
  forgetSocketAddresses(socket);
}

/** Writes an HTTP refusal on the raw upgrade socket and returns exactly what was sent. */
function writeRejection(socket: Socket, r: Rejection): HttpResponseHead {
  const reason = r.statusText ?? STATUS_TEXT[r.status] ?? 'Error';
  const headers: [string, string][] = [
    ...(r.headers ?? []),
    ['Content-Type', 'text/plain; charset=utf-8'],
    ['Content-Length', String(Buffer.byteLength(r.body))],
    ['Connection', 'close'],
  ];
  const startLine = `HTTP/1.1 ${r.status} ${reason}`;
  if (socket.writable) {
    socket.end(`${startLine}\r\n${headers.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n${r.body}`);
    socket.once('finish', () => socket.destroy());
  } else socket.destroy();
  return { startLine, headers, status: r.status, body: r.body };
}

/** `<base>/<last segment of the charger's path>`, the segment kept exactly as the charger wrote it (encoded). */
export function upstreamTarget(base: string, chargerTarget: string): string {
  const path = chargerTarget.split('?')[0] ?? '';
  const segment = path.slice(path.lastIndexOf('/') + 1);
  return `${base.replace(/\/+$/, '')}/${segment}`;
}

/** What the charger is told when the upstream did not accept us: its own status when it answered, else 502/504. */
function upstreamRejection(up: HandshakeRecord): Rejection {
  const res = up.response;
  if (res && res.status !== 101 && res.status >= 200 && res.status <= 599) {
    const text = res.startLine.replace(/^HTTP\/\S+\s+\d+\s*/, '');
    const challenge = headerValues(res, 'www-authenticate').map((v): [string, string] => [
      'WWW-Authenticate',
      v,
    ]);
    return {
      status: res.status,
      ...(text ? { statusText: text } : {}),
      reason: 'upstream',
      headers: challenge,
      body: res.body ?? '',
    };
  }
  const timeout = /-timeout$/.test(up.failure?.code ?? '');
  return {
    status: timeout ? 504 : 502,
    reason: 'upstream',
    body: `The upstream CSMS could not be reached: ${up.failure?.message ?? 'unknown failure'}\n`,
  };
}

function describeListenError(error: unknown, settings: EndpointSettings): string {
  const e = error as { code?: string; message?: string };
  if (e.code === 'EADDRINUSE')
    return `Port ${settings.port} is already in use on ${settings.host}: pick another port or stop the other program.`;
  if (e.code === 'EACCES')
    return `Not allowed to listen on port ${settings.port} (ports below 1024 need privileges).`;
  if (e.code === 'EADDRNOTAVAIL') return `${settings.host} is not an address of this computer.`;
  return e.message ?? String(error);
}

/** The record of a connection that failed before (or without) a complete HTTP request: only the peer is known. */
/** wss://<SNI host or the address it reached>:<port>/ for a TLS attempt that never sent its request. */
function tlsAttemptUrl(sni: string | undefined, socket: Socket, listening: EndpointStatus): string {
  // A socket already torn down has forgotten its local address: the endpoint's own is where it connected.
  const local = socket.localAddress ?? listening.host ?? '';
  const port = socket.localPort ?? listening.port;
  const host = sni ?? (local.includes(':') ? `[${local}]` : local);
  return `wss://${host}${port ? `:${port}` : ''}/`;
}

function preRequestRecord(socket: Socket): HandshakeRecord {
  const record: HandshakeRecord = {
    request: { startLine: '', headers: [] },
    offeredProtocols: [],
    findings: [],
  };
  const remote = socketAddress(socket.remoteAddress, socket.remotePort);
  if (remote) record.remote = remote;
  return record;
}

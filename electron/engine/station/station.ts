import { readFile } from 'node:fs/promises';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { LookupFunction, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import type { StationSettings } from '../../../shared/api';
import type { HandshakeFailure, HandshakeRecord, TlsFacts } from '../../../shared/capture/events';
import { SUBPROTOCOL_OF, versionOfSubprotocol } from '../../../shared/ocpp/versions';
import { Connection } from '../connections/connection';
import type { ConnectionLimits } from '../connections/connection';
import { warmSchemas } from '../connections/schema-warmup';
import type { ConnectionHub } from '../connections/connection-hub';
import { ConnectionSetups } from '../connections/connection-setup';
import {
  diagnoseHttpStatus,
  diagnoseSocketError,
  noSubprotocol,
  unexpectedSubprotocol,
} from '../connections/diagnose';
import {
  basicAuthHeader,
  chosenProtocol,
  identityOfPath,
  parseHeadText,
} from '../../../shared/capture/http-upgrade';
import { pairRawHeaders, socketAddress } from '../connections/http-head';
import { forgetSocketAddresses } from '../connections/socket-addresses';
import { peerChain, tlsFacts } from '../tls/tls-facts';
import { attachSimulator, simulatedOf } from '../simulation/simulated-station';
import type { SimulationDeps } from '../simulation/simulated-station';
import { SharedAttempts, StationLink } from './station-link';
import type { LinkAttempts } from './station-link';

export interface StationOptions {
  /** How long the whole opening handshake (DNS, TCP, TLS, HTTP) may take. */
  handshakeTimeoutSec?: number;
  maxFrameBytes?: number;
  maxFramesPerSec?: number;
  /** Name resolution, as for net.connect (tests stand in for DNS here: they may not query real resolvers). */
  lookup?: LookupFunction;
  /** For settings with a simulator: the shared scheduler and file client (defaults: one per process, http://). */
  simulation?: SimulationDeps;
}

const BODY_LIMIT = 16_384;

interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * The tool as a charging station: connects to a CSMS URL, records our request and the server's whole answer, and
 * explains a failure in one line (see diagnose.ts). With reconnect on, the same Connection retries with backoff
 * (1 s doubling up to maxDelaySec), and every attempt is its own `opened` event.
 */
export class Station implements LinkAttempts {
  /** One object for all of this station's connections (a fleet makes thousands). */
  private readonly limits: ConnectionLimits;
  /** What this station's connections have alike (a fleet's ten thousand share a few objects). */
  private readonly setups = new ConnectionSetups();
  private readonly attemptSettings = new SharedAttempts();

  constructor(
    private readonly hub: ConnectionHub,
    private readonly options: StationOptions = {},
  ) {
    this.limits = {
      maxFrameBytes: options.maxFrameBytes ?? 10_485_760,
      maxFramesPerSec: options.maxFramesPerSec ?? 0,
    };
  }

  /** Resolves after the first attempt: the connection is then open, or failed with `connection.failure`. */
  async connect(settings: StationSettings): Promise<Connection> {
    let identity = '';
    try {
      identity = identityOfPath(new URL(settings.url).pathname);
    } catch {
      // reported by the attempt
    }
    const connection = new Connection({
      id: this.hub.nextId(),
      role: 'station',
      identity,
      url: settings.url,
      stream: this.hub.stream,
      setup: this.setups.of({
        answers: this.hub.answers,
        pingIntervalSec: settings.pingIntervalSec ?? 0,
        callTimeoutSec: settings.callTimeoutSec ?? 30,
        limits: this.limits,
        observers: this.hub.observers,
      }),
    });
    this.hub.add(connection);
    const link = new StationLink(connection, settings, this.attemptSettings.of(settings), this.hub, this);
    if (settings.simulator) attachSimulator(connection, settings, link, this.options.simulation);
    const ok = await this.attempt(connection, settings);
    if (!ok) link.schedule();
    return connection;
  }

  /** One connection attempt; resolves true when the WebSocket is open. */
  async attempt(connection: Connection, settings: StationSettings): Promise<boolean> {
    const headers: [string, string][] = [...(settings.headers ?? [])];
    if (settings.basicAuth)
      headers.push([
        'Authorization',
        basicAuthHeader(settings.basicAuth.username, settings.basicAuth.password),
      ]);
    // The versions we offer are compiled before any frame can come: none of them then waits for a schema.
    await warmSchemas(settings.protocols);
    // A simulated station presents the certificate its CSMS installed (CertificateSigned), as a charger does.
    const installed = await simulatedOf(connection)?.model?.clientCertificate();
    const result = await clientHandshake(
      {
        url: settings.url,
        offered: settings.protocols.map((v) => SUBPROTOCOL_OF[v]),
        headers,
        ...(settings.tls ? { tls: settings.tls } : {}),
        ...(installed ? { clientCertificate: installed } : {}),
        handshakeTimeoutSec: this.options.handshakeTimeoutSec ?? 10,
        maxFrameBytes: this.options.maxFrameBytes ?? 10_485_760,
        ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
      },
      // Bound inside ws's 'open' handler: a frame right behind the 101 must find its listener.
      (ws, record) => connection.opened(record, ws, versionOfSubprotocol(ws.protocol)),
    );
    if (!result.ws) connection.opened(result.record, undefined, undefined);
    return result.ws !== undefined;
  }
}

export interface ClientHandshakeOptions {
  url: string;
  /** Exactly the subprotocols to offer, in order (a proxy offers what its charger offered). */
  offered: string[];
  /** Extra request headers, Authorization included, in order. */
  headers: [string, string][];
  tls?: StationSettings['tls'];
  /** A client certificate and key (PEM) that replace those of `tls` (a simulated station's installed one). */
  clientCertificate?: { cert: string; key: string };
  handshakeTimeoutSec: number;
  maxFrameBytes: number;
  lookup?: LookupFunction;
}

export interface ClientHandshakeResult {
  record: HandshakeRecord;
  /** Set when the WebSocket is open. */
  ws?: WebSocket;
}

/**
 * One WebSocket client handshake, recorded: our request and the server's whole answer, and on failure a one-line
 * diagnosis (see diagnose.ts). `onOpen` runs synchronously in ws's 'open' handler, so the caller can attach its
 * message listener before any frame is delivered. Used by the station and by the proxy's upstream leg.
 */
export async function clientHandshake(
  o: ClientHandshakeOptions,
  onOpen: (ws: WebSocket, record: HandshakeRecord) => void,
): Promise<ClientHandshakeResult> {
  const offered = o.offered;
  const fail = (record: HandshakeRecord, failure: HandshakeFailure): ClientHandshakeResult => {
    record.failure = failure;
    record.findings.push({ code: failure.code, severity: 'error', message: failure.message });
    return { record };
  };
  const emptyRecord = (): HandshakeRecord => ({
    request: { startLine: `GET ${o.url} HTTP/1.1`, headers: [] },
    offeredProtocols: offered,
    findings: [],
  });
  let url: URL;
  try {
    url = new URL(o.url);
  } catch (error) {
    return fail(emptyRecord(), {
      stage: 'url',
      code: 'url-invalid',
      message: `"${o.url}" is not a valid URL: it should look like ws://host:port/path/identity.`,
      detail: (error as Error).message,
    });
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    return fail(emptyRecord(), {
      stage: 'url',
      code: 'url-scheme',
      message: `The URL starts with ${url.protocol}// but OCPP needs ws:// or wss://.`,
    });
  const secure = url.protocol === 'wss:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  let material: TlsMaterial = {};
  try {
    material = { ...(await loadTls(o.tls)), ...o.clientCertificate };
  } catch (error) {
    return fail(emptyRecord(), {
      stage: 'tls',
      code: 'tls-files',
      message: `A certificate or key file could not be read: ${(error as Error).message}`,
    });
  }
  const insecure = o.tls?.allowInsecure === true;
  const headers: Record<string, string> = {};
  for (const [n, v] of o.headers) headers[n] = v;
  const timeoutSec = o.handshakeTimeoutSec;

  return new Promise<ClientHandshakeResult>((resolve) => {
    const record = emptyRecord();
    if (secure && insecure)
      record.findings.push({
        code: 'tls-insecure',
        severity: 'warning',
        message: 'Certificate checks are switched off (allow insecure): the server is not verified.',
      });
    let tcpConnected = false;
    let tlsDone = false;
    let settled = false;
    let response: IncomingMessage | undefined;
    let ws: WebSocket;
    try {
      ws = new WebSocket(o.url, offered, {
        perMessageDeflate: false,
        maxPayload: o.maxFrameBytes,
        skipUTF8Validation: true,
        followRedirects: false,
        headers,
        ...(o.lookup ? { lookup: o.lookup } : {}),
        ...(secure ? { ...material, rejectUnauthorized: !insecure } : {}),
      });
    } catch (error) {
      // ws refuses subprotocol lists it cannot send (invalid tokens, duplicates) before connecting.
      resolve(
        fail(record, {
          stage: 'url',
          code: 'bad-request-options',
          message: `The connection could not be attempted: ${(error as Error).message}.`,
        }),
      );
      return;
    }
    // Our own deadline, not ws's handshakeTimeout: that one is a timer on the socket which, though cleared at the
    // upgrade, stays referenced by the socket (and refreshed on every read) for as long as the connection lives.
    let timedOut = false;
    const deadline =
      timeoutSec > 0
        ? setTimeout(() => {
            timedOut = true;
            ws.terminate();
          }, timeoutSec * 1000)
        : undefined;
    const req = (ws as unknown as { _req?: ClientRequest })._req;
    const captureRequest = (): void => {
      const raw = (req as unknown as { _header?: string } | undefined)?._header;
      if (typeof raw === 'string' && raw !== '') record.request = parseHeadText(raw);
    };
    captureRequest();
    /** The socket's handshake listeners: removed when done, else they (and all the handshake held) live as long. */
    let unwatch: (() => void) | undefined;
    req?.once('socket', (socket: Socket) => {
      const onConnect = (): void => {
        tcpConnected = true;
        const local = socketAddress(socket.localAddress, socket.localPort);
        const remote = socketAddress(socket.remoteAddress, socket.remotePort);
        if (local) record.local = local;
        if (remote) record.remote = remote;
      };
      const onSecure = (): void => {
        tlsDone = true;
        tcpConnected = true;
      };
      socket.once('connect', onConnect);
      socket.once('secureConnect', onSecure);
      unwatch = () => {
        socket.removeListener('connect', onConnect);
        socket.removeListener('secureConnect', onSecure);
      };
    });
    const done = (r: ClientHandshakeResult): void => {
      if (settled) return;
      settled = true;
      // An open socket lives long (a fleet holds thousands): drop what only the handshake needed, the HTTP answer
      // above all, so the listeners below no longer keep it alive.
      response = undefined;
      clearTimeout(deadline);
      unwatch?.();
      unwatch = undefined;
      if (r.ws) {
        dropHandshakeListeners(r.ws);
        const socket = (r.ws as unknown as { _socket?: Socket })._socket;
        if (socket) forgetSocketAddresses(socket);
      }
      resolve(r);
    };
    const recordResponse = (res: IncomingMessage): void => {
      response = res;
      record.response = {
        startLine: `HTTP/${res.httpVersion} ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trimEnd(),
        headers: pairRawHeaders(res.rawHeaders),
        status: res.statusCode ?? 0,
      };
      const sock = res.socket as TLSSocket | null;
      if (sock && (sock as TLSSocket).encrypted) record.tls = tlsFacts(sock, secure ? insecure : undefined);
      if (!record.local && sock) {
        const local = socketAddress(sock.localAddress, sock.localPort);
        const remote = socketAddress(sock.remoteAddress, sock.remotePort);
        if (local) record.local = local;
        if (remote) record.remote = remote;
      }
    };
    ws.on('upgrade', (res: IncomingMessage) => {
      captureRequest();
      recordResponse(res);
      const chosen = chosenProtocol(record.response);
      if (chosen !== undefined) record.chosenProtocol = chosen;
    });
    ws.on('unexpected-response', (r: ClientRequest, res: IncomingMessage) => {
      captureRequest();
      recordResponse(res);
      const chunks: Buffer[] = [];
      let size = 0;
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        if (record.response) record.response.body = Buffer.concat(chunks).toString('utf8');
        r.destroy();
        ws.terminate();
        const status = res.statusCode ?? 0;
        done(
          fail(
            record,
            diagnoseHttpStatus(status, res.statusMessage ?? '', material.cert !== undefined, {
              body: record.response?.body ?? '',
              secure,
            }),
          ),
        );
      };
      res.on('data', (chunk: Buffer) => {
        if (size < BODY_LIMIT) chunks.push(chunk.subarray(0, BODY_LIMIT - size));
        size += chunk.length;
        if (size >= BODY_LIMIT) finish();
      });
      res.once('end', finish);
      res.once('error', finish);
      res.once('close', finish);
    });
    const dropHandshakeListeners = (open: WebSocket): void => {
      open.removeAllListeners('upgrade');
      open.removeAllListeners('unexpected-response');
      open.removeListener('error', onHandshakeError);
    };
    ws.once('open', () => {
      if (settled) return;
      if (!record.chosenProtocol && ws.protocol) record.chosenProtocol = ws.protocol;
      // Before the connection adds its own: with none left, ws's listener table starts afresh (Node makes a new
      // one when the last listener goes), instead of keeping the room the handshake's listeners grew it to.
      dropHandshakeListeners(ws);
      onOpen(ws, record);
      done({ record, ws });
    });
    ws.on('error', onHandshakeError);
    function onHandshakeError(error: Error & { code?: string }): void {
      if (settled) return;
      captureRequest();
      const chosen = response ? chosenProtocol(record.response) : undefined;
      if (response?.statusCode === 101) {
        if (error.message.includes('no subprotocol')) return done(fail(record, noSubprotocol(offered)));
        if (typeof chosen === 'string' && !offered.includes(chosen))
          return done(fail(record, unexpectedSubprotocol(chosen, offered)));
        return done(
          fail(record, {
            stage: 'http',
            code: 'bad-upgrade-response',
            message: `The server's 101 answer is not a valid WebSocket upgrade: ${error.message}.`,
          }),
        );
      }
      const code = timedOut ? 'handshake-timeout' : error.code;
      const failure = diagnoseSocketError(
        { code, message: timedOut ? 'Opening handshake has timed out' : error.message },
        {
          host,
          port,
          tcpConnected,
          tlsDone,
          secure,
          timeoutSec,
          clientCertificate: material.cert !== undefined,
        },
      );
      if (failure.stage !== 'tls') return done(fail(record, failure));
      // The failed handshake hid the chain: look again without verifying, only to show what the server presents.
      void probeChain(host, port, material, timeoutSec).then((facts) => {
        if (facts)
          record.tls = { ...facts, authorized: false, authorizationError: error.code ?? error.message };
        done(fail(record, failure));
      });
    }
  });
}

async function loadTls(t: StationSettings['tls']): Promise<TlsMaterial> {
  const out: TlsMaterial = {};
  if (!t) return out;
  if (t.caFile) out.ca = await readFile(t.caFile, 'utf8');
  if (t.certFile) out.cert = await readFile(t.certFile, 'utf8');
  if (t.keyFile) out.key = await readFile(t.keyFile, 'utf8');
  return out;
}

function probeChain(
  host: string,
  port: number,
  m: TlsMaterial,
  timeoutSec: number,
): Promise<TlsFacts | undefined> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host,
      port,
      ...(isIP(host) ? {} : { servername: host }),
      rejectUnauthorized: false,
      ...m,
    });
    const timer = setTimeout(() => finish(undefined), Math.min(5, timeoutSec) * 1000);
    function finish(facts: TlsFacts | undefined): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(facts);
    }
    socket.once('secureConnect', () => finish({ ...tlsFacts(socket), peerChain: peerChain(socket) }));
    socket.once('error', () => finish(undefined));
  });
}

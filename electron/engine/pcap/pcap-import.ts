import { annotateFrames } from '../../../shared/capture/annotate';
import {
  chosenProtocol,
  headerValue,
  parseHeadText,
  readUpgradeRequest,
} from '../../../shared/capture/http-upgrade';
import type { AnnotateOptions } from '../../../shared/capture/annotate';
import type {
  ConnectionInfo,
  Finding,
  FrameEvent,
  HttpHead,
  HttpResponseHead,
  ScopeEvent,
  Sender,
} from '../../../shared/capture/events';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { versionOfSubprotocol } from '../../../shared/ocpp/versions';
import { decodePacket, emptySegment } from './packet';
import type { LateChunks } from './byte-cursor';
import { packetSteps } from './pcap-file';
import { runGivingTurns, runInOneGo } from './run-giving-turns';
import type { FedInput } from './run-giving-turns';
import type { ContainerResult } from './pcap-file';
import { TcpDirection } from './tcp-stream';
import { MAX_INFLATED_IMPORT, WsDecoder } from './ws-decoder';
import type { InflateBudget, WsMessage } from './ws-decoder';

/**
 * pcap/pcapng -> ScopeEvents: every TCP connection that carries a WebSocket upgrade becomes a connection with its
 * opened event (the upgrade request and response as captured), frames, pings and close. Encrypted connections, gaps
 * and compression get findings (as note events on the connection and in the import's findings).
 */

export interface PcapImport {
  events: ScopeEvent[];
  connections: ConnectionInfo[];
  findings: Finding[];
  stats: { packets: number; tcpSegments: number; skipped: Record<string, number>; format: string };
}

/** An event as decoded, before the time order gives it its seq and mono. */
export type Unstamped = ScopeEvent extends infer E
  ? E extends ScopeEvent
    ? Omit<E, 'seq' | 'mono'>
    : never
  : never;

const MAX_HEAD = 64 * 1024;
const NO_FINDINGS: Finding[] = [];
Object.freeze(NO_FINDINGS);
const HTTP_METHODS = /^(GET|POST|PUT|HEAD|OPTIONS|DELETE|PATCH|CONNECT) /;

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function base64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

class Conn {
  readonly toServer: TcpDirection;
  readonly toClient: TcpDirection;
  private reqBuf = '';
  private resBuf = '';
  private request: HttpHead | undefined;
  private reqT = 0;
  private state: 'http' | 'ws' | 'done' = 'http';
  private deflate = false;
  private readonly wsClient: WsDecoder;
  private readonly wsServer: WsDecoder;
  id: string | undefined;
  info: ConnectionInfo | undefined;
  ended = false;

  constructor(
    readonly client: { address: string; port: number; family: 'IPv4' | 'IPv6' },
    readonly server: { address: string; port: number; family: 'IPv4' | 'IPv6' },
    private readonly out: Importer,
    readonly midStream: boolean,
  ) {
    const onMsg = (sender: Sender) => (m: WsMessage) => this.message(sender, m);
    const onFail = (f: Finding) => this.finding(f);
    this.wsClient = new WsDecoder(true, () => this.deflate, onMsg('station'), onFail, out.inflateBudget);
    this.wsServer = new WsDecoder(false, () => this.deflate, onMsg('csms'), onFail, out.inflateBudget);
    this.toServer = new TcpDirection({
      data: (d, t, from, to) => this.clientData(d, t, from, to),
      gap: (n, t) => this.gap('station', n, t),
    });
    this.toClient = new TcpDirection({
      data: (d, t, from, to) => this.serverData(d, t, from, to),
      gap: (n, t) => this.gap('csms', n, t),
    });
  }

  private ensureId(): string {
    if (!this.id) this.id = this.out.nextConnId();
    return this.id;
  }

  finding(f: Finding, t = this.out.lastT): void {
    const conn = this.ensureId();
    this.out.push({ kind: 'note', t, conn, source: 'engine', text: f.message, findings: [f] });
    this.out.findings.push({
      ...f,
      message: `${conn} (${this.client.address}:${this.client.port} -> ${this.server.address}:${this.server.port}): ${f.message}`,
    });
  }

  private gap(sender: Sender, n: number, t: number): void {
    if (this.state === 'ws') (sender === 'station' ? this.wsClient : this.wsServer).gap(n);
    else if (this.state === 'http' && (this.request || this.reqBuf !== '')) {
      // The upgrade itself is incomplete: say so, and stop (what follows cannot be framed reliably).
      this.state = 'done';
      this.finding(
        {
          code: 'pcap-gap',
          severity: 'error',
          message: `${n} byte(s) of the ${sender === 'station' ? 'station' : 'CSMS'} side are missing from the capture during the HTTP upgrade; this connection cannot be decoded.`,
        },
        t,
      );
    }
  }

  private clientData(bytes: Uint8Array, t: number, from: number, to: number): void {
    if (this.state === 'done') return;
    if (this.state === 'ws' && this.request) {
      this.wsClient.push(bytes, t, from, to);
      return;
    }
    const d = bytes.subarray(from, to);
    if (this.request) {
      // Client bytes before the server's 101: keep them for the WebSocket decoder.
      this.pendingClient.push([d, t]);
      return;
    }
    if (this.reqBuf === '' && d[0] === 0x16 && d[1] === 0x03) {
      this.state = 'done';
      this.finding(
        {
          code: 'pcap-tls',
          severity: 'error',
          message:
            'This connection is encrypted with TLS (wss://); its frames cannot be read from a packet capture. Record it with the tool instead (endpoint or proxy).',
        },
        t,
      );
      return;
    }
    this.reqBuf += Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('latin1');
    if (!HTTP_METHODS.test(this.reqBuf.slice(0, 8)) && this.reqBuf.length >= 8) {
      this.state = 'done'; // not HTTP: not ours, and not worth a finding
      return;
    }
    const end = this.reqBuf.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.reqBuf.length > MAX_HEAD) this.state = 'done';
      return;
    }
    const head = parseHeadText(Buffer.from(this.reqBuf.slice(0, end), 'latin1').toString('utf8'));
    if (!/websocket/i.test(headerValue(head, 'upgrade') ?? '')) {
      this.state = 'done';
      return;
    }
    this.request = head;
    this.reqT = t;
    const rest = Buffer.from(this.reqBuf.slice(end + 4), 'latin1');
    this.reqBuf = '';
    if (rest.length > 0) this.pendingClient.push([new Uint8Array(rest), t]);
  }

  private pendingClient: [Uint8Array, number][] = [];

  private serverData(bytes: Uint8Array, t: number, from: number, to: number): void {
    if (this.state === 'done') return;
    if (this.state === 'ws') {
      this.wsServer.push(bytes, t, from, to);
      return;
    }
    const d = bytes.subarray(from, to);
    if (!this.request) return; // server talking first: not an upgrade we saw
    this.resBuf += Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('latin1');
    const end = this.resBuf.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.resBuf.length > MAX_HEAD) this.state = 'done';
      return;
    }
    const head = parseHeadText(Buffer.from(this.resBuf.slice(0, end), 'latin1').toString('utf8'));
    const status = Number(/^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(head.startLine)?.[1] ?? 0);
    const rest = Buffer.from(this.resBuf.slice(end + 4), 'latin1');
    this.resBuf = '';
    const response: HttpResponseHead = { ...head, status };
    if (status !== 101 && rest.length > 0) response.body = rest.toString('utf8').slice(0, 4096);
    this.opened(response, t);
    if (status !== 101) {
      this.state = 'done';
      return;
    }
    this.state = 'ws';
    for (const [c, ct] of this.pendingClient) this.wsClient.push(c, ct);
    this.pendingClient = [];
    if (rest.length > 0) this.wsServer.push(new Uint8Array(rest), t);
  }

  private opened(response: HttpResponseHead | undefined, t: number): void {
    const req = this.request!;
    const conn = this.ensureId();
    const upgrade = readUpgradeRequest(req);
    const path = upgrade.target;
    const host = upgrade.host ?? `${this.server.address}:${this.server.port}`;
    const identity = upgrade.identity;
    const offered = upgrade.offeredProtocols;
    const chosen = chosenProtocol(response);
    const version: OcppVersion | undefined = versionOfSubprotocol(chosen);
    this.out.versions.set(conn, version);
    const ext = headerValue(response, 'sec-websocket-extensions') ?? '';
    const findings: Finding[] = [];
    if (/permessage-deflate/i.test(ext)) {
      this.deflate = true;
      findings.push({
        code: 'pcap-permessage-deflate',
        severity: 'info',
        message:
          'permessage-deflate was negotiated: messages are shown inflated (with context takeover) as long as the capture holds the whole connection from its start.',
      });
    }
    this.info = {
      id: conn,
      // Seen from the charger's side of the wire: remote is the CSMS, local the charger (as for HAR imports).
      role: 'station',
      identity,
      url: `ws://${host}${path}`,
      ...(version ? { version } : {}),
    };
    this.out.connections.push(this.info);
    const ok = response?.status === 101;
    this.out.push({
      kind: 'opened',
      t: response ? t : this.reqT,
      conn,
      ok,
      connection: this.info,
      handshake: {
        request: req,
        ...(response ? { response } : {}),
        remote: { ...this.server },
        local: { ...this.client },
        offeredProtocols: offered,
        ...(chosen ? { chosenProtocol: chosen } : {}),
        ...(upgrade.basicAuth ? { basicAuth: upgrade.basicAuth } : {}),
        findings,
        ...(ok
          ? {}
          : {
              failure: response
                ? {
                    stage: 'http' as const,
                    code: 'http-status',
                    message: `The server answered the upgrade with HTTP ${response.status}.`,
                  }
                : {
                    stage: 'http' as const,
                    code: 'no-response',
                    message: 'The capture holds no answer to the upgrade request.',
                  },
            }),
      },
    });
  }

  private message(sender: Sender, m: WsMessage): void {
    const conn = this.ensureId();
    if (m.kind === 'text' || m.kind === 'binary') {
      // Most frames have no findings of their own: they share one frozen empty list (the analysis replaces a
      // frame's list rather than adding to it; anything that tried to would fail loudly, not change every frame).
      const findings = m.findings.length === 0 ? NO_FINDINGS : [...m.findings];
      const text = m.kind === 'text' ? m.text : base64(m.data);
      // seq and mono are stamped at the end: made here already, so stamping a million frames does not grow them.
      // mono starts as a fraction (t), as it ends: a whole number here would make V8 change the layout of every
      // event when the stamps arrive.
      const e: FrameEvent = { kind: 'frame', seq: 0, t: m.t, mono: m.t, conn, sender, text, findings };
      if (m.kind === 'binary') e.binary = true;
      this.out.push(e);
    } else if (m.kind === 'close') {
      if (this.ended) return;
      this.ended = true;
      this.out.push({
        kind: 'closed',
        t: m.t,
        conn,
        code: m.code,
        reason: m.reason,
        by: sender === 'station' ? 'remote' : 'local',
        clean: true,
      });
    } else {
      this.out.push({ kind: m.kind, t: m.t, conn, sender, data: hex(m.data) });
    }
  }

  end(t: number, how: 'fin' | 'rst' | 'eof'): void {
    this.toServer.finish(t);
    this.toClient.finish(t);
    if (this.state === 'ws') {
      this.wsClient.end();
      this.wsServer.end();
    }
    if (this.request && this.state === 'http') {
      this.opened(undefined, t);
      this.state = 'done';
    }
    if (this.id && this.info && !this.ended && how !== 'eof') {
      this.ended = true;
      this.out.push({
        kind: 'closed',
        t,
        conn: this.id,
        code: 1006,
        reason: how === 'rst' ? 'TCP reset' : 'TCP closed without a close frame',
        by: 'none',
        clean: false,
      });
    }
  }
}

class Importer {
  constructor(private readonly sink: PcapEventSink) {}
  readonly connections: ConnectionInfo[] = [];
  readonly findings: Finding[] = [];
  readonly versions = new Map<string, OcppVersion | undefined>();
  /** What permessage-deflate may inflate to in this whole import, across its connections. */
  readonly inflateBudget: InflateBudget = { left: MAX_INFLATED_IMPORT };
  lastT = 0;
  private connCount = 0;

  nextConnId(): string {
    return `pcap-${++this.connCount}`;
  }
  push(e: Unstamped): void {
    this.sink(e);
  }
}

function key(a: string, ap: number, b: string, bp: number): string {
  return `${a}|${ap}|${b}|${bp}`;
}

/**
 * `input`: the file's bytes, whole or chunk by chunk (see fileChunks: a file of any size is read in bounded
 * memory). `annotate`: options of the analysis pipeline the frames go through (behaviour rules).
 */
export function decodePcap(
  input: Uint8Array | Iterable<Uint8Array>,
  annotate: AnnotateOptions = {},
): PcapImport {
  const d = decodePcapFrames(input);
  return {
    events: annotateFrames(d.events, d.versionOf, annotate),
    connections: d.connections,
    findings: d.findings,
    stats: d.stats,
  };
}

/** What decodePcapFrames gives: the events as captured, before the analysis of their frames. */
export interface PcapFrames extends PcapImport {
  /** The OCPP version each connection negotiated (what the analysis needs). */
  versionOf: (conn: string) => OcppVersion | undefined;
}

/**
 * The decode alone (container, TCP reassembly, WebSocket framing, permessage-deflate): frames as captured, without
 * their analysis (parse, validation, pairing, behaviour rules), which decodePcap adds.
 */
export function decodePcapFrames(input: Uint8Array | Iterable<Uint8Array>): PcapFrames {
  const decoded: Unstamped[] = [];
  const d = decodePcapTo(input, (e) => decoded.push(e));
  // Stable order by time (packets are in capture order, but an opened event may be stamped by its response, and
  // tcpdump on several interfaces can interleave). Sorting only when needed keeps big files cheap.
  let sorted = true;
  for (let i = 1; i < decoded.length && sorted; i++) if (decoded[i]!.t < decoded[i - 1]!.t) sorted = false;
  const list = sorted
    ? decoded
    : decoded
        .map((e, i) => ({ e, i }))
        .sort((a, b) => a.e.t - b.e.t || a.i - b.i)
        .map((x) => x.e);
  const t0 = list[0]?.t ?? 0;
  // Stamped in place: these objects are ours, and copying a million of them costs more than decoding them.
  const events = list as ScopeEvent[];
  for (let seq = 0; seq < events.length; seq++) {
    const e = events[seq]!;
    e.seq = seq;
    e.mono = e.t - t0;
  }
  return { ...d, events };
}

/** Where the decode hands its events, in decode order, before the time order stamps them (seq, mono). */
export type PcapEventSink = (e: Unstamped) => void;

/** What decodePcapTo gives besides the events it handed to its sink. */
export type PcapDecoded = Omit<PcapFrames, 'events'>;

/**
 * The decode, each event handed to `sink` as it is decoded (an import too big for memory spools them to disk, see
 * import-spool.ts); decodePcapFrames collects them and puts them in time order. In one go: see decodePcapGivingTurns
 * for the engine's event loop.
 */
export function decodePcapTo(input: Uint8Array | Iterable<Uint8Array>, sink: PcapEventSink): PcapDecoded {
  if ('hungry' in input)
    throw new TypeError('An input read asynchronously decodes with decodePcapGivingTurns.');
  return runInOneGo(decodeSteps(input, sink));
}

/**
 * decodePcapTo as the engine runs it while it serves chargers (see runGivingTurns): the event loop gets a turn every
 * 16 ms of decoding and at least every MAX_STEPS_PER_TURN * PACKETS_PER_STEP packets. `input` may be a file read
 * asynchronously (FileChunkFeed): the decode then waits for each chunk, the loop free meanwhile. The events and
 * results are decodePcapTo's.
 */
export async function decodePcapGivingTurns(
  input: Uint8Array | Iterable<Uint8Array> | (LateChunks & FedInput),
  sink: PcapEventSink,
): Promise<PcapDecoded> {
  return runGivingTurns(decodeSteps(input, sink), 'fed' in input ? input : undefined);
}

/** The decode, pausing after every PACKETS_PER_STEP packets (see packetSteps); its result when done. */
function* decodeSteps(
  input: Uint8Array | Iterable<Uint8Array> | LateChunks,
  sink: PcapEventSink,
): Generator<void, PcapDecoded, void> {
  const out = new Importer(sink);
  const container: ContainerResult = { format: 'unknown', findings: [] };
  const conns = new Map<string, Conn>();
  const skipped: Record<string, number> = {};
  let packets = 0;
  let tcp = 0;
  let midStreamWarned = false;
  const ended = new Set<Conn>();
  let last: Conn | undefined;
  const s = emptySegment();
  yield* packetSteps(input, container, (p) => {
    packets++;
    out.lastT = p.t;
    const reason = decodePacket(p.linkType, p.data, p.off, p.len, p.origLen, s);
    if (reason !== undefined) {
      skipped[reason] = (skipped[reason] ?? 0) + 1;
      return;
    }
    tcp++;
    // Consecutive packets mostly belong to the same connection: check the last one before building map keys.
    let c: Conn | undefined;
    if (
      last &&
      !s.syn &&
      ((last.client.port === s.srcPort &&
        last.server.port === s.dstPort &&
        last.client.address === s.src &&
        last.server.address === s.dst) ||
        (last.client.port === s.dstPort &&
          last.server.port === s.srcPort &&
          last.client.address === s.dst &&
          last.server.address === s.src))
    ) {
      c = last;
    }
    const fwd = c ? '' : key(s.src, s.srcPort, s.dst, s.dstPort);
    const rev = c ? '' : key(s.dst, s.dstPort, s.src, s.srcPort);
    c ??= conns.get(fwd) ?? conns.get(rev);
    if (s.syn && !s.ackFlag && (!c || ended.has(c) || c.toServer.started)) {
      // A new connection (or the port reused after the previous one ended).
      if (c && !ended.has(c)) c.end(p.t, 'eof');
      c = new Conn(
        { address: s.src, port: s.srcPort, family: s.family },
        { address: s.dst, port: s.dstPort, family: s.family },
        out,
        false,
      );
      conns.set(fwd, c);
      conns.delete(rev);
      c.toServer.syn(s.seq);
      last = c;
      return;
    }
    if (!c) {
      // First seen mid-connection: guess the server as the side with the lower port.
      const clientIsSrc = s.srcPort > s.dstPort;
      const client = clientIsSrc
        ? { address: s.src, port: s.srcPort, family: s.family }
        : { address: s.dst, port: s.dstPort, family: s.family };
      const server = clientIsSrc
        ? { address: s.dst, port: s.dstPort, family: s.family }
        : { address: s.src, port: s.srcPort, family: s.family };
      c = new Conn(client, server, out, true);
      conns.set(key(client.address, client.port, server.address, server.port), c);
      if (!midStreamWarned && s.end > s.start) {
        midStreamWarned = true;
        container.findings.push({
          code: 'pcap-mid-stream',
          severity: 'warning',
          message:
            'The capture starts in the middle of at least one TCP connection; such connections are decoded only if their HTTP upgrade is in the file.',
        });
      }
    }
    last = c;
    const fromClient = s.src === c.client.address && s.srcPort === c.client.port;
    const dir = fromClient ? c.toServer : c.toClient;
    if (s.syn) {
      dir.syn(s.seq);
      return;
    }
    if (s.end > s.start || s.missing > 0) dir.segment(s.seq, s.bytes, s.missing, p.t, s.start, s.end);
    if (s.fin) dir.fin(s.seq + (s.end - s.start) + s.missing);
    if (s.ackFlag && !s.rst) (fromClient ? c.toClient : c.toServer).acked(s.ack);
    if ((s.fin || s.rst) && !ended.has(c)) {
      if (s.rst || (s.fin && c.toServer.started && c.toClient.started && finSeen(c, fromClient))) {
        ended.add(c);
        c.end(p.t, s.rst ? 'rst' : 'fin');
      }
    }
  });
  for (const c of new Set(conns.values())) if (!ended.has(c)) c.end(out.lastT, 'eof');
  const findings = [...container.findings, ...out.findings];
  if (packets > 0 && out.connections.length === 0 && !findings.some((f) => f.code === 'pcap-tls')) {
    findings.push({
      code: 'pcap-no-websocket',
      severity: 'warning',
      message: `No WebSocket upgrade found in ${packets} packet(s) (${tcp} TCP). Was the capture started after the charger connected?`,
    });
  }
  return {
    versionOf: (c) => out.versions.get(c),
    connections: out.connections,
    findings,
    stats: { packets, tcpSegments: tcp, skipped, format: container.format },
  };
}

// One FIN from each side ends a connection; remember who already sent one.
const finSides = new WeakMap<Conn, Set<boolean>>();
function finSeen(c: Conn, fromClient: boolean): boolean {
  let s = finSides.get(c);
  if (!s) finSides.set(c, (s = new Set()));
  s.add(fromClient);
  return s.size === 2;
}

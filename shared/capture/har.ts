import { versionOfSubprotocol } from '../ocpp/versions';
import type { OcppVersion } from '../ocpp/versions';
import { annotateFrames } from './annotate';
import { chosenProtocol, pathOfUrl, readUpgradeRequest } from './http-upgrade';
import type { AnnotateOptions } from './annotate';
import type { ConnectionInfo, Finding, HttpHead, HttpResponseHead, OpenedEvent, ScopeEvent } from './events';

/**
 * HAR for WebSockets as Chrome DevTools writes it: one entry per socket with `_resourceType: "websocket"`, the
 * upgrade in request/response, and `_webSocketMessages` [{ type: send|receive, time: epoch seconds, opcode, data }].
 * The WebSocket client is always the charging station in OCPP-J, so send = station and receive = csms.
 */

interface HarHeader {
  name: string;
  value: string;
}
interface HarWsMessage {
  type: 'send' | 'receive';
  time: number;
  opcode: number;
  data: string;
}
interface HarEntry {
  _resourceType?: string;
  startedDateTime?: string;
  time?: number;
  request?: { method?: string; url?: string; httpVersion?: string; headers?: HarHeader[] };
  response?: { status?: number; statusText?: string; httpVersion?: string; headers?: HarHeader[] };
  serverIPAddress?: string;
  connection?: string;
  _webSocketMessages?: HarWsMessage[];
}

export interface HarImport {
  events: ScopeEvent[];
  connections: ConnectionInfo[];
  findings: Finding[];
}

const MAX_MESSAGES = 5_000_000;

function finding(code: string, message: string, severity: Finding['severity'] = 'error'): Finding {
  return { code, severity, message };
}

function headersOf(list: unknown): [string, string][] {
  if (!Array.isArray(list)) return [];
  const out: [string, string][] = [];
  for (const h of list) {
    if (h && typeof h === 'object' && typeof h.name === 'string') out.push([h.name, scalarText(h.value, '')]);
  }
  return out;
}

/** A HAR field as text: only strings and numbers count (an array or object there would be turned into text by
 *  walking it, which a hostile file can nest deeper than the stack). */
function scalarText(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback;
}

/** An event time as ISO 8601; a time outside what a Date holds (a damaged file) becomes the epoch, never an error. */
function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

/** Lone surrogates replaced (String.prototype.toWellFormed, which our ES2023 lib does not declare). */
function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** `annotate`: options of the analysis pipeline the frames go through (behaviour rules). */
export function harToEvents(text: string, annotate: AnnotateOptions = {}): HarImport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return {
      events: [],
      connections: [],
      findings: [finding('har-not-json', `Not a HAR file: ${(e as Error).message}`)],
    };
  }
  const entries = (doc as { log?: { entries?: unknown } } | null)?.log?.entries;
  if (!Array.isArray(entries)) {
    return {
      events: [],
      connections: [],
      findings: [finding('har-no-entries', 'Not a HAR file: no log.entries.')],
    };
  }
  return harEntriesToEvents(entries, annotate);
}

/**
 * The events of a HAR's entries, taken one at a time (a streaming reader parses each entry on its own, see
 * HarEntryScanner): only WebSocket entries count. `problem`: why the file ended before its entries did, if it did.
 */
export function harEntriesToEvents(
  entries: Iterable<unknown>,
  annotate: AnnotateOptions = {},
  problem?: () => Finding | undefined,
): HarImport {
  const events: ScopeEvent[] = [];
  const h = harEntriesTo(entries, (e) => events.push(e), problem);
  return {
    events: annotateFrames(events, h.versionOf, annotate),
    connections: h.connections,
    findings: h.findings,
  };
}

/** What harEntriesTo gives besides the events it emitted. */
export interface HarDecoded {
  connections: ConnectionInfo[];
  findings: Finding[];
  /** A connection's version: known from its opened event on, before any of its frames is emitted. */
  versionOf: (conn: string) => OcppVersion | undefined;
}

/**
 * The events of a HAR's entries, each handed to `emit` as soon as it is read, in order with seq and mono stamped
 * and before their analysis (which harEntriesToEvents adds; an import too big for memory streams them instead).
 */
export function harEntriesTo(
  entries: Iterable<unknown>,
  emit: (e: ScopeEvent) => void,
  problem?: () => Finding | undefined,
): HarDecoded {
  const reader = harEventReader(emit);
  for (const raw of entries) reader.take(raw);
  return reader.end(problem);
}

/** An entry's messages read one at a time (a big entry need not be parsed whole): the first, and all in order. */
export interface HarMessages extends Iterable<unknown> {
  readonly first: unknown;
}

/** harEntriesTo one entry at a time, for a reader that gives the event loop a turn between pieces of a file. */
export interface HarEventReader {
  /** `messages`: the entry's messages when they were read apart from it (its own _webSocketMessages is then []). */
  take(entry: unknown, messages?: HarMessages): void;
  /**
   * take, pausing after every MESSAGES_PER_STEP messages: one entry can be a whole session of a million messages,
   * and a reader sharing the event loop (the engine serving chargers) gives other work a turn between two steps.
   */
  takeInSteps(entry: unknown, messages?: HarMessages): Generator<void, void, void>;
  /** `problem`: why the file ended before its entries did, if it did. */
  end(problem?: () => Finding | undefined): HarDecoded;
}

/** Messages of one entry read between two pauses of HarEventReader.takeInSteps. */
export const MESSAGES_PER_STEP = 2000;

export function harEventReader(emit: (e: ScopeEvent) => void): HarEventReader {
  const findings: Finding[] = [];
  const connections: ConnectionInfo[] = [];
  const versions = new Map<string, OcppVersion | undefined>();
  let seq = 0;
  let wsCount = 0;
  let total = 0;
  function* takeSteps(raw: unknown, index: number, messages?: HarMessages): Generator<void, void, void> {
    if (!raw || typeof raw !== 'object') return;
    const entry = raw as HarEntry;
    // Messages read apart from their entry (a big entry, see HarMessages) or in it.
    const msgs: readonly HarWsMessage[] | HarMessages | undefined =
      messages ?? (Array.isArray(entry._webSocketMessages) ? entry._webSocketMessages : undefined);
    const first = messages
      ? (messages.first as HarWsMessage | undefined)
      : msgs && (msgs as HarWsMessage[])[0];
    const url = typeof entry.request?.url === 'string' ? entry.request.url : '';
    const isWs = entry._resourceType === 'websocket' || msgs !== undefined || /^wss?:/i.test(url);
    if (!isWs) return;
    wsCount++;
    const conn = `har-${wsCount}`;
    const reqHeaders = headersOf(entry.request?.headers);
    const resHeaders = headersOf(entry.response?.headers);
    const started = Date.parse(scalarText(entry.startedDateTime, ''));
    const firstMsg = first && typeof first.time === 'number' ? first.time * 1000 : NaN;
    const t0 = Number.isFinite(started) ? started : Number.isFinite(firstMsg) ? firstMsg : 0;
    const httpVersion = scalarText(entry.request?.httpVersion, '') || 'HTTP/1.1';
    const request: HttpHead = {
      startLine: `${scalarText(entry.request?.method, 'GET')} ${pathOfUrl(url)} ${httpVersion}`,
      headers: reqHeaders,
    };
    const status = typeof entry.response?.status === 'number' ? entry.response.status : 0;
    const response: HttpResponseHead = {
      startLine:
        `${scalarText(entry.response?.httpVersion, '') || 'HTTP/1.1'} ${status} ${scalarText(entry.response?.statusText, '')}`.trim(),
      headers: resHeaders,
      status,
    };
    const upgrade = readUpgradeRequest(request);
    const offered = upgrade.offeredProtocols;
    const basicAuth = upgrade.basicAuth;
    const chosen = chosenProtocol(response);
    const version =
      versionOfSubprotocol(chosen) ?? (offered.length === 1 ? versionOfSubprotocol(offered[0]) : undefined);
    versions.set(conn, version);
    // A HAR is the client's view (a browser, or a simulator acting as the station): remote is the CSMS.
    const info: ConnectionInfo = { id: conn, role: 'station', identity: upgrade.identity, url };
    if (version) info.version = version;
    connections.push(info);
    const entryFindings: Finding[] = [];
    if (status !== 101) {
      entryFindings.push(
        finding(
          'har-no-upgrade',
          `The upgrade was answered with HTTP ${status || 'nothing'}, not 101.`,
          'warning',
        ),
      );
    }
    const opened: OpenedEvent = {
      kind: 'opened',
      seq: seq++,
      t: t0,
      mono: 0,
      conn,
      ok: status === 101,
      connection: info,
      handshake: {
        request,
        response,
        offeredProtocols: offered,
        findings: entryFindings,
        ...(chosen ? { chosenProtocol: chosen } : {}),
        ...(basicAuth ? { basicAuth } : {}),
        ...(typeof entry.serverIPAddress === 'string'
          ? {
              remote: {
                address: entry.serverIPAddress.replace(/^\[|\]$/g, ''),
                port: Number(scalarText(entry.connection, '')) || 0,
              },
            }
          : {}),
      },
    };
    emit(opened);
    if (!msgs) return;
    let n = 0;
    for (const m of msgs as Iterable<HarWsMessage>) {
      if (++n % MESSAGES_PER_STEP === 0) yield;
      if (++total > MAX_MESSAGES) {
        findings.push(finding('har-too-many-messages', `Stopped after ${MAX_MESSAGES} messages.`));
        break;
      }
      if (!m || typeof m !== 'object' || (m.type !== 'send' && m.type !== 'receive')) {
        findings.push(
          finding(
            'har-bad-message',
            `Entry ${index + 1}: a WebSocket message without type send/receive was skipped.`,
            'warning',
          ),
        );
        continue;
      }
      const t = typeof m.time === 'number' && Number.isFinite(m.time) ? m.time * 1000 : t0;
      const sender = m.type === 'send' ? 'station' : 'csms';
      const data = typeof m.data === 'string' ? m.data : '';
      const opcode = typeof m.opcode === 'number' ? m.opcode : 1;
      if (opcode === 1 || opcode === 2) {
        emit({
          kind: 'frame',
          seq: seq++,
          t,
          mono: t - t0,
          conn,
          sender,
          text: data,
          findings: [],
          ...(opcode === 2 ? { binary: true } : {}),
        });
      } else if (opcode === 9 || opcode === 10) {
        emit({
          kind: opcode === 9 ? 'ping' : 'pong',
          seq: seq++,
          t,
          mono: t - t0,
          conn,
          sender,
          data: data,
        });
      } else if (opcode === 8) {
        emit({
          kind: 'closed',
          seq: seq++,
          t,
          mono: t - t0,
          conn,
          code: 1005,
          reason: data,
          by: sender === 'station' ? 'remote' : 'local',
          clean: true,
        });
      }
    }
  }
  let index = 0;
  return {
    take: (raw, messages) => {
      const steps = takeSteps(raw, index++, messages);
      while (!steps.next().done);
    },
    takeInSteps: (raw, messages) => takeSteps(raw, index++, messages),
    end: (problem) => {
      const cut = problem?.();
      if (cut) findings.push(cut);
      if (wsCount === 0 && !cut)
        findings.push(finding('har-no-websocket', 'The HAR file holds no WebSocket entries.', 'warning'));
      return { connections, findings, versionOf: (c) => versions.get(c) };
    },
  };
}

function harHeaders(headers: [string, string][]): HarHeader[] {
  return headers.map(([name, value]) => ({ name, value }));
}

function splitStartLine(line: string): string[] {
  return line.split(' ');
}

/** Builds a Chrome-style HAR document (as JSON text) from events: one entry per connection that has an opened event. */
interface HarEntryParts {
  started: number;
  method: string;
  url: string;
  httpVersion: string;
  requestHeaders: HarHeader[];
  status: number;
  statusText: string;
  responseVersion: string;
  responseHeaders: HarHeader[];
  server?: { address: string; port: number } | undefined;
  messages: HarWsMessage[];
}

/** One WebSocket entry as Chrome DevTools writes it; the fields HAR requires but a WebSocket lacks are empty. */
function harEntry(p: HarEntryParts): Record<string, unknown> & { _webSocketMessages: HarWsMessage[] } {
  return {
    _resourceType: 'websocket',
    startedDateTime: isoTime(p.started),
    time: 0,
    request: {
      method: p.method,
      url: p.url,
      httpVersion: p.httpVersion,
      headers: p.requestHeaders,
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: p.status,
      statusText: p.statusText,
      httpVersion: p.responseVersion,
      headers: p.responseHeaders,
      cookies: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, send: 0, wait: 0, receive: 0, ssl: -1 },
    ...(p.server ? { serverIPAddress: p.server.address, connection: String(p.server.port) } : {}),
    _webSocketMessages: p.messages,
  };
}

export function eventsToHar(events: Iterable<ScopeEvent>, tool = 'OCPP Scope'): string {
  type Entry = Record<string, unknown> & { _webSocketMessages: HarWsMessage[] };
  // Every attempt is its own entry: a reconnecting station keeps its connection id, and each upgrade is evidence.
  const entries: Entry[] = [];
  const current = new Map<string, Entry>();
  const pending = new Map<string, HarWsMessage[]>();
  const msgsOf = (conn: string): HarWsMessage[] => {
    const e = current.get(conn);
    if (e) return e._webSocketMessages;
    let p = pending.get(conn);
    if (!p) pending.set(conn, (p = []));
    return p;
  };
  for (const e of events) {
    if (e.kind === 'opened') {
      const h = e.handshake;
      const [method, , httpVersion] = splitStartLine(h.request.startLine);
      const resParts = h.response ? splitStartLine(h.response.startLine) : [];
      const entry = harEntry({
        started: e.t,
        method: method || 'GET',
        url: e.connection.url,
        httpVersion: httpVersion || 'HTTP/1.1',
        requestHeaders: harHeaders(h.request.headers),
        status: h.response?.status ?? 0,
        statusText: resParts.slice(2).join(' '),
        responseVersion: resParts[0] || 'HTTP/1.1',
        responseHeaders: harHeaders(h.response?.headers ?? []),
        // serverIPAddress is the CSMS: our peer when we were the station, ourselves when we were the endpoint.
        server: e.connection.role === 'endpoint' ? h.local : h.remote,
        messages: pending.get(e.conn) ?? [],
      });
      pending.delete(e.conn);
      current.set(e.conn, entry);
      entries.push(entry);
    } else if (e.kind === 'frame') {
      msgsOf(e.conn).push({
        type: e.sender === 'station' ? 'send' : 'receive',
        time: e.t / 1000,
        opcode: e.binary ? 2 : 1,
        data: e.text,
      });
    } else if (e.kind === 'ping' || e.kind === 'pong') {
      msgsOf(e.conn).push({
        type: e.sender === 'station' ? 'send' : 'receive',
        time: e.t / 1000,
        opcode: e.kind === 'ping' ? 9 : 10,
        data: e.data,
      });
    }
    // Transfer events are left out: HAR carries this WebSocket's messages, and an FTP transfer has no HAR form.
  }
  // Frames of connections whose upgrade was not recorded (recording started mid-session) still get an entry.
  for (const [conn, messages] of pending) {
    entries.push(
      harEntry({
        started: (messages[0]?.time ?? 0) * 1000,
        method: 'GET',
        // toWellFormed: a connection id with a lone surrogate (a damaged file) must not make encodeURIComponent throw.
        url: `ws://unknown/${encodeURIComponent(wellFormed(conn))}`,
        httpVersion: 'HTTP/1.1',
        requestHeaders: [],
        status: 0,
        statusText: '',
        responseVersion: 'HTTP/1.1',
        responseHeaders: [],
        messages,
      }),
    );
  }
  const doc = {
    log: {
      version: '1.2',
      creator: { name: tool, version: '1' },
      pages: [],
      entries,
    },
  };
  return JSON.stringify(doc, null, 1);
}

import type { BasicAuthInfo, HttpHead } from './events';

/**
 * The one reader of a WebSocket upgrade (RFC 6455 over HTTP/1.1), for every source: live traffic (endpoint, station,
 * proxy), pcap and HAR imports, and the UI's handshake view. Pure: heads are taken as they crossed the wire (headers
 * in order and case, duplicates kept) and never rewritten; lookups are case-insensitive.
 */

/** Splits a serialized head ("GET / HTTP/1.1\r\nA: b\r\n\r\n") into start line and headers, order and case kept. */
export function parseHeadText(text: string): HttpHead {
  const lines = text.split('\r\n');
  const startLine = lines.shift() ?? '';
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    // A line without a colon is not a header, but it crossed the wire: keep it for the user to see.
    if (colon < 0) headers.push([line, '']);
    else headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return { startLine, headers };
}

/** First value of a header, case-insensitive. */
export function headerValue(head: HttpHead | undefined, name: string): string | undefined {
  if (!head) return undefined;
  const lower = name.toLowerCase();
  for (const [n, v] of head.headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

/** Every value of a header, case-insensitive, in wire order (a header may be repeated). */
export function headerValues(head: HttpHead | undefined, name: string): string[] {
  if (!head) return [];
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const [n, v] of head.headers) if (n.toLowerCase() === lower) out.push(v);
  return out;
}

/** A comma-separated list header over all its lines (RFC 7230 3.2.2), items trimmed, empty ones dropped. */
export function headerList(head: HttpHead | undefined, name: string): string[] {
  const out: string[] = [];
  for (const v of headerValues(head, name)) {
    for (const item of v.split(',')) {
      const t = item.trim();
      if (t !== '') out.push(t);
    }
  }
  return out;
}

/** Offered subprotocols: every Sec-WebSocket-Protocol line of a request, split. */
export function offeredProtocols(head: HttpHead | undefined): string[] {
  return headerList(head, 'sec-websocket-protocol');
}

/** The subprotocol a response chose (one token; a list or repeated header is the server's error, kept as sent). */
export function chosenProtocol(response: HttpHead | undefined): string | undefined {
  const values = headerValues(response, 'sec-websocket-protocol');
  if (values.length === 0) return undefined;
  return values.join(', ').trim() || undefined;
}

/** The request target of a start line ("GET /ocpp/CP-1 HTTP/1.1" -> "/ocpp/CP-1"). */
export function requestTarget(startLine: string): string {
  return startLine.split(' ')[1] ?? '/';
}

/** The path and query of a URL ("ws://host:9000/ocpp/CP-1?x" -> "/ocpp/CP-1?x"), "/" when it has none. */
export function pathOfUrl(url: string): string {
  const p = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  return p === '' ? '/' : p;
}

/** Charge point identity = the last path segment, URL-decoded (a trailing slash does not count as a segment). */
export function identityOfPath(target: string): string {
  const path = target.split(/[?#]/)[0] ?? '';
  const segments = path.split('/').filter((s) => s !== '');
  const last = segments[segments.length - 1] ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Charge point identity of a full URL (ws://host/ocpp/CP-1 -> CP-1). */
export function identityOfUrl(url: string): string {
  return identityOfPath(pathOfUrl(url));
}

// RFC 7230 tchar: what a subprotocol name may be made of.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Why a Sec-WebSocket-Protocol header (all its lines, as Node joins them) is not a valid list of distinct tokens,
 * or undefined when it is (or is absent). ws refuses such a header with a bare 400; we refuse it with a reason.
 */
export function subprotocolHeaderProblem(head: HttpHead): string | undefined {
  const values = headerValues(head, 'sec-websocket-protocol');
  if (values.length === 0) return undefined;
  const seen = new Set<string>();
  for (const item of values.join(', ').split(',')) {
    const t = item.replace(/^[ \t]+|[ \t]+$/g, '');
    if (t === '') return 'it has an empty entry (a stray comma)';
    if (!TOKEN.test(t))
      return `"${t}" is not a valid subprotocol name (a token without spaces or separators)`;
    if (seen.has(t)) return `"${t}" is offered twice`;
    seen.add(t);
  }
  return undefined;
}

function bytesOfBase64(b64: string): Uint8Array | undefined {
  // Accept the URL-safe alphabet and missing padding too: chargers are not always strict.
  let s = b64.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (s.length % 4 === 1) return undefined;
  s += '='.repeat((4 - (s.length % 4)) % 4);
  try {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LENIENT = new TextDecoder('utf-8');

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

function isPrintable(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u001f\u007f\ufffd]/.test(s);
}

/**
 * Decodes `Authorization: Basic ...` for display. OCPP passwords may be raw bytes (1.6 allows a 20-byte key sent
 * raw), so the password is also given in hex, and as text only when it decodes to printable UTF-8.
 */
export function decodeBasicAuth(header: string | undefined): BasicAuthInfo | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*basic\s+([A-Za-z0-9+/=_-]*)\s*$/i.exec(header);
  if (!m) return undefined;
  const bytes = bytesOfBase64(m[1] ?? '');
  if (!bytes) return undefined;
  const colon = bytes.indexOf(0x3a);
  const userBytes = colon < 0 ? bytes : bytes.subarray(0, colon);
  const passBytes = colon < 0 ? new Uint8Array(0) : bytes.subarray(colon + 1);
  const passText = utf8(passBytes);
  const printable = passText !== undefined && isPrintable(passText);
  return {
    username: LENIENT.decode(userBytes),
    password: printable ? passText : '',
    passwordHex: hex(passBytes),
    printable,
  };
}

/** The Authorization header value for HTTP Basic (RFC 7617, UTF-8). */
export function basicAuthHeader(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}

/** What a WebSocket upgrade request says, read once: target, identity, subprotocols offered, Basic auth. */
export interface UpgradeRequest {
  target: string;
  identity: string;
  host?: string;
  offeredProtocols: string[];
  basicAuth?: BasicAuthInfo;
  /** Why the Sec-WebSocket-Protocol header is not a valid list, when it is not. */
  protocolProblem?: string;
}

export function readUpgradeRequest(head: HttpHead): UpgradeRequest {
  const target = requestTarget(head.startLine);
  const out: UpgradeRequest = {
    target,
    identity: identityOfPath(target),
    offeredProtocols: offeredProtocols(head),
  };
  const host = headerValue(head, 'host');
  if (host !== undefined) out.host = host;
  const auth = decodeBasicAuth(headerValue(head, 'authorization'));
  if (auth) out.basicAuth = auth;
  const problem = subprotocolHeaderProblem(head);
  if (problem !== undefined) out.protocolProblem = problem;
  return out;
}

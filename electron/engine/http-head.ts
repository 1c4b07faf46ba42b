import type { IncomingMessage } from 'node:http';
import type { BasicAuthInfo, HttpHead, SocketAddress } from '../../shared/capture/events';

/** Pairs Node's flat rawHeaders list back into [name, value] in wire order and case, duplicates kept. */
export function pairRawHeaders(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i] as string, raw[i + 1] as string]);
  return out;
}

/** The request as it crossed the wire: Node keeps method, target and version verbatim, and rawHeaders in order. */
export function requestHead(req: IncomingMessage): HttpHead {
  return {
    startLine: `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`,
    headers: pairRawHeaders(req.rawHeaders),
  };
}

/** Splits a serialized head ("GET / HTTP/1.1\r\nA: b\r\n\r\n") into start line and headers, order kept. */
export function parseHeadText(text: string): HttpHead {
  const lines = text.split('\r\n');
  const startLine = lines.shift() ?? '';
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0) headers.push([line, '']);
    else headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return { startLine, headers };
}

/** First value of a header, case-insensitive, from a head in wire form. */
export function headerValue(head: HttpHead, name: string): string | undefined {
  const lower = name.toLowerCase();
  return head.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

export function socketAddress(
  address: string | undefined,
  port: number | undefined,
): SocketAddress | undefined {
  if (address === undefined || port === undefined) return undefined;
  // IPv4-mapped IPv6 addresses are how dual-stack sockets report IPv4 peers; show them as the IPv4 a user typed.
  const plain = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  return { address: plain, port, family: plain.includes(':') ? 'IPv6' : 'IPv4' };
}

/** Offered subprotocols from a Sec-WebSocket-Protocol header (comma separated, possibly repeated headers). */
export function offeredProtocols(head: HttpHead): string[] {
  const out: string[] = [];
  for (const [name, value] of head.headers) {
    if (name.toLowerCase() !== 'sec-websocket-protocol') continue;
    for (const p of value.split(',')) {
      const t = p.trim();
      if (t !== '') out.push(t);
    }
  }
  return out;
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
  const bytes = Buffer.from(m[1] ?? '', 'base64');
  const colon = bytes.indexOf(0x3a);
  const userBytes = colon < 0 ? bytes : bytes.subarray(0, colon);
  const passBytes = colon < 0 ? Buffer.alloc(0) : bytes.subarray(colon + 1);
  const username = userBytes.toString('utf8');
  const passText = passBytes.toString('utf8');
  const printable = isPrintable(passText) && Buffer.from(passText, 'utf8').equals(passBytes);
  return { username, password: printable ? passText : '', passwordHex: passBytes.toString('hex'), printable };
}

export function basicAuthHeader(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/** Identity = last path segment, URL-decoded (a trailing slash does not count as a segment). */
export function identityOfPath(target: string): string {
  const path = target.split('?')[0]?.split('#')[0] ?? '';
  const segments = path.split('/').filter((s) => s !== '');
  const last = segments[segments.length - 1] ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

// RFC 7230 tchar: what a subprotocol name may be made of.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Why a Sec-WebSocket-Protocol header (all its lines, as Node joins them) is not a valid list of distinct tokens,
 * or undefined when it is (or is absent). ws refuses such a header with a bare 400; we refuse it with a reason.
 */
export function subprotocolHeaderProblem(head: HttpHead): string | undefined {
  const values = head.headers.filter(([n]) => n.toLowerCase() === 'sec-websocket-protocol').map(([, v]) => v);
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

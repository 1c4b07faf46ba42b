import { decodeBasicAuth } from './http-upgrade';
import type { HandshakeRecord, HttpHead, ScopeEvent } from './events';

/**
 * Redaction for export: a capture may go to a vendor, so secrets are replaced with a marker by default. Only what
 * a person would call a secret is touched; the structure stays, so the file still opens and replays.
 */

export const REDACTED = '***REDACTED***';

/** Payload keys whose values are secrets (compared case-insensitively, ignoring `_` and `-`). */
const SECRET_KEYS = [
  'authorizationkey',
  'basicauthpassword',
  'password',
  'passwd',
  'secret',
  'privatekey',
  'token',
  'apikey',
  'accesstoken',
  'refreshtoken',
];

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[_-]/g, '');
  return SECRET_KEYS.some((s) => k === s || k.endsWith(s));
}

/** Config keys whose *value* field is a secret when the key names one (ChangeConfiguration, SetVariables...). */
function redactValue(value: unknown, hits: { n: number }): unknown {
  if (Array.isArray(value)) return value.map((v) => redactValue(v, hits));
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // 1.6 ChangeConfiguration / GetConfiguration: { key: "AuthorizationKey", value: "..." }
  const namedSecret =
    (typeof obj.key === 'string' && isSecretKey(obj.key)) ||
    (typeof obj.name === 'string' && isSecretKey(obj.name)) ||
    (typeof (obj.variable as Record<string, unknown> | undefined)?.name === 'string' &&
      isSecretKey((obj.variable as Record<string, string>).name!));
  for (const [k, v] of Object.entries(obj)) {
    if (
      (isSecretKey(k) && (typeof v === 'string' || typeof v === 'number')) ||
      (namedSecret && /^(value|attributeValue)$/.test(k) && typeof v === 'string')
    ) {
      out[k] = REDACTED;
      hits.n++;
    } else {
      out[k] = redactValue(v, hits);
    }
  }
  return out;
}

/** Redacts a frame's text. Unparseable text is kept as is (it is evidence, and has no structure to trust). */
export function redactFrameText(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  const hits = { n: 0 };
  const out = redactValue(value, hits);
  return hits.n === 0 ? text : JSON.stringify(out);
}

function redactHeaderValue(name: string, value: string): string {
  const n = name.toLowerCase();
  if (n === 'authorization' || n === 'proxy-authorization') {
    const sp = value.indexOf(' ');
    const scheme = sp > 0 ? value.slice(0, sp) : '';
    if (scheme.toLowerCase() === 'basic') {
      // Keep the username: it is the charge point identity and matters for diagnosis.
      const user = decodeBasicAuth(value)?.username;
      return user === undefined ? `Basic ${REDACTED}` : `Basic ${REDACTED} (user ${user})`;
    }
    return scheme ? `${scheme} ${REDACTED}` : REDACTED;
  }
  if (n === 'cookie' || n === 'set-cookie') return REDACTED;
  return value;
}

function redactHead<H extends HttpHead>(head: H): H {
  return { ...head, headers: head.headers.map(([k, v]) => [k, redactHeaderValue(k, v)] as [string, string]) };
}

function redactUrl(url: string): string {
  // ws://user:password@host/...
  return url.replace(/^([a-z]+:\/\/[^/:@]*):[^/@]*@/i, `$1:${REDACTED}@`);
}

function redactHandshake(h: HandshakeRecord): HandshakeRecord {
  const out: HandshakeRecord = { ...h, request: redactHead(h.request) };
  if (h.response) out.response = redactHead(h.response);
  if (h.basicAuth) out.basicAuth = { ...h.basicAuth, password: REDACTED, passwordHex: '' };
  return out;
}

export function redactEvent(e: ScopeEvent): ScopeEvent {
  switch (e.kind) {
    case 'opened':
      return {
        ...e,
        connection: { ...e.connection, url: redactUrl(e.connection.url) },
        handshake: redactHandshake(e.handshake),
      };
    case 'frame': {
      if (e.binary) return e;
      const text = redactFrameText(e.text);
      return text === e.text ? e : { ...e, text };
    }
    default:
      return e;
  }
}

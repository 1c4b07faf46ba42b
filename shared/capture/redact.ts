import { decodeBasicAuth } from './http-upgrade';
import { stringifyJson } from '../ocpp/json-deep';
import type { Finding, HandshakeRecord, HttpHead, ScopeEvent } from './events';
import { RedactionTally } from './redaction-report';
import { REDACTED, redactSecretText } from './secret-text';

export { REDACTED } from './secret-text';

/**
 * Redaction for export: a capture may go to a vendor, so secrets are replaced with a marker by default. Only what
 * a person would call a secret is touched; the structure stays, so the file still opens and replays. Headers are
 * the exception: any header not known to be harmless is replaced (a vendor's X-Api-Key has no standard name).
 * Every walk here is iterative: a frame nested 10^5 deep is redacted like any other.
 */

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

/** Headers whose values say nothing secret; every other header's value is replaced. Lower case. */
const HARMLESS_HEADERS = new Set([
  'host',
  'connection',
  'upgrade',
  'sec-websocket-key',
  'sec-websocket-accept',
  'sec-websocket-version',
  'sec-websocket-protocol',
  'sec-websocket-extensions',
  'user-agent',
  'server',
  'date',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'cache-control',
  'pragma',
  'accept',
  'accept-encoding',
  'accept-language',
  'origin',
  'keep-alive',
  'vary',
  'retry-after',
  'www-authenticate',
]);

type Container = unknown[] | Record<string, unknown>;

function namesSecret(obj: Record<string, unknown>): boolean {
  const variable = obj.variable;
  return (
    (typeof obj.key === 'string' && isSecretKey(obj.key)) ||
    (typeof obj.name === 'string' && isSecretKey(obj.name)) ||
    (variable !== null &&
      typeof variable === 'object' &&
      !Array.isArray(variable) &&
      typeof (variable as Record<string, unknown>).name === 'string' &&
      isSecretKey((variable as Record<string, string>).name!))
  );
}

/** Redacts a parsed frame in place; iterative, so any depth. */
function redactJson(root: unknown, tally: RedactionTally, allPem: boolean): void {
  if (root === null || typeof root !== 'object') return;
  const stack: { c: Container; key: string | undefined; named: boolean }[] = [
    { c: root as Container, key: undefined, named: false },
  ];
  const scan = (v: string): string => redactSecretText(v, tally, { allPem });
  while (stack.length > 0) {
    const { c, key, named: parentNamed } = stack.pop()!;
    if (Array.isArray(c)) {
      for (let i = 0; i < c.length; i++) {
        const v = c[i];
        if (typeof v === 'string') c[i] = scan(v);
        // Items of a named secret's variableAttribute list (2.x NotifyReport) carry the secret's value.
        else if (v !== null && typeof v === 'object')
          stack.push({ c: v as Container, key, named: parentNamed });
      }
      continue;
    }
    // 1.6 ChangeConfiguration / GetConfiguration: { key: "AuthorizationKey", value: "..." }; 2.x SetVariables,
    // GetVariables, NotifyReport: { variable: { name: "BasicAuthPassword" }, attributeValue | variableAttribute }.
    const named = namesSecret(c) || parentNamed;
    const vpn = key === 'vpn';
    for (const k of Object.keys(c)) {
      const v = c[k];
      if (isSecretKey(k) && (typeof v === 'string' || typeof v === 'number')) {
        tally.add('secret-key', String(v));
        c[k] = REDACTED;
      } else if (named && (k === 'value' || k === 'attributeValue') && typeof v === 'string') {
        tally.add('named-secret-value', v);
        c[k] = REDACTED;
      } else if (vpn && k === 'key' && typeof v === 'string') {
        tally.add('vpn-key', v);
        c[k] = REDACTED;
      } else if (typeof v === 'string') {
        c[k] = scan(v);
      } else if (v !== null && typeof v === 'object') {
        stack.push({ c: v as Container, key: k, named: named && k === 'variableAttribute' });
      }
    }
  }
}

/** Redacts a frame's text. Text that is not JSON is scanned as text: it is evidence, but can hold secrets too. */
export function redactFrameText(text: string, tally = new RedactionTally(), action?: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return redactSecretText(text, tally, { allPem: /DataTransfer/.test(text) });
  }
  const before = tally.total;
  const act = action ?? (Array.isArray(value) && typeof value[2] === 'string' ? value[2] : undefined);
  redactJson(value, tally, act === 'DataTransfer');
  return tally.total === before ? text : stringifyJson(value);
}

function redactHeaderValue(name: string, value: string, tally: RedactionTally): string {
  const n = name.toLowerCase();
  if (n === 'authorization' || n === 'proxy-authorization') {
    const sp = value.indexOf(' ');
    const scheme = sp > 0 ? value.slice(0, sp) : '';
    tally.add('authorization-header', sp > 0 ? value.slice(sp + 1).trim() : value);
    if (scheme.toLowerCase() === 'basic') {
      // Keep the username: it is the charge point identity and matters for diagnosis.
      const user = decodeBasicAuth(value)?.username;
      return user === undefined ? `Basic ${REDACTED}` : `Basic ${REDACTED} (user ${user})`;
    }
    return scheme ? `${scheme} ${REDACTED}` : REDACTED;
  }
  if (value === '') return value;
  if (n === 'cookie' || n === 'set-cookie') {
    tally.add('cookie-header', value);
    return REDACTED;
  }
  if (!HARMLESS_HEADERS.has(n)) {
    tally.add('unlisted-header', value);
    return REDACTED;
  }
  return redactSecretText(value, tally);
}

function redactHead<H extends HttpHead>(head: H, tally: RedactionTally): H {
  return {
    ...head,
    startLine: redactSecretText(head.startLine, tally),
    headers: head.headers.map(([k, v]) => [k, redactHeaderValue(k, v, tally)] as [string, string]),
  };
}

/** Passwords (user info) and secret-named query parameters of a URL. */
export function redactUrl(url: string, tally = new RedactionTally()): string {
  return redactSecretText(url, tally);
}

/** Finding messages quote values (a schema finding names the string it rejects): scrub what was replaced. */
function scrubFindings(findings: Finding[], tally: RedactionTally): Finding[] {
  if (findings.length === 0) return findings;
  return findings.map((f) => {
    const message = scrubText(f.message, tally);
    return message === f.message ? f : { ...f, message };
  });
}

function scrubText(text: string, tally: RedactionTally): string {
  let s = text;
  for (const secret of tally.echoes) if (s.includes(secret)) s = s.split(secret).join(REDACTED);
  return redactSecretText(s, tally);
}

function redactHandshake(h: HandshakeRecord, tally: RedactionTally): HandshakeRecord {
  const out: HandshakeRecord = { ...h, request: redactHead(h.request, tally) };
  if (h.response) {
    out.response = redactHead(h.response, tally);
    if (h.response.body !== undefined) out.response.body = redactSecretText(h.response.body, tally);
  }
  if (h.basicAuth) {
    if (h.basicAuth.password !== '' || h.basicAuth.passwordHex !== '')
      tally.add('basic-auth-password', h.basicAuth.password);
    out.basicAuth = { ...h.basicAuth, password: REDACTED, passwordHex: '' };
  }
  if (h.failure) {
    out.failure = { ...h.failure, message: scrubText(h.failure.message, tally) };
    if (h.failure.detail !== undefined) out.failure.detail = scrubText(h.failure.detail, tally);
  }
  out.findings = scrubFindings(h.findings, tally);
  return out;
}

/** One event with its secrets replaced; the tally (when given) counts what was replaced, by rule. */
export function redactEvent(e: ScopeEvent, tally = new RedactionTally()): ScopeEvent {
  tally.echoes.clear();
  switch (e.kind) {
    case 'opened':
      return {
        ...e,
        connection: { ...e.connection, url: redactUrl(e.connection.url, tally) },
        handshake: redactHandshake(e.handshake, tally),
      };
    case 'frame': {
      // Binary frames are base64 of bytes that are not text: nothing to scan.
      if (e.binary) return e;
      const before = tally.total;
      const text = redactFrameText(e.text, tally, e.msg?.action);
      if (tally.total === before) return e;
      const out = { ...e, text, findings: scrubFindings(e.findings, tally) };
      if (e.problem) out.problem = { ...e.problem, message: scrubText(e.problem.message, tally) };
      return out;
    }
    case 'note': {
      const text = scrubText(e.text, tally);
      const findings = e.findings ? scrubFindings(e.findings, tally) : undefined;
      return text === e.text && findings === e.findings
        ? e
        : { ...e, text, ...(findings ? { findings } : {}) };
    }
    case 'error': {
      const message = scrubText(e.message, tally);
      return message === e.message ? e : { ...e, message };
    }
    case 'closed': {
      const reason = scrubText(e.reason, tally);
      return reason === e.reason ? e : { ...e, reason };
    }
    default:
      return e;
  }
}

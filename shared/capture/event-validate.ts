/**
 * Checks every field of every event kind as a capture line is read, so a bit flip in a file is one bad line with a
 * precise reason, never a JavaScript error later in a consumer. Unknown fields are allowed (later versions add
 * fields); a missing `findings` list or `mono` is filled in (files of earlier versions lacked them).
 * Returns undefined when the value is a valid event, else where and what is wrong.
 */

type Obj = Record<string, unknown>;
/** A member's name within its parent: a key, a list index, or none (the value is the parent itself). */
type Key = string | number | undefined;
/**
 * A check gets the value, its parent's path and its key: the path is put together only for a message, so a valid
 * value (nearly all of them) costs no string building.
 */
type Check = (v: unknown, p: string, k?: Key) => string | undefined;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (p: string, k: Key): string =>
  k === undefined ? p : typeof k === 'number' ? `${p}[${k}]` : `${p}.${k}`;

export const MISSING = ' is missing';
const miss = (v: unknown, p: string, k: Key): string | undefined =>
  v === undefined ? `${at(p, k)}${MISSING}` : undefined;
const str: Check = (v, p, k) =>
  typeof v === 'string' ? undefined : (miss(v, p, k) ?? `${at(p, k)} is not a string`);
const num: Check = (v, p, k) =>
  typeof v === 'number' && Number.isFinite(v) ? undefined : (miss(v, p, k) ?? `${at(p, k)} is not a number`);
const bool: Check = (v, p, k) =>
  typeof v === 'boolean' ? undefined : (miss(v, p, k) ?? `${at(p, k)} is not true or false`);
const oneOf =
  (...values: readonly (string | number)[]): Check =>
  (v, p, k) =>
    values.includes(v as string | number)
      ? undefined
      : (miss(v, p, k) ?? `${at(p, k)} is not one of ${values.join(', ')}`);
const opt =
  (c: Check): Check =>
  (v, p, k) =>
    v === undefined ? undefined : c(v, p, k);
const listOf =
  (c: Check): Check =>
  (v, p, k) => {
    if (!Array.isArray(v)) return miss(v, p, k) ?? `${at(p, k)} is not a list`;
    if (v.length === 0) return undefined;
    const here = at(p, k);
    for (let i = 0; i < v.length; i++) {
      const e = c(v[i], here, i);
      if (e) return e;
    }
    return undefined;
  };
const shape = (fields: Record<string, Check>): Check => {
  const keys = Object.keys(fields);
  const checks = keys.map((key) => fields[key]!);
  return (v, p, k) => {
    if (!isObj(v)) return miss(v, p, k) ?? `${at(p, k)} is not an object`;
    const here = k === undefined ? p : at(p, k);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const e = checks[i]!(v[key], here, key);
      if (e) return e;
    }
    return undefined;
  };
};

/** A findings list that may be missing (filled with []) but, when there, holds only findings. */
function findingsIn(o: Obj, key: string, p: string, required: boolean): string | undefined {
  if (o[key] === undefined) {
    if (required) o[key] = [];
    return undefined;
  }
  return findingList(o[key], p, key);
}

export const finding: Check = shape({
  code: str,
  severity: oneOf('error', 'warning', 'info'),
  message: str,
  path: opt(str),
  errorCode: opt(str),
  related: opt(listOf(num)),
  spec: opt(str),
});
const findingList = listOf(finding);

const header: Check = (v, p, k) =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string'
    ? undefined
    : `${at(p, k)} is not a [name, value] pair of strings`;
const httpHead = { startLine: str, headers: listOf(header) };
const address = opt(shape({ address: str, port: num, family: opt(oneOf('IPv4', 'IPv6')) }));
const certificate = shape({
  subject: str,
  issuer: str,
  serialNumber: str,
  validFrom: str,
  validTo: str,
  fingerprint256: str,
  subjectAltName: opt(str),
  pem: opt(str),
});

export const connectionInfo: Check = shape({
  id: str,
  role: oneOf('endpoint', 'station', 'proxy'),
  identity: str,
  url: str,
  version: opt(oneOf('1.6', '2.0.1', '2.1')),
});

const handshakeFields: Check = shape({
  request: shape(httpHead),
  response: opt(shape({ ...httpHead, status: num, body: opt(str) })),
  remote: address,
  local: address,
  tls: opt(
    shape({
      protocol: opt(str),
      cipher: opt(str),
      servername: opt(str),
      peerChain: listOf(certificate),
      authorized: opt(bool),
      authorizationError: opt(str),
      insecure: opt(bool),
    }),
  ),
  offeredProtocols: listOf(str),
  chosenProtocol: opt(str),
  basicAuth: opt(shape({ username: str, password: str, passwordHex: str, printable: bool })),
  failure: opt(
    shape({
      stage: oneOf('url', 'dns', 'tcp', 'tls', 'http', 'subprotocol', 'auth'),
      code: str,
      message: str,
      detail: opt(str),
    }),
  ),
});

const sender = oneOf('station', 'csms');
const transferRef = shape({ seq: num, action: str, messageId: opt(str), status: opt(str) });

const frameFields = shape({
  sender,
  text: str,
  binary: opt(bool),
  msg: opt(shape({ type: oneOf(2, 3, 4, 5, 6), id: str, action: opt(str), errorCode: opt(str) })),
  problem: opt(shape({ code: str, message: str, errorCode: str, position: opt(num), messageId: opt(str) })),
  pair: opt(shape({ partnerSeq: num, rttMs: opt(num) })),
});

const kindFields: Record<string, Check> = {
  opened: shape({ connection: connectionInfo, ok: bool }),
  frame: frameFields,
  ping: shape({ sender, data: str, rttMs: opt(num) }),
  pong: shape({ sender, data: str, rttMs: opt(num) }),
  closed: shape({ code: num, reason: str, by: oneOf('local', 'remote', 'none'), clean: bool }),
  error: shape({ code: str, message: str }),
  note: shape({ source: oneOf('user', 'replay', 'engine'), text: str }),
  transfer: shape({
    transfer: str,
    phase: oneOf('started', 'progress', 'completed', 'failed', 'linked'),
    protocol: oneOf('http', 'https', 'ftp', 'ftps'),
    direction: oneOf('upload', 'download'),
    name: str,
    bytes: num,
    size: opt(num),
    durationMs: opt(num),
    sha256: opt(str),
    remote: address,
    identity: opt(str),
    request: opt(transferRef),
    notification: opt(transferRef),
    offset: opt(num),
  }),
};

/** Validates (and fills the defaults of) one event object in place. */
export function eventProblem(e: Obj): string | undefined {
  const base = shape({ seq: num, t: num, conn: str })(e, 'event');
  if (base) return base;
  // Every consumer turns t into a date: one outside what a Date holds would make them throw.
  if (Math.abs(e.t as number) > 8.64e15) return 'event.t is outside the range of a date';
  if (e.mono === undefined) e.mono = 0;
  else if (num(e.mono, 'event', 'mono')) return 'event.mono is not a number';
  const kind = e.kind as string;
  const fields = kindFields[kind];
  if (!fields) return `event.kind ${JSON.stringify(kind)} is unknown`;
  const err = fields(e, kind);
  if (err) return err;
  switch (kind) {
    case 'frame':
      return findingsIn(e, 'findings', kind, true);
    case 'note':
    case 'transfer':
      return findingsIn(e, 'findings', kind, false);
    case 'opened': {
      const h = e.handshake;
      if (!isObj(h)) return miss(h, 'opened', 'handshake') ?? 'opened.handshake is not an object';
      return handshakeFields(h, 'opened.handshake') ?? findingsIn(h, 'findings', 'opened.handshake', true);
    }
    default:
      return undefined;
  }
}

import { readFile, stat } from 'node:fs/promises';

/**
 * Certificate revocation lists (RFC 5280 section 5) as a user gives them to a simulated charger: a DER file, or PEM
 * with one or more `X509 CRL` blocks. Only what revocation needs is read (the revoked serial numbers, and the list's
 * dates for the user's note); the list's signature is not checked: the file is the user's own statement, like the
 * `revokedCertificates` setting. Reading is pure and never throws: a bad file gets the precise reason.
 */
export interface CrlContents {
  /** Revoked serial numbers, hex lower case without leading zeros (as certificate-store compares them). */
  serials: string[];
  thisUpdate: string;
  nextUpdate?: string;
}

export type CrlResult = ({ ok: true } & CrlContents) | { ok: false; reason: string };

/** A CRL file bigger than this is refused rather than read (a large CA's lists are a few MB). */
export const MAX_CRL_BYTES = 64 * 1024 * 1024;

interface Tlv {
  tag: number;
  /** Where the content starts and ends, and where the next element starts (= end). */
  start: number;
  end: number;
}

/** One DER element at `at`, within `limit`; a string says why it cannot be read. */
function tlv(b: Uint8Array, at: number, limit: number, what: string): Tlv | string {
  if (at + 2 > limit) return `${what}: the data ends at byte ${at} in the middle of an element`;
  const tag = b[at]!;
  if ((tag & 0x1f) === 0x1f) return `${what}: tag 0x${tag.toString(16)} at byte ${at} is not one a CRL uses`;
  let len = b[at + 1]!;
  let start = at + 2;
  if (len === 0x80) return `${what}: an indefinite length at byte ${at} (BER, not DER)`;
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4) return `${what}: a length of ${n} bytes at byte ${at}`;
    if (start + n > limit) return `${what}: the data ends inside the length at byte ${at}`;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  if (start + len > limit)
    return `${what}: an element at byte ${at} claims ${len} bytes, ${limit - start} are left`;
  return { tag, start, end: start + len };
}

/** The elements inside a constructed element, in order. */
function children(b: Uint8Array, parent: Tlv, what: string): Tlv[] | string {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const t = tlv(b, at, parent.end, what);
    if (typeof t === 'string') return t;
    out.push(t);
    at = t.end;
  }
  return out;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

function timeOf(b: Uint8Array, t: Tlv): string | undefined {
  if (t.tag !== UTC_TIME && t.tag !== GENERALIZED_TIME) return undefined;
  const s = String.fromCharCode(...b.subarray(t.start, t.end));
  const m = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  const yy = Number(m[1]);
  const year = m[1]!.length === 4 ? yy : yy >= 50 ? 1900 + yy : 2000 + yy;
  return `${year}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
}

function serialOf(b: Uint8Array, t: Tlv): string {
  let hex = '';
  for (let i = t.start; i < t.end; i++) hex += b[i]!.toString(16).padStart(2, '0');
  return hex.replace(/^0+(?=.)/, '');
}

/** The contents of one DER-encoded CertificateList. */
export function readCrlDer(b: Uint8Array): CrlResult {
  const fail = (reason: string): CrlResult => ({ ok: false, reason });
  const outer = tlv(b, 0, b.length, 'CertificateList');
  if (typeof outer === 'string') return fail(outer);
  if (outer.tag !== SEQUENCE) return fail('not DER: a CRL starts with a SEQUENCE (0x30)');
  if (outer.end !== b.length) return fail(`${b.length - outer.end} bytes follow the CertificateList`);
  const parts = children(b, outer, 'CertificateList');
  if (typeof parts === 'string') return fail(parts);
  if (parts.length !== 3 || parts[0]!.tag !== SEQUENCE)
    return fail('a CertificateList has three parts: tbsCertList, signatureAlgorithm, signatureValue');
  const tbs = children(b, parts[0]!, 'tbsCertList');
  if (typeof tbs === 'string') return fail(tbs);
  let i = 0;
  if (tbs[i]?.tag === INTEGER) i++; // version (v2)
  if (tbs[i]?.tag !== SEQUENCE || tbs[i + 1]?.tag !== SEQUENCE)
    return fail('tbsCertList: the signature algorithm and issuer are missing');
  i += 2;
  const thisUpdate = tbs[i] ? timeOf(b, tbs[i]!) : undefined;
  if (!thisUpdate) return fail('tbsCertList: thisUpdate is missing or not a time');
  i++;
  const nextUpdate = tbs[i] ? timeOf(b, tbs[i]!) : undefined;
  if (nextUpdate) i++;
  const serials: string[] = [];
  if (tbs[i]?.tag === SEQUENCE) {
    const entries = children(b, tbs[i]!, 'revokedCertificates');
    if (typeof entries === 'string') return fail(entries);
    for (let n = 0; n < entries.length; n++) {
      const entry = entries[n]!;
      const fields = entry.tag === SEQUENCE ? children(b, entry, `revoked entry ${n + 1}`) : undefined;
      if (typeof fields === 'string') return fail(fields);
      const serial = fields?.[0];
      if (!serial || serial.tag !== INTEGER || serial.end === serial.start)
        return fail(`revoked entry ${n + 1} has no serial number`);
      serials.push(serialOf(b, serial));
    }
  }
  return { ok: true, serials, thisUpdate, ...(nextUpdate ? { nextUpdate } : {}) };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** A CRL file's contents: DER, or PEM with `X509 CRL` blocks (their serials together). */
export function readCrl(bytes: Uint8Array): CrlResult {
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty' };
  if (bytes[0] === SEQUENCE) return readCrlDer(bytes);
  const text = Buffer.from(bytes.subarray(0, Math.min(bytes.length, MAX_CRL_BYTES))).toString('latin1');
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0)
    return { ok: false, reason: 'neither DER nor PEM (no -----BEGIN X509 CRL----- block)' };
  const crls = blocks.filter((m) => m[1] === 'X509 CRL');
  if (crls.length === 0)
    return { ok: false, reason: `a PEM file without an X509 CRL block (it holds ${blocks[0]![1]})` };
  const serials = new Set<string>();
  let first: CrlResult | undefined;
  for (let n = 0; n < crls.length; n++) {
    const body = crls[n]![2]!.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body))
      return { ok: false, reason: `X509 CRL block ${n + 1} is not base64` };
    const r = readCrlDer(Buffer.from(body, 'base64'));
    if (!r.ok)
      return { ok: false, reason: crls.length > 1 ? `X509 CRL block ${n + 1}: ${r.reason}` : r.reason };
    r.serials.forEach((s) => serials.add(s));
    first ??= r;
  }
  return { ...(first as { ok: true } & CrlContents), serials: [...serials] };
}

/** Reads a CRL file from disk: its serials, or a sentence saying why not (never throws). */
export async function loadCrlFile(path: string): Promise<CrlResult> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, reason: `${path} is not a file` };
    if (info.size > MAX_CRL_BYTES)
      return { ok: false, reason: `${path} is ${info.size} bytes, more than the ${MAX_CRL_BYTES} read` };
    const r = readCrl(new Uint8Array(await readFile(path)));
    return r.ok ? r : { ok: false, reason: `${path} is no CRL: ${r.reason}` };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, reason: `cannot read ${path}${code ? ` (${code})` : ''}` };
  }
}

/**
 * A structural skim of one capture line (a JSON object) without building it: finds the value span of each top-level
 * key, skipping strings with native indexOf. The indexer uses it for frame events so it never materializes the frame
 * text (the bulk of every line). Anything unusual returns false and the caller falls back to JSON.parse.
 */

export interface Span {
  start: number;
  end: number;
}

/** Top-level keys the indexer reads, identified by (length, first byte) then confirmed byte by byte. */
export enum Key {
  Other = 0,
  Seq,
  T,
  Conn,
  Kind,
  Sender,
  Text,
  Binary,
  Msg,
  Problem,
  Findings,
  Pair,
  Mono,
  TextBytes,
  TextJson,
}

/** (length, first byte) picks the candidate; the rest of the bytes confirm it. A switch: this runs ~10 times a line. */
function keyOf(buf: Uint8Array, s: number, e: number): Key {
  const c = buf[s];
  switch (e - s) {
    case 1:
      return c === 0x74 ? Key.T : Key.Other; // t
    case 3:
      if (c === 0x73) return buf[s + 1] === 0x65 && buf[s + 2] === 0x71 ? Key.Seq : Key.Other; // seq
      if (c === 0x6d) return buf[s + 1] === 0x73 && buf[s + 2] === 0x67 ? Key.Msg : Key.Other; // msg
      return Key.Other;
    case 4:
      if (c === 0x63) return rest(buf, s, 'conn') ? Key.Conn : Key.Other;
      if (c === 0x6b) return rest(buf, s, 'kind') ? Key.Kind : Key.Other;
      if (c === 0x74) return rest(buf, s, 'text') ? Key.Text : Key.Other;
      if (c === 0x70) return rest(buf, s, 'pair') ? Key.Pair : Key.Other;
      if (c === 0x6d) return rest(buf, s, 'mono') ? Key.Mono : Key.Other;
      return Key.Other;
    case 6:
      if (c === 0x73) return rest(buf, s, 'sender') ? Key.Sender : Key.Other;
      if (c === 0x62) return rest(buf, s, 'binary') ? Key.Binary : Key.Other;
      return Key.Other;
    case 7:
      return c === 0x70 && rest(buf, s, 'problem') ? Key.Problem : Key.Other;
    case 8:
      if (c === 0x66) return rest(buf, s, 'findings') ? Key.Findings : Key.Other;
      return c === 0x74 && rest(buf, s, 'textJson') ? Key.TextJson : Key.Other;
    case 9:
      return c === 0x74 && rest(buf, s, 'textBytes') ? Key.TextBytes : Key.Other;
    default:
      return Key.Other;
  }
}

function rest(buf: Uint8Array, s: number, name: string): boolean {
  for (let i = 1; i < name.length; i++) if (buf[s + i] !== name.charCodeAt(i)) return false;
  return true;
}

function skipWs(buf: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return i;
    i++;
  }
  return i;
}

/**
 * i is just after the opening quote; returns the index of the closing quote, or -1. A plain byte loop: frame texts
 * are full of escaped quotes, and one native indexOf call per quote costs more than walking the bytes.
 */
function stringEnd(buf: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = buf[i]!;
    if (c === 0x22) return i;
    i += c === 0x5c ? 2 : 1;
  }
  return -1;
}

/** Returns the index just after the value starting at i, or -1. Depth is bounded so hostile nesting cannot recurse. */
function skipValue(buf: Uint8Array, i: number, end: number): number {
  const c = buf[i];
  if (c === 0x22) {
    const j = stringEnd(buf, i + 1, end);
    return j < 0 ? -1 : j + 1;
  }
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    while (i < end) {
      const b = buf[i]!;
      if (b === 0x22) {
        const j = stringEnd(buf, i + 1, end);
        if (j < 0) return -1;
        i = j + 1;
        continue;
      }
      if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        depth--;
        if (depth === 0) return i + 1;
        if (depth < 0) return -1;
      }
      i++;
    }
    return -1;
  }
  // number, true, false, null
  const start = i;
  while (i < end) {
    const b = buf[i]!;
    if (b === 0x2c || b === 0x7d || b === 0x5d || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) break;
    i++;
  }
  return i > start ? i : -1;
}

/** The spans skimObject hands out, reused by every call (no allocation per line). */
const POOL: Span[] = Array.from({ length: 16 }, () => ({ start: 0, end: 0 }));

/**
 * Fills `spans[key]` for known keys (value spans, quotes included for strings). Returns false when the line is not
 * one well-formed flat-structured object (the caller then uses JSON.parse, which also gives the precise reason).
 * With `cut` (the head of a verbatim line, shared/capture/verbatim-line.ts): the members end at the comma at `cut`,
 * which is also `end - 1`, and nothing after it is looked at. The spans handed out are reused by the next call: read
 * them before skimming again.
 */
export function skimObject(
  buf: Uint8Array,
  start: number,
  end: number,
  spans: (Span | undefined)[],
  cut = -1,
): boolean {
  spans.fill(undefined);
  let i = skipWs(buf, start, end);
  if (buf[i] !== 0x7b) return false;
  i = skipWs(buf, i + 1, end);
  if (buf[i] === 0x7d) return skipWs(buf, i + 1, end) === end;
  for (;;) {
    if (buf[i] !== 0x22) return false;
    const ke = stringEnd(buf, i + 1, end);
    if (ke < 0) return false;
    const key = keyOf(buf, i + 1, ke);
    i = skipWs(buf, ke + 1, end);
    if (buf[i] !== 0x3a) return false;
    i = skipWs(buf, i + 1, end);
    const vs = i;
    const ve = skipValue(buf, i, end);
    if (ve < 0) return false;
    if (key !== Key.Other) {
      const span = POOL[key]!;
      span.start = vs;
      span.end = ve;
      spans[key] = span;
    }
    i = skipWs(buf, ve, end);
    const c = buf[i];
    if (c === 0x2c) {
      if (i === cut) return true;
      i = skipWs(buf, i + 1, end);
      continue;
    }
    if (c === 0x7d) return cut < 0 && skipWs(buf, i + 1, end) === end;
    return false;
  }
}

export function spanJson(buf: Buffer, s: Span): unknown {
  try {
    return JSON.parse(buf.toString('utf8', s.start, s.end));
  } catch {
    return undefined;
  }
}

export function spanIsEmptyArray(buf: Buffer, s: Span): boolean {
  return s.end - s.start === 2 && buf[s.start] === 0x5b && buf[s.start + 1] === 0x5d;
}

/** Parses a plain JSON number (no exponent) without allocating; falls back to Number() for anything else. */
export function parseNumberAt(buf: Buffer, start: number, end: number): number | undefined {
  let i = start;
  let neg = false;
  if (buf[i] === 0x2d) {
    neg = true;
    i++;
  }
  let n = 0;
  let digits = 0;
  while (i < end) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) break;
    n = n * 10 + (c - 0x30);
    digits++;
    i++;
  }
  if (digits === 0) return undefined;
  if (i < end && buf[i] === 0x2e) {
    i++;
    let scale = 0.1;
    while (i < end) {
      const c = buf[i]!;
      if (c < 0x30 || c > 0x39) break;
      n += (c - 0x30) * scale;
      scale /= 10;
      i++;
    }
  }
  if (i < end) {
    const c = buf[i]!;
    if (c === 0x65 || c === 0x45) {
      const v = Number(buf.toString('latin1', start, end));
      return Number.isFinite(v) ? v : undefined;
    }
  }
  return neg ? -n : n;
}

/**
 * A JSON number exactly as JSON.parse reads it (the whole of [s, e): sign, no leading zeros, a fraction and an
 * exponent each with digits), as a finite number; anything else is undefined.
 */
export function strictNumber(buf: Uint8Array, s: number, e: number): number | undefined {
  // Longer ones (a fraction of many digits) are rare and left to JSON.parse.
  if (e - s > 64) return undefined;
  let i = s;
  if (buf[i] === 0x2d) i++;
  const first = buf[i];
  if (first === 0x30) i++;
  else if (first !== undefined && first >= 0x31 && first <= 0x39) i = digitsEnd(buf, i + 1, e);
  else return undefined;
  let plain = true;
  if (i < e && buf[i] === 0x2e) {
    const d = i + 1;
    i = digitsEnd(buf, d, e);
    if (i === d) return undefined;
    plain = false;
  }
  if (i < e && (buf[i] === 0x65 || buf[i] === 0x45)) {
    let d = i + 1;
    if (buf[d] === 0x2b || buf[d] === 0x2d) d++;
    i = digitsEnd(buf, d, e);
    if (i === d) return undefined;
    plain = false;
  }
  if (i !== e) return undefined;
  // Integers of up to 15 digits are exact by hand; anything else is left to Number() (JSON.parse's rounding).
  const v =
    plain && e - s <= 15
      ? parseNumberAt(buf as Buffer, s, e)
      : Number(String.fromCharCode(...buf.subarray(s, e)));
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

function digitsEnd(buf: Uint8Array, i: number, e: number): number {
  while (i < e) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) break;
    i++;
  }
  return i;
}

/** [s, e) is a string body JSON.parse takes byte for byte: no escape, no control character. */
export function isPlainStringBody(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = buf[i]!;
    if (c < 0x20 || c === 0x5c) return false;
  }
  return true;
}

/**
 * The members of a flat object span (`{"a":1,"b":"x"}`) whose values are plain strings (see isPlainStringBody),
 * numbers or true/false/null: key start and end (inside the quotes) and value start and end go into `out` (reused,
 * four numbers a member). Returns the member count, or -1 for anything else (nesting, escapes, malformed), which
 * callers hand to JSON.parse. Numbers are only delimited here: check them with strictNumber.
 */
export function flatMembers(buf: Uint8Array, span: Span, out: number[]): number {
  const end = span.end;
  let i = skipWs(buf, span.start, end);
  if (buf[i] !== 0x7b) return -1;
  i = skipWs(buf, i + 1, end);
  if (buf[i] === 0x7d) return skipWs(buf, i + 1, end) === end ? 0 : -1;
  let n = 0;
  for (;;) {
    if (buf[i] !== 0x22) return -1;
    const ks = i + 1;
    const ke = plainStringEnd(buf, ks, end);
    if (ke < 0) return -1;
    i = skipWs(buf, ke + 1, end);
    if (buf[i] !== 0x3a) return -1;
    const vs = skipWs(buf, i + 1, end);
    let ve: number;
    const c = buf[vs];
    if (c === 0x22) {
      const q = plainStringEnd(buf, vs + 1, end);
      if (q < 0) return -1;
      ve = q + 1;
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      ve = literalEnd(buf, vs, end);
      if (ve < 0) return -1;
    } else if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) {
      ve = vs + 1;
      while (ve < end) {
        const b = buf[ve]!;
        if (b === 0x2c || b === 0x7d || b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a) break;
        ve++;
      }
    } else return -1;
    out[n * 4] = ks;
    out[n * 4 + 1] = ke;
    out[n * 4 + 2] = vs;
    out[n * 4 + 3] = ve;
    n++;
    i = skipWs(buf, ve, end);
    if (buf[i] === 0x2c) {
      i = skipWs(buf, i + 1, end);
      continue;
    }
    if (buf[i] === 0x7d) return skipWs(buf, i + 1, end) === end ? n : -1;
    return -1;
  }
}

/** The closing quote of a plain string body starting at i, or -1 (an escape or control character included). */
function plainStringEnd(buf: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = buf[i]!;
    if (c === 0x22) return i;
    if (c < 0x20 || c === 0x5c) return -1;
    i++;
  }
  return -1;
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function literalEnd(buf: Uint8Array, i: number, end: number): number {
  const word = buf[i] === 0x74 ? TRUE : buf[i] === 0x66 ? FALSE : NULL;
  if (i + word.length > end) return -1;
  for (let k = 0; k < word.length; k++) if (buf[i + k] !== word[k]) return -1;
  return i + word.length;
}

/** Is [s, e) exactly the bytes of `word`? */
export function bytesAre(buf: Uint8Array, s: number, e: number, word: Uint8Array): boolean {
  if (e - s !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (buf[s + k] !== word[k]) return false;
  return true;
}

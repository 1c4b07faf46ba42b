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
      return c === 0x66 && rest(buf, s, 'findings') ? Key.Findings : Key.Other;
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

/**
 * Fills `spans[key]` for known keys (value spans, quotes included for strings). Returns false when the line is not
 * one well-formed flat-structured object (the caller then uses JSON.parse, which also gives the precise reason).
 */
const POOL: Span[] = Array.from({ length: 16 }, () => ({ start: 0, end: 0 }));

/**
 * Note: the spans handed out are reused by the next call (no allocation per line); read them before skimming again.
 */
export function skimObject(
  buf: Uint8Array,
  start: number,
  end: number,
  spans: (Span | undefined)[],
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
      i = skipWs(buf, i + 1, end);
      continue;
    }
    if (c === 0x7d) return skipWs(buf, i + 1, end) === end;
    return false;
  }
}

/** A simple string value (no escapes) without allocation-heavy JSON.parse; escapes fall back to JSON.parse. */
/** Small spans are searched with plain loops: a native indexOf would run on past the span into the next lines. */
function hasByte(buf: Uint8Array, from: number, to: number, b: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] === b) return true;
  return false;
}

function findPattern(buf: Uint8Array, from: number, to: number, p: Uint8Array): number {
  const last = to - p.length;
  outer: for (let i = from; i <= last; i++) {
    if (buf[i] !== p[0]) continue;
    for (let k = 1; k < p.length; k++) if (buf[i + k] !== p[k]) continue outer;
    return i;
  }
  return -1;
}

export function spanString(buf: Buffer, s: Span): string | undefined {
  if (buf[s.start] !== 0x22 || buf[s.end - 1] !== 0x22) return undefined;
  if (!hasByte(buf, s.start + 1, s.end - 1, 0x5c)) return buf.toString('utf8', s.start + 1, s.end - 1);
  try {
    const v: unknown = JSON.parse(buf.toString('utf8', s.start, s.end));
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function spanNumber(buf: Buffer, s: Span): number | undefined {
  const c = buf[s.start];
  if (c === 0x22 || c === 0x7b || c === 0x5b) return undefined;
  return parseNumberAt(buf, s.start, s.end);
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

/** Does the span hold exactly this JSON string (quotes included in `quoted`)? No allocation. */
export function spanEquals(buf: Buffer, s: Span, quoted: Uint8Array): boolean {
  if (s.end - s.start !== quoted.length) return false;
  for (let i = 0; i < quoted.length; i++) if (buf[s.start + i] !== quoted[i]) return false;
  return true;
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

/** The number after `"key":` inside a small object span, or undefined. */
export function numberField(buf: Buffer, s: Span, keyPattern: Uint8Array): number | undefined {
  const at = findPattern(buf, s.start, s.end, keyPattern);
  if (at < 0) return undefined;
  let i = at + keyPattern.length;
  while (i < s.end && buf[i] === 0x20) i++;
  let j = i;
  while (j < s.end) {
    const c = buf[j]!;
    if (c === 0x2c || c === 0x7d || c === 0x20) break;
    j++;
  }
  return parseNumberAt(buf, i, j);
}

/** The string after `"key":"` inside a small object span (only when it has no escapes), or undefined. */
export function stringField(buf: Buffer, s: Span, keyPattern: Uint8Array): string | undefined | null {
  const at = findPattern(buf, s.start, s.end, keyPattern);
  if (at < 0) return undefined;
  const i = at + keyPattern.length;
  const j = stringEnd(buf, i, s.end);
  if (j < 0) return null;
  if (hasByte(buf, i, j, 0x5c)) return null;
  return buf.toString('utf8', i, j);
}

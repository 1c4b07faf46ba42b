import type { ScopeEventKind, Sender } from './events';
import { EVENT_KINDS } from './events';

/**
 * The one filter language of the UI's filter bar and the CLI's `--filter`: terms `key:value` and free text, combined
 * with AND (or juxtaposition), OR, NOT (or a leading `-`), and parentheses; values with spaces are quoted.
 *
 *   action:BootNotification type:call from:cs
 *   (action:StartTransaction OR action:StopTransaction) -is:findings
 *   cp:"CP 01" NOT from:csms "vendor name"
 *
 * Parsing is pure and never throws: an unknown key, a bad value or a stray parenthesis is an error with its position.
 * Evaluation is three-valued so an index can answer from its columns and read an event only when a term needs it.
 */

export type FilterTerm =
  | { key: 'action'; value: string }
  | { key: 'conn'; value: string }
  | { key: 'cp'; value: string }
  | { key: 'type'; value: number }
  | { key: 'from'; value: Sender }
  | { key: 'since' | 'until'; value: number }
  /** A clock time (14:03:07.250) not yet placed on a day: see resolveClockTimes. */
  | { key: 'since' | 'until'; clock: string }
  | { key: 'is'; value: 'findings' | 'error' | 'warning' }
  | { key: 'kind'; value: ScopeEventKind }
  | { key: 'code'; value: string }
  | { key: 'text'; value: string };

export type FilterExpr =
  | { op: 'and' | 'or'; args: FilterExpr[] }
  | { op: 'not'; arg: FilterExpr }
  | { op: 'term'; term: FilterTerm };

export interface FilterKey {
  key: string;
  aliases: string[];
  values: string;
  meaning: string;
}

/** The keys, for completion in the UI and for help texts. */
export const FILTER_KEYS: readonly FilterKey[] = [
  {
    key: 'action',
    aliases: [],
    values: 'an action name',
    meaning: 'frames of this action (requests and answers)',
  },
  {
    key: 'type',
    aliases: [],
    values: 'call, result, error, resulterror, send or 2-6',
    meaning: 'frames of this message type',
  },
  {
    key: 'from',
    aliases: ['sender'],
    values: 'cs (station) or csms',
    meaning: 'frames and pings sent by this side',
  },
  { key: 'cp', aliases: ['identity'], values: 'a charge point identity', meaning: 'events of this charger' },
  { key: 'conn', aliases: ['connection'], values: 'a connection id', meaning: 'events of this connection' },
  {
    key: 'is',
    aliases: [],
    values: 'findings, error or warning',
    meaning: 'events with findings (of that severity)',
  },
  { key: 'code', aliases: [], values: 'a finding code', meaning: 'events with this finding code' },
  {
    key: 'kind',
    aliases: [],
    values: 'opened, frame, ping, pong, closed, error, note or transfer',
    meaning: 'events of this kind',
  },
  {
    key: 'since',
    aliases: ['after'],
    values: '14:03, 14:03:07.250, an ISO time or ms since epoch',
    meaning: 'events at or after this time',
  },
  { key: 'until', aliases: ['before'], values: 'as for since', meaning: 'events at or before this time' },
  {
    key: 'text',
    aliases: [],
    values: 'any text',
    meaning: 'case-insensitive text search (also: a bare word)',
  },
];

const KEY_OF = new Map<string, string>();
for (const k of FILTER_KEYS) for (const name of [k.key, ...k.aliases]) KEY_OF.set(name, k.key);

export const MESSAGE_TYPE_WORDS: Readonly<Record<string, number>> = {
  call: 2,
  result: 3,
  callresult: 3,
  error: 4,
  callerror: 4,
  resulterror: 5,
  callresulterror: 5,
  send: 6,
};

const KINDS: readonly ScopeEventKind[] = EVENT_KINDS;

export interface FilterError {
  message: string;
  /** Character offset in the filter text. */
  at: number;
}

export type FilterParse = { ok: true; expr: FilterExpr | undefined } | { ok: false; error: FilterError };

interface Token {
  /** word: a term or free text; quoted free text; ( ) and the operators. */
  kind: 'word' | 'quoted' | '(' | ')' | 'and' | 'or' | 'not';
  text: string;
  at: number;
  /** For `key:"quoted value"`: the value, spaces kept (text then holds `key:`). */
  value?: string;
}

function tokenize(text: string): Token[] | FilterError {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ kind: c, text: c, at: i++ });
      continue;
    }
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return { message: 'a quote is not closed', at: i };
      out.push({ kind: 'quoted', text: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    if (c === '-' && i + 1 < text.length && /[^\s)-]/.test(text[i + 1]!) && startsToken(text, i)) {
      out.push({ kind: 'not', text: '-', at: i++ });
      continue;
    }
    const at = i;
    let word = '';
    let value: string | undefined;
    // A word runs to white space or a parenthesis; `key:"quoted value"` keeps its spaces.
    while (i < text.length && !/[\s()]/.test(text[i]!)) {
      if (text[i] === '"' && word.endsWith(':')) {
        const end = text.indexOf('"', i + 1);
        if (end < 0) return { message: 'a quote is not closed', at: i };
        value = text.slice(i + 1, end);
        i = end + 1;
        break;
      }
      word += text[i++];
    }
    if (value !== undefined) {
      out.push({ kind: 'word', text: word, at, value });
      continue;
    }
    const upper = word.toUpperCase();
    if (upper === 'AND' || word === '&&') out.push({ kind: 'and', text: word, at });
    else if (upper === 'OR' || word === '||' || word === '|') out.push({ kind: 'or', text: word, at });
    else if (upper === 'NOT' || word === '!') out.push({ kind: 'not', text: word, at });
    else out.push({ kind: 'word', text: word, at });
  }
  return out;
}

function startsToken(text: string, i: number): boolean {
  return i === 0 || /[\s(]/.test(text[i - 1]!);
}

/** A clock time (14:03, 14:03:07, 14:03:07.250) or an absolute one (ISO, ms since epoch). */
function timeTerm(key: 'since' | 'until', value: string): FilterTerm | undefined {
  if (/^\d{10,}$/.test(value)) return { key, value: Number(value) };
  if (/^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.test(value)) return { key, clock: value };
  const t = Date.parse(value);
  return Number.isFinite(t) ? { key, value: t } : undefined;
}

function term(key: string, value: string): FilterTerm | string {
  switch (key) {
    case 'action':
    case 'conn':
    case 'cp':
    case 'code':
    case 'text':
      return { key, value };
    case 'type': {
      const n = /^\d$/.test(value) ? Number(value) : MESSAGE_TYPE_WORDS[value.toLowerCase()];
      return n !== undefined && n >= 2 && n <= 6
        ? { key, value: n }
        : 'use call, result, error, resulterror, send or 2-6';
    }
    case 'from': {
      const v = value.toLowerCase();
      if (v === 'cs' || v === 'cp' || v === 'station') return { key, value: 'station' };
      if (v === 'csms') return { key, value: 'csms' };
      return 'use cs or csms';
    }
    case 'is': {
      const v = value.toLowerCase();
      if (v === 'findings' || v === 'error' || v === 'warning') return { key, value: v };
      return 'use findings, error or warning';
    }
    case 'kind': {
      const v = value.toLowerCase() as ScopeEventKind;
      return KINDS.includes(v) ? { key, value: v } : `use ${KINDS.join(', ')}`;
    }
    case 'since':
    case 'until':
      return (
        timeTerm(key, value) ?? 'not a time: use 14:03, 14:03:07.250, an ISO date-time or ms since epoch'
      );
    default:
      return 'unknown key';
  }
}

function wordTerm(tok: Token): FilterExpr | FilterError {
  if (tok.kind === 'quoted') return { op: 'term', term: { key: 'text', value: tok.text } };
  const colon = tok.text.indexOf(':');
  const rawKey = colon > 0 ? tok.text.slice(0, colon) : '';
  let value = colon > 0 ? tok.text.slice(colon + 1) : '';
  // Only `name:value` is a term; a URL (ws://...), a clock time or a word with a colon elsewhere is free text.
  if (colon <= 0 || !/^[a-z]+$/i.test(rawKey) || value.startsWith('//')) {
    return { op: 'term', term: { key: 'text', value: tok.text + (tok.value ?? '') } };
  }
  if (tok.value !== undefined) value = tok.value;
  const key = KEY_OF.get(rawKey.toLowerCase());
  if (key === undefined) {
    return {
      message: `unknown key "${rawKey}": use ${FILTER_KEYS.map((k) => k.key).join(', ')} (or quote the text)`,
      at: tok.at,
    };
  }
  if (value === '') return { message: `${rawKey}: needs a value`, at: tok.at };
  const t = term(key, value);
  if (typeof t === 'string') return { message: `${rawKey}:${value}: ${t}`, at: tok.at };
  return { op: 'term', term: t };
}

const isError = (x: unknown): x is FilterError => typeof x === 'object' && x !== null && 'message' in x;

/** Parses filter text; an empty text is `expr: undefined` (everything matches). Never throws. */
export function parseFilter(text: string): FilterParse {
  const tokens = tokenize(text);
  if (isError(tokens)) return { ok: false, error: tokens };
  let pos = 0;
  // Bounded nesting: a filter is typed by a person, and recursion must not be a way to crash the engine.
  const MAX_DEPTH = 64;

  const primary = (depth: number): FilterExpr | FilterError => {
    const tok = tokens[pos];
    if (!tok) return { message: 'the filter ends where a term was expected', at: text.length };
    if (tok.kind === 'not') {
      pos++;
      if (depth > MAX_DEPTH) return { message: 'too deeply nested', at: tok.at };
      const arg = primary(depth + 1);
      return isError(arg) ? arg : { op: 'not', arg };
    }
    if (tok.kind === '(') {
      pos++;
      if (depth > MAX_DEPTH) return { message: 'too deeply nested', at: tok.at };
      const inner = or(depth + 1);
      if (isError(inner)) return inner;
      if (tokens[pos]?.kind !== ')') return { message: 'a parenthesis is not closed', at: tok.at };
      pos++;
      return inner;
    }
    if (tok.kind === 'word' || tok.kind === 'quoted') {
      pos++;
      return wordTerm(tok);
    }
    return { message: `"${tok.text}" where a term was expected`, at: tok.at };
  };

  const and = (depth: number): FilterExpr | FilterError => {
    const args: FilterExpr[] = [];
    for (;;) {
      const e = primary(depth);
      if (isError(e)) return e;
      args.push(e);
      const next = tokens[pos];
      if (!next || next.kind === ')' || next.kind === 'or') break;
      if (next.kind === 'and') pos++;
    }
    return args.length === 1 ? args[0]! : { op: 'and', args };
  };

  const or = (depth: number): FilterExpr | FilterError => {
    const args: FilterExpr[] = [];
    for (;;) {
      const e = and(depth);
      if (isError(e)) return e;
      args.push(e);
      if (tokens[pos]?.kind !== 'or') break;
      pos++;
    }
    return args.length === 1 ? args[0]! : { op: 'or', args };
  };

  if (tokens.length === 0) return { ok: true, expr: undefined };
  const expr = or(0);
  if (isError(expr)) return { ok: false, error: expr };
  if (pos < tokens.length)
    return { ok: false, error: { message: `unexpected "${tokens[pos]!.text}"`, at: tokens[pos]!.at } };
  return { ok: true, expr };
}

/** Places clock times on the local date of `base` (the first event of what is filtered: a capture's own day). */
export function resolveClockTimes(expr: FilterExpr, base: number): FilterExpr {
  switch (expr.op) {
    case 'and':
    case 'or':
      return { op: expr.op, args: expr.args.map((a) => resolveClockTimes(a, base)) };
    case 'not':
      return { op: 'not', arg: resolveClockTimes(expr.arg, base) };
    default: {
      const t = expr.term;
      if ((t.key !== 'since' && t.key !== 'until') || !('clock' in t)) return expr;
      const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(t.clock)!;
      const d = new Date(base);
      d.setHours(Number(m[1]), Number(m[2]), Number(m[3] ?? 0), Number((m[4] ?? '0').padEnd(3, '0')));
      return { op: 'term', term: { key: t.key, value: d.getTime() } };
    }
  }
}

/**
 * What an evaluator knows about one event. A field left undefined where the event has it means "not known here"
 * (an index without the event's text): terms on it answer `undefined`, and so may the whole filter.
 */
export interface FilterFacts {
  kind: ScopeEventKind;
  conn: string;
  t: number;
  identity?: string;
  sender?: Sender;
  type?: number;
  action?: string;
  /** Number of findings (a frame's problem counts as one). */
  findings: number;
  /** Severities and codes of the findings, when known. */
  severities?: readonly string[];
  codes?: readonly string[];
  /** Case-insensitive text search over what a person sees; undefined from it means "cannot tell without the event". */
  text?: (needle: string) => boolean | undefined;
}

const eq = (a: string | undefined, b: string): boolean =>
  a !== undefined && a.toLowerCase() === b.toLowerCase();

function evalTerm(t: FilterTerm, f: FilterFacts): boolean | undefined {
  switch (t.key) {
    case 'action':
      return f.kind === 'frame' && eq(f.action, t.value);
    case 'conn':
      return f.conn === t.value;
    case 'cp':
      return eq(f.identity, t.value);
    case 'type':
      return f.kind === 'frame' && f.type === t.value;
    case 'from':
      return f.sender === t.value;
    case 'since':
      return 'value' in t ? f.t >= t.value : undefined;
    case 'until':
      return 'value' in t ? f.t <= t.value : undefined;
    case 'is':
      if (t.value === 'findings') return f.findings > 0;
      if (f.findings === 0) return false;
      return f.severities ? f.severities.includes(t.value) : undefined;
    case 'kind':
      return f.kind === t.value;
    case 'code':
      if (f.findings === 0) return false;
      return f.codes ? f.codes.includes(t.value) : undefined;
    case 'text':
      return f.text ? f.text(t.value) : undefined;
  }
}

/** true / false, or undefined when a term needs what the facts do not hold (read the event, then ask again). */
export function evalFilter(expr: FilterExpr, f: FilterFacts): boolean | undefined {
  switch (expr.op) {
    case 'term':
      return evalTerm(expr.term, f);
    case 'not': {
      const v = evalFilter(expr.arg, f);
      return v === undefined ? undefined : !v;
    }
    case 'and': {
      let unknown = false;
      for (const a of expr.args) {
        const v = evalFilter(a, f);
        if (v === false) return false;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    case 'or': {
      let unknown = false;
      for (const a of expr.args) {
        const v = evalFilter(a, f);
        if (v === true) return true;
        if (v === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    }
  }
}

// A value with a space, a parenthesis, a quote or a colon is quoted, so that it reads back as the same value.
const quote = (v: string): string => (/[\s():"]/.test(v) || v === '' ? `"${v.replace(/"/g, '')}"` : v);
const TYPE_WORD: Record<number, string> = { 2: 'call', 3: 'result', 4: 'error', 5: 'resulterror', 6: 'send' };

/** The inverse of parseFilter (up to spacing and aliases). */
export function formatFilter(expr: FilterExpr | undefined): string {
  if (!expr) return '';
  switch (expr.op) {
    case 'and':
      return expr.args.map((a) => (a.op === 'or' ? `(${formatFilter(a)})` : formatFilter(a))).join(' ');
    case 'or':
      return expr.args.map((a) => formatFilter(a)).join(' OR ');
    case 'not':
      return `NOT ${expr.arg.op === 'term' ? formatFilter(expr.arg) : `(${formatFilter(expr.arg)})`}`;
    default: {
      const t = expr.term;
      switch (t.key) {
        case 'text':
          return quote(t.value);
        case 'type':
          return `type:${TYPE_WORD[t.value] ?? t.value}`;
        case 'from':
          return `from:${t.value === 'station' ? 'cs' : 'csms'}`;
        case 'since':
        case 'until':
          return `${t.key}:${'clock' in t ? t.clock : new Date(t.value).toISOString()}`;
        default:
          return `${t.key}:${quote(String(t.value))}`;
      }
    }
  }
}

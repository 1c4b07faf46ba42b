import type { EventQuery } from '../../../shared/api';

/**
 * The filter bar's little language, mapped one to one onto EventQuery so the engine can run the same query over a
 * capture of a million events. Tokens: `action:BootNotification`, `conn:<id>`, `cp:<identity>`,
 * `type:call|result|error|resulterror|send|2..6`, `from:cs|csms`, `is:findings`, a time range with `since:` and
 * `until:` (14:03, 14:03:07.250, an ISO date-time, or ms since the epoch); anything else is free text.
 * Quotes keep spaces together: `"Accepted status"`.
 */

const TYPE_WORDS: Record<string, number> = {
  call: 2,
  result: 3,
  callresult: 3,
  error: 4,
  callerror: 4,
  resulterror: 5,
  callresulterror: 5,
  send: 6,
};

const TYPE_TOKEN: Record<number, string> = {
  2: 'call',
  3: 'result',
  4: 'error',
  5: 'resulterror',
  6: 'send',
};

export interface ParsedSearch {
  query: EventQuery;
  /** Tokens that looked like `key:value` but were not understood, so the bar can say so instead of ignoring them. */
  unknown: string[];
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /(\S+?:)?"([^"]*)"?|\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[2] !== undefined) tokens.push((m[1] ?? '') + m[2]);
    else tokens.push(m[0]);
  }
  return tokens;
}

/**
 * A time in the filter: a clock time (14:03, 14:03:07, 14:03:07.250) is taken on the local date of `base` (the
 * first event of what is shown, so a capture from last week filters on its own day), else ISO or epoch ms.
 */
export function parseTime(value: string, base: number): number | undefined {
  if (/^\d{10,}$/.test(value)) return Number(value);
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value);
  if (clock) {
    const d = new Date(base);
    d.setHours(
      Number(clock[1]),
      Number(clock[2]),
      Number(clock[3] ?? 0),
      Number((clock[4] ?? '0').padEnd(3, '0')),
    );
    return d.getTime();
  }
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

export function parseSearch(text: string, base: number = Date.now()): ParsedSearch {
  const query: EventQuery = {};
  const unknown: string[] = [];
  const free: string[] = [];
  for (const token of tokenize(text)) {
    const colon = token.indexOf(':');
    const key = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
    const value = colon > 0 ? token.slice(colon + 1) : token;
    if (colon <= 0 || value === '') {
      free.push(token);
      continue;
    }
    switch (key) {
      case 'action':
        query.action = value;
        break;
      case 'conn':
        query.connection = value;
        break;
      case 'cp':
      case 'identity':
        query.identity = value;
        break;
      case 'type': {
        const n = /^\d$/.test(value) ? Number(value) : TYPE_WORDS[value.toLowerCase()];
        if (n !== undefined && n >= 2 && n <= 6) query.messageType = n;
        else unknown.push(token);
        break;
      }
      case 'from': {
        const v = value.toLowerCase();
        if (v === 'cs' || v === 'station' || v === 'cp') query.sender = 'station';
        else if (v === 'csms') query.sender = 'csms';
        else unknown.push(token);
        break;
      }
      case 'since':
      case 'after':
      case 'until':
      case 'before': {
        const t = parseTime(value, base);
        if (t === undefined) unknown.push(token);
        else if (key === 'since' || key === 'after') query.from = t;
        else query.to = t;
        break;
      }
      case 'is':
        if (value.toLowerCase() === 'findings') query.withFindings = true;
        else unknown.push(token);
        break;
      default:
        // Not a known key (a URL, a time, "ws://..."): treat it as text rather than guessing.
        free.push(token);
    }
  }
  if (free.length > 0) query.text = free.join(' ');
  return { query, unknown };
}

const quote = (v: string): string => (/\s/.test(v) ? `"${v}"` : v);

/** The inverse of parseSearch, for chips that edit the query (clicking an action adds `action:X`). */
export function formatSearch(q: EventQuery): string {
  const parts: string[] = [];
  if (q.connection) parts.push(`conn:${quote(q.connection)}`);
  if (q.identity) parts.push(`cp:${quote(q.identity)}`);
  if (q.action) parts.push(`action:${quote(q.action)}`);
  if (q.messageType !== undefined) parts.push(`type:${TYPE_TOKEN[q.messageType] ?? q.messageType}`);
  if (q.sender) parts.push(`from:${q.sender === 'station' ? 'cs' : 'csms'}`);
  if (q.withFindings) parts.push('is:findings');
  if (q.from !== undefined) parts.push(`since:${new Date(q.from).toISOString()}`);
  if (q.to !== undefined) parts.push(`until:${new Date(q.to).toISOString()}`);
  if (q.text) parts.push(q.text);
  return parts.join(' ');
}

import type { EventQuery } from '../../../shared/api';

/**
 * The filter bar's little language, mapped one to one onto EventQuery so the engine can run the same query over a
 * capture of a million events. Tokens: `action:BootNotification`, `conn:<id>`, `cp:<identity>`,
 * `type:call|result|error|resulterror|send|2..6`, `from:cs|csms`, `is:findings`; anything else is free text.
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

export function parseSearch(text: string): ParsedSearch {
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
  if (q.text) parts.push(q.text);
  return parts.join(' ');
}

import type { EventQuery } from '../../../shared/api';
import type { FilterExpr } from '../../../shared/capture/filter';
import { FILTER_KEYS, formatFilter, parseFilter, resolveClockTimes } from '../../../shared/capture/filter';
import { fieldsExpr } from '../../../shared/capture/query';
import { EVENT_KINDS } from '../../../shared/capture/events';

/**
 * The filter bar speaks the one filter language of shared/capture/filter.ts (the CLI's --filter too). A plain
 * conjunction of terms is sent as EventQuery fields, which a capture index answers from its columns and the chips
 * can toggle; anything with OR, NOT or parentheses travels as the filter text itself.
 */

export interface ParsedSearch {
  query: EventQuery;
  /** What was not understood (an unknown key, a bad value, a stray parenthesis), so the bar can say so. */
  unknown: string[];
}

/** The EventQuery fields of a plain conjunction, or undefined when the expression needs the filter text. */
function asFields(expr: FilterExpr, base: number): EventQuery | undefined {
  const terms = expr.op === 'and' ? expr.args : [expr];
  const q: EventQuery = {};
  const text: string[] = [];
  for (const e of terms) {
    if (e.op !== 'term') return undefined;
    const t = resolveClockTimes(e, base);
    if (t.op !== 'term') return undefined;
    const term = t.term;
    const set = <K extends keyof EventQuery>(k: K, v: EventQuery[K]): boolean => {
      if (q[k] !== undefined) return false;
      q[k] = v;
      return true;
    };
    let ok = true;
    switch (term.key) {
      case 'action':
        ok = set('action', term.value);
        break;
      case 'conn':
        ok = set('connection', term.value);
        break;
      case 'cp':
        ok = set('identity', term.value);
        break;
      case 'type':
        ok = set('messageType', term.value);
        break;
      case 'from':
        ok = set('sender', term.value);
        break;
      case 'is':
        ok = term.value === 'findings' && set('withFindings', true);
        break;
      case 'since':
        ok = 'value' in term && set('from', term.value);
        break;
      case 'until':
        ok = 'value' in term && set('to', term.value);
        break;
      case 'text':
        text.push(term.value);
        break;
      default:
        ok = false;
    }
    if (!ok) return undefined;
  }
  // Several text terms are each searched for (AND), which the one `text` field cannot say.
  if (text.length > 1) return undefined;
  if (text.length === 1) q.text = text[0];
  return q;
}

export function parseSearch(text: string, base: number = Date.now()): ParsedSearch {
  const p = parseFilter(text);
  if (!p.ok) return { query: {}, unknown: [p.error.message] };
  if (!p.expr) return { query: {}, unknown: [] };
  return { query: asFields(p.expr, base) ?? { filter: text.trim(), filterBase: base }, unknown: [] };
}

/** The inverse of parseSearch, for chips that edit the query (clicking an action adds `action:X`). */
export function formatSearch(q: EventQuery): string {
  const fields = formatFilter(fieldsExpr(q));
  if (!q.filter) return fields;
  return fields === '' ? q.filter : `${fields} (${q.filter})`;
}

export interface Completion {
  /** What the list shows. */
  label: string;
  /** A one-line hint beside it. */
  hint: string;
  /** The whole filter text after choosing it. */
  text: string;
}

const VALUE_WORDS: Record<string, string[]> = {
  type: ['call', 'result', 'error', 'resulterror', 'send'],
  from: ['cs', 'csms'],
  is: ['findings', 'error', 'warning'],
  kind: [...EVENT_KINDS],
};

/** Completions for the word being typed at the end of the filter: key names, then the values of enumerated keys. */
export function completeFilter(text: string): Completion[] {
  // Inside an open quote the user is typing text, not a key.
  if ((text.match(/"/g)?.length ?? 0) % 2 === 1) return [];
  const m = /(^|[\s(-])([a-z]*)(?::([a-z]*))?$/i.exec(text);
  if (!m) return [];
  const head = text.slice(0, text.length - m[0].length + m[1]!.length);
  const word = m[2]!.toLowerCase();
  if (m[3] === undefined) {
    if (word === '') return [];
    return FILTER_KEYS.filter((k) => k.key.startsWith(word) && k.key !== word).map((k) => ({
      label: `${k.key}:`,
      hint: k.meaning,
      text: `${head}${k.key}:`,
    }));
  }
  const key = FILTER_KEYS.find((k) => k.key === word || k.aliases.includes(word));
  const values = key ? (VALUE_WORDS[key.key] ?? []) : [];
  const typed = m[3].toLowerCase();
  return values
    .filter((v) => v.startsWith(typed) && v !== typed)
    .map((v) => ({ label: `${word}:${v}`, hint: key!.meaning, text: `${head}${word}:${v} ` }));
}

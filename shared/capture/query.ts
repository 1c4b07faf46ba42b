import type { EventQuery } from './event-query';
import type { Finding, ScopeEvent } from './events';
import type { FilterError, FilterExpr, FilterFacts, FilterTerm } from './filter';
import { evalFilter, MESSAGE_TYPE_WORDS, parseFilter, resolveClockTimes } from './filter';

/**
 * The one filter used by the UI (live and opened sources) and by `ocpp-scope inspect`. Identity is resolved through
 * the connections a source knows (conn id -> identity), since only `opened` events carry it.
 */

export interface QueryContext {
  identityOf(conn: string): string | undefined;
}

export function isEmptyQuery(q: EventQuery): boolean {
  return (
    q.connection === undefined &&
    q.identity === undefined &&
    q.action === undefined &&
    q.messageType === undefined &&
    q.sender === undefined &&
    !q.withFindings &&
    (q.text === undefined || q.text === '') &&
    q.from === undefined &&
    q.to === undefined &&
    (q.filter === undefined || q.filter.trim() === '')
  );
}

export function eventFindingCount(e: ScopeEvent): number {
  switch (e.kind) {
    case 'frame':
      return e.findings.length + (e.problem ? 1 : 0);
    case 'opened':
      return e.handshake.findings.length + (e.handshake.failure ? 1 : 0);
    case 'note':
    case 'transfer':
      return e.findings?.length ?? 0;
    case 'error':
      return 1;
    default:
      return 0;
  }
}

/** The findings of an event as codes and severities (a frame's problem and a failed handshake count as errors). */
function eventFindings(e: ScopeEvent): { codes: string[]; severities: string[] } {
  const codes: string[] = [];
  const severities: string[] = [];
  const add = (list: readonly Finding[] | undefined): void => {
    for (const f of list ?? []) {
      codes.push(f.code);
      severities.push(f.severity);
    }
  };
  switch (e.kind) {
    case 'frame':
      if (e.problem) {
        codes.push(`frame-${e.problem.code}`);
        severities.push('error');
      }
      add(e.findings);
      break;
    case 'opened':
      if (e.handshake.failure) {
        codes.push(e.handshake.failure.code);
        severities.push('error');
      }
      add(e.handshake.findings);
      break;
    case 'note':
    case 'transfer':
      add(e.findings);
      break;
    case 'error':
      codes.push(e.code);
      severities.push('error');
      break;
    default:
  }
  return { codes, severities };
}

/** Everything the filter language can ask of one event that is at hand. */
export function eventFacts(e: ScopeEvent, ctx: QueryContext): FilterFacts {
  const f = eventFindings(e);
  return {
    kind: e.kind,
    conn: e.conn,
    t: e.t,
    identity: e.kind === 'opened' ? e.connection.identity : ctx.identityOf(e.conn),
    sender: e.kind === 'frame' || e.kind === 'ping' || e.kind === 'pong' ? e.sender : undefined,
    type: e.kind === 'frame' ? e.msg?.type : undefined,
    action: e.kind === 'frame' ? e.msg?.action : undefined,
    findings: f.codes.length,
    codes: f.codes,
    severities: f.severities,
    text: (needle) => matchesText(e, needle),
  };
}

export type CompiledQuery = { ok: true; expr: FilterExpr | undefined } | { ok: false; error: FilterError };

/**
 * One expression for a whole query: the structured fields (the CLI's flags, the UI's chips) as terms, ANDed with
 * the filter text. Every matcher (memory, capture index, CLI) evaluates this, so they cannot disagree.
 */
export function compileQuery(q: EventQuery): CompiledQuery {
  const args: FilterExpr[] = [];
  const fields = fieldsExpr(q);
  if (fields) args.push(fields);
  if (q.filter !== undefined && q.filter.trim() !== '') {
    const p = parseFilter(q.filter);
    if (!p.ok) return p;
    if (p.expr) args.push(q.filterBase !== undefined ? resolveClockTimes(p.expr, q.filterBase) : p.expr);
  }
  return {
    ok: true,
    expr: args.length === 0 ? undefined : args.length === 1 ? args[0] : { op: 'and', args },
  };
}

/** The structured fields of a query (everything but the filter text) as filter terms, ANDed. */
export function fieldsExpr(q: EventQuery): FilterExpr | undefined {
  const args: FilterExpr[] = [];
  const t = (term: FilterTerm): void => void args.push({ op: 'term', term });
  if (q.connection !== undefined) t({ key: 'conn', value: q.connection });
  if (q.identity !== undefined) t({ key: 'cp', value: q.identity });
  if (q.action !== undefined) t({ key: 'action', value: q.action });
  if (q.messageType !== undefined) t({ key: 'type', value: q.messageType });
  if (q.sender !== undefined) t({ key: 'from', value: q.sender });
  if (q.withFindings) t({ key: 'is', value: 'findings' });
  if (q.text !== undefined && q.text !== '') t({ key: 'text', value: q.text });
  if (q.from !== undefined) t({ key: 'since', value: q.from });
  if (q.to !== undefined) t({ key: 'until', value: q.to });
  return args.length === 0 ? undefined : args.length === 1 ? args[0] : { op: 'and', args };
}

const compiled = new WeakMap<EventQuery, CompiledQuery>();

/** Case-insensitive search in what a person sees: the frame text, notes, errors, finding messages, handshake lines. */
export function matchesText(e: ScopeEvent, needle: string): boolean {
  const n = needle.toLowerCase();
  const has = (s: string | undefined): boolean => s !== undefined && s.toLowerCase().includes(n);
  switch (e.kind) {
    case 'frame':
      return has(e.text) || e.findings.some((f) => has(f.message) || has(f.code)) || has(e.problem?.message);
    case 'note':
      return has(e.text) || (e.findings ?? []).some((f) => has(f.message) || has(f.code));
    case 'error':
      return has(e.message) || has(e.code);
    case 'closed':
      return has(e.reason);
    case 'opened':
      return (
        has(e.connection.identity) ||
        has(e.connection.url) ||
        has(e.handshake.request.startLine) ||
        e.handshake.request.headers.some(([k, v]) => has(k) || has(v)) ||
        has(e.handshake.failure?.message) ||
        e.handshake.findings.some((f) => has(f.message) || has(f.code))
      );
    case 'transfer':
      return (
        has(e.name) ||
        has(e.identity) ||
        has(e.sha256) ||
        has(e.request?.action) ||
        (e.findings ?? []).some((f) => has(f.message) || has(f.code))
      );
    default:
      return has(e.data);
  }
}

export function matchesQuery(e: ScopeEvent, q: EventQuery, ctx: QueryContext): boolean {
  let c = compiled.get(q);
  if (!c) compiled.set(q, (c = compileQuery(q)));
  if (!c.ok) return false;
  return c.expr === undefined || evalFilter(c.expr, eventFacts(e, ctx)) === true;
}

/** The filter options of the CLI (inspect, convert) as its argv parser reads them. */
export interface QueryOptionValues {
  connection?: string;
  identity?: string;
  action?: string;
  type?: string;
  sender?: string;
  text?: string;
  from?: string;
  to?: string;
  filter?: string;
  findings?: boolean;
  'with-findings'?: boolean;
}

/**
 * The CLI's filter options as an EventQuery (shared so docs and the UI's query bar use one syntax), with one
 * precise phrase per value that is not right.
 */
export function queryFromOptions(v: QueryOptionValues): { query: EventQuery; errors: string[] } {
  const query: EventQuery = {};
  const errors: string[] = [];
  const time = (name: string, text: string): number | undefined => {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
    const d = Date.parse(text);
    if (Number.isFinite(d)) return d;
    errors.push(`--${name} ${text}: not a time (ms since epoch or ISO 8601)`);
    return undefined;
  };
  if (v.connection !== undefined) query.connection = v.connection;
  if (v.identity !== undefined) query.identity = v.identity;
  if (v.action !== undefined) query.action = v.action;
  if (v.type !== undefined) {
    const n = Number(v.type);
    const t = Number.isInteger(n) ? n : MESSAGE_TYPE_WORDS[v.type.toLowerCase()];
    if (t === undefined || t < 2 || t > 6)
      errors.push(`--type ${v.type}: use 2-6 or CALL, CALLRESULT, CALLERROR`);
    else query.messageType = t;
  }
  if (v.sender !== undefined) {
    if (v.sender !== 'station' && v.sender !== 'csms') errors.push('--sender must be station or csms');
    else query.sender = v.sender;
  }
  if (v.text !== undefined) query.text = v.text;
  if (v.from !== undefined) {
    const t = time('from', v.from);
    if (t !== undefined) query.from = t;
  }
  if (v.to !== undefined) {
    const t = time('to', v.to);
    if (t !== undefined) query.to = t;
  }
  if (v.filter !== undefined) {
    const p = parseFilter(v.filter);
    if (!p.ok) errors.push(`--filter: ${p.error.message} (at character ${p.error.at + 1})`);
    else query.filter = v.filter;
  }
  if (v.findings || v['with-findings']) query.withFindings = true;
  return { query, errors };
}

import type { EventQuery } from '../api';
import type { ScopeEvent } from './events';

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
    q.to === undefined
  );
}

export function eventAction(e: ScopeEvent): string | undefined {
  return e.kind === 'frame' ? e.msg?.action : undefined;
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

/** Everything but the free text; cheap enough to run from an index's columns too (see matchColumns). */
export function matchesStructured(e: ScopeEvent, q: EventQuery, ctx: QueryContext): boolean {
  if (q.connection !== undefined && e.conn !== q.connection) return false;
  if (q.identity !== undefined) {
    const id = e.kind === 'opened' ? e.connection.identity : ctx.identityOf(e.conn);
    if (id === undefined || id.toLowerCase() !== q.identity.toLowerCase()) return false;
  }
  if (q.from !== undefined && e.t < q.from) return false;
  if (q.to !== undefined && e.t > q.to) return false;
  if (q.action !== undefined || q.messageType !== undefined || q.sender !== undefined) {
    if (e.kind !== 'frame' && e.kind !== 'ping' && e.kind !== 'pong') return false;
    if (q.sender !== undefined && e.sender !== q.sender) return false;
    if (q.action !== undefined) {
      if (e.kind !== 'frame' || e.msg?.action?.toLowerCase() !== q.action.toLowerCase()) return false;
    }
    if (q.messageType !== undefined && (e.kind !== 'frame' || e.msg?.type !== q.messageType)) return false;
  }
  if (q.withFindings && eventFindingCount(e) === 0) return false;
  return true;
}

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
  if (!matchesStructured(e, q, ctx)) return false;
  if (q.text !== undefined && q.text !== '' && !matchesText(e, q.text)) return false;
  return true;
}

/** Parses the CLI's filter flags into an EventQuery (shared so docs and the UI's query bar can use one syntax). */
export function parseQueryArgs(args: string[]): { query: EventQuery; rest: string[]; errors: string[] } {
  const query: EventQuery = {};
  const rest: string[] = [];
  const errors: string[] = [];
  const TYPES: Record<string, number> = {
    call: 2,
    callresult: 3,
    result: 3,
    callerror: 4,
    error: 4,
    callresulterror: 5,
    send: 6,
  };
  const time = (v: string): number | undefined => {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
    const d = Date.parse(v);
    return Number.isFinite(d) ? d : undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const takesValue = [
      '--connection',
      '--identity',
      '--action',
      '--type',
      '--sender',
      '--text',
      '--from',
      '--to',
    ].includes(flag);
    let value: string | undefined;
    if (takesValue) {
      value = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined) {
        errors.push(`${flag} needs a value`);
        continue;
      }
    }
    switch (flag) {
      case '--connection':
        query.connection = value;
        break;
      case '--identity':
        query.identity = value;
        break;
      case '--action':
        query.action = value;
        break;
      case '--type': {
        const n = Number(value);
        const t = Number.isInteger(n) ? n : TYPES[value!.toLowerCase()];
        if (t === undefined || t < 2 || t > 6)
          errors.push(`--type ${value}: use 2-6 or CALL, CALLRESULT, CALLERROR`);
        else query.messageType = t;
        break;
      }
      case '--sender':
        if (value !== 'station' && value !== 'csms') errors.push('--sender must be station or csms');
        else query.sender = value;
        break;
      case '--text':
        query.text = value;
        break;
      case '--from':
      case '--to': {
        const t = time(value!);
        if (t === undefined) errors.push(`${flag} ${value}: not a time (ms since epoch or ISO 8601)`);
        else if (flag === '--from') query.from = t;
        else query.to = t;
        break;
      }
      case '--with-findings':
      case '--findings':
        query.withFindings = true;
        break;
      default:
        rest.push(a);
    }
  }
  return { query, rest, errors };
}

import { parsePointer } from '../ocpp/json-pointer';

/**
 * Which payload values a comparison (replay diff, offline capture diff) does not compare by value: a field name
 * anywhere (`currentTime`), a JSON pointer into the payload (`/idTagInfo/expiryDate`, `*` standing for any one
 * segment: `/meterValue/*\/timestamp`), or `@timestamps` for every value that is an ISO 8601 time. An ignored value is
 * still compared by kind (a number where a string was recorded is a difference a strict peer would see), and a field
 * present on one side only is still reported.
 */

/** Ids one side assigns at run time (a CSMS's transactionId, a request id...); connectorId, idTag are data. */
export const ASSIGNED_ID_KEYS: readonly string[] = [
  'transactionId',
  'reservationId',
  'requestId',
  'remoteStartId',
  'chargingProfileId',
  'chargingScheduleId',
  'messageId',
  'installationId',
  'certificateId',
];

export const ANY_TIMESTAMP = '@timestamps';

/** Values the peer stamps or assigns: every time, the clock fields by name, and the assigned ids. */
export const DEFAULT_IGNORE_RULES: readonly string[] = [
  ANY_TIMESTAMP,
  'currentTime',
  'timestamp',
  ...ASSIGNED_ID_KEYS,
];

export interface IgnoreRules {
  /** The rules as written (for reports and settings). */
  readonly source: readonly string[];
  readonly fields: ReadonlySet<string>;
  readonly pointers: readonly (readonly string[])[];
  readonly timestamps: boolean;
}

export type IgnoreRulesResult = { ok: true; rules: IgnoreRules } | { ok: false; error: string };

/** At most this many rules: a hostile settings value cannot make each compared leaf walk a huge list. */
export const MAX_IGNORE_RULES = 200;

export function parseIgnoreRules(list: readonly string[]): IgnoreRulesResult {
  const fields = new Set<string>();
  const pointers: string[][] = [];
  const source: string[] = [];
  let timestamps = false;
  for (const raw of list) {
    const rule = raw.trim();
    if (rule === '') continue;
    source.push(rule);
    if (rule === ANY_TIMESTAMP) timestamps = true;
    else if (rule.startsWith('/')) {
      const p = parsePointer(rule);
      if (!p.ok) return { ok: false, error: p.error };
      pointers.push(p.tokens);
    } else if (rule.startsWith('@'))
      return { ok: false, error: `"${rule}" is not a rule (the only @ rule is ${ANY_TIMESTAMP})` };
    else fields.add(rule);
  }
  if (source.length > MAX_IGNORE_RULES)
    return { ok: false, error: `at most ${MAX_IGNORE_RULES} ignore rules, got ${source.length}` };
  return { ok: true, rules: { source, fields, pointers, timestamps } };
}

/** A comma- or newline-separated list as typed in a form or on a command line. */
export function splitIgnoreText(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const DEFAULT_RULES = parseIgnoreRules(DEFAULT_IGNORE_RULES);
export const DEFAULT_IGNORE: IgnoreRules = DEFAULT_RULES.ok
  ? DEFAULT_RULES.rules
  : { source: [], fields: new Set(), pointers: [], timestamps: false };

export const NO_IGNORE: IgnoreRules = { source: [], fields: new Set(), pointers: [], timestamps: false };

function pointerMatches(rule: readonly string[], tokens: readonly string[]): boolean {
  if (rule.length !== tokens.length) return false;
  for (let i = 0; i < rule.length; i++) if (rule[i] !== '*' && rule[i] !== tokens[i]) return false;
  return true;
}

/** Whether the value under `key` at `path` (a JSON pointer into the payload) is left uncompared. */
export function ignoresPath(rules: IgnoreRules, key: string | undefined, path: string): boolean {
  if (key !== undefined && rules.fields.has(key)) return true;
  if (rules.pointers.length === 0) return false;
  const p = parsePointer(path);
  return p.ok && rules.pointers.some((r) => pointerMatches(r, p.tokens));
}

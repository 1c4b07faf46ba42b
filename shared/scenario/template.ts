import type { JsonValue } from '../ocpp/json';

/**
 * Template values in scenario steps: `{{name}}` stands for a value captured by an earlier step (or a built-in such
 * as `{{now}}`). A string that is exactly one placeholder becomes the value with its type (a numeric transactionId
 * stays a number); inside a longer string the value is written as text. Pure: unknown names are reported, not thrown.
 */

const WHOLE = /^\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}$/;
const PART = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

export type TemplateVars = ReadonlyMap<string, JsonValue>;

export interface Filled<T> {
  value: T;
  /** Names used but not defined. */
  missing: string[];
}

function fillString(s: string, vars: TemplateVars, missing: Set<string>): JsonValue {
  const whole = WHOLE.exec(s);
  if (whole) {
    const v = vars.get(whole[1]!);
    if (v === undefined) missing.add(whole[1]!);
    return v ?? s;
  }
  return s.replace(PART, (all, name: string) => {
    const v = vars.get(name);
    if (v === undefined) {
      missing.add(name);
      return all;
    }
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
}

export function fillTemplate<T extends JsonValue>(value: T, vars: TemplateVars): Filled<T> {
  const missing = new Set<string>();
  const walk = (v: JsonValue, depth: number): JsonValue => {
    if (depth > 64) return v;
    if (typeof v === 'string') return fillString(v, vars, missing);
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (v !== null && typeof v === 'object') {
      const o: Record<string, JsonValue> = {};
      for (const [k, x] of Object.entries(v)) o[k] = walk(x, depth + 1);
      return o;
    }
    return v;
  };
  return { value: walk(value, 0) as T, missing: [...missing] };
}

/** Fills placeholders in raw frame text (malformed on purpose, so never parsed): values are written as JSON text. */
export function fillText(text: string, vars: TemplateVars): Filled<string> {
  const missing = new Set<string>();
  const value = text.replace(PART, (all, name: string) => {
    const v = vars.get(name);
    if (v === undefined) {
      missing.add(name);
      return all;
    }
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
  return { value, missing: [...missing] };
}

/** Names a value refers to, for the validator (a name used before any step captures it is an authoring error). */
export function templateNames(value: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof v === 'string') for (const m of v.matchAll(PART)) out.add(m[1]!);
    else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(value, 0);
  return [...out];
}

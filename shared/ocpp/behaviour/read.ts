import type { JsonObject, JsonValue } from '../json';

/**
 * Lenient readers for payload fields: a frame that broke its schema still reaches the rules (validation annotates,
 * it never blocks), so every read checks the type and gives undefined rather than throwing.
 */
export function obj(v: JsonValue | undefined): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

export function str(o: JsonObject | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function num(o: JsonObject | undefined, key: string): number | undefined {
  const v = o?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A transaction id as a map key: 1.6 sends integers, 2.x strings. */
export function idOf(o: JsonObject | undefined, key: string): string | undefined {
  const v = o?.[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function arr(o: JsonObject | undefined, key: string): JsonValue[] | undefined {
  const v = o?.[key];
  return Array.isArray(v) ? v : undefined;
}

/** An ISO 8601 time as ms since epoch, or undefined. */
export function time(o: JsonObject | undefined, key: string): number | undefined {
  const s = str(o, key);
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}

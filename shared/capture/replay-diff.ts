import { appendPointer } from '../ocpp/json-pointer';

/**
 * Pure helpers of replay: the structural diff between a recorded and a live payload (ignoring volatile values:
 * times and ids the peer assigns), moving timestamps to now, and carrying live-assigned ids into later frames.
 */

/** One difference between a recorded and a live payload, at a JSON pointer. */
export interface ReplayDiff {
  path: string;
  recorded?: unknown;
  live?: unknown;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && ISO_TIME.test(v) && Number.isFinite(Date.parse(v));
}

/**
 * Keys whose value one side assigns at run time (a CSMS's transactionId, a request id...): compared by type, not by
 * value, and carried from the live answers into later frames. connectorId, evseId, idTag are data, not assigned.
 */
const ASSIGNED_ID_KEYS = new Set([
  'transactionId',
  'reservationId',
  'requestId',
  'remoteStartId',
  'chargingProfileId',
  'chargingScheduleId',
  'messageId',
  'installationId',
  'certificateId',
]);

export function isIdKey(key: string): boolean {
  return ASSIGNED_ID_KEYS.has(key);
}

const pointer = appendPointer;

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

export interface DiffOptions {
  /** Extra keys to ignore entirely (by name). */
  ignoreKeys?: string[];
  maxDiffs?: number;
}

export function structuralDiff(recorded: unknown, live: unknown, options: DiffOptions = {}): ReplayDiff[] {
  const out: ReplayDiff[] = [];
  const max = options.maxDiffs ?? 50;
  const ignore = new Set(options.ignoreKeys ?? []);
  const walk = (a: unknown, b: unknown, path: string, key: string | undefined, depth: number): void => {
    if (out.length >= max) return;
    if (depth > 64) return;
    if (key !== undefined && ignore.has(key)) return;
    const ka = kindOf(a);
    const kb = kindOf(b);
    if (ka !== kb) {
      // An id given as a number in one and a string in the other is still a difference a strict peer would see.
      out.push({ path: path || '/', recorded: a, live: b });
      return;
    }
    if (ka === 'array') {
      const aa = a as unknown[];
      const bb = b as unknown[];
      const n = Math.max(aa.length, bb.length);
      for (let i = 0; i < n; i++) {
        if (i >= aa.length) out.push({ path: pointer(path, i), live: bb[i] });
        else if (i >= bb.length) out.push({ path: pointer(path, i), recorded: aa[i] });
        else walk(aa[i], bb[i], pointer(path, i), key, depth + 1);
      }
      return;
    }
    if (ka === 'object') {
      const oa = a as Record<string, unknown>;
      const ob = b as Record<string, unknown>;
      for (const k of Object.keys(oa)) {
        if (ignore.has(k)) continue;
        if (!(k in ob)) out.push({ path: pointer(path, k), recorded: oa[k] });
        else walk(oa[k], ob[k], pointer(path, k), k, depth + 1);
      }
      for (const k of Object.keys(ob)) {
        if (!ignore.has(k) && !(k in oa)) out.push({ path: pointer(path, k), live: ob[k] });
      }
      return;
    }
    if (a === b) return;
    if (isTimestamp(a) && isTimestamp(b)) return;
    if (key !== undefined && isIdKey(key)) return;
    out.push({ path: path || '/', recorded: a, live: b });
  };
  walk(recorded, live, '', undefined, 0);
  return out;
}

/** Moves every ISO timestamp in a value by offsetMs, keeping its format (Z, offset or none; milliseconds or not). */
export function shiftTimestamps<T>(value: T, offsetMs: number): T {
  const shift = (v: unknown, depth: number): unknown => {
    if (depth > 64) return v;
    if (isTimestamp(v)) {
      const shifted = new Date(Date.parse(v) + offsetMs).toISOString();
      // Keep the recorded precision: no milliseconds in, none out.
      return /\.\d+/.test(v) ? shifted : shifted.replace(/\.\d{3}Z$/, 'Z');
    }
    if (Array.isArray(v)) return v.map((x) => shift(x, depth + 1));
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = shift(x, depth + 1);
      return o;
    }
    return v;
  };
  return shift(value, 0) as T;
}

/** recorded value -> live value, per id key name (transactionId 5 -> 17). */
export type IdMap = Map<string, Map<string, unknown>>;

/** Learns the ids the live peer assigned where the recording had others, from a recorded/live payload pair. */
export function learnIds(recorded: unknown, live: unknown, map: IdMap): void {
  const walk = (a: unknown, b: unknown, key: string | undefined, depth: number): void => {
    if (depth > 64 || a === null || b === null) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.min(a.length, b.length); i++) walk(a[i], b[i], key, depth + 1);
      return;
    }
    if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
      const ob = b as Record<string, unknown>;
      for (const [k, x] of Object.entries(a as Record<string, unknown>))
        if (k in ob) walk(x, ob[k], k, depth + 1);
      return;
    }
    if (key !== undefined && isIdKey(key) && (typeof a === 'string' || typeof a === 'number') && a !== b) {
      let m = map.get(key);
      if (!m) map.set(key, (m = new Map()));
      m.set(JSON.stringify(a), b);
    }
  };
  walk(recorded, live, undefined, 0);
}

/** Replaces recorded ids by the live ones under the same key name, anywhere in the value. */
export function substituteIds<T>(value: T, map: IdMap): T {
  if (map.size === 0) return value;
  const walk = (v: unknown, key: string | undefined, depth: number): unknown => {
    if (depth > 64) return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, key, depth + 1));
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = walk(x, k, depth + 1);
      return o;
    }
    if (key !== undefined && (typeof v === 'string' || typeof v === 'number')) {
      const m = map.get(key);
      const k = JSON.stringify(v);
      if (m?.has(k)) return m.get(k);
    }
    return v;
  };
  return walk(value, undefined, 0) as T;
}

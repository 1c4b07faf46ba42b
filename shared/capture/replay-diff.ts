import { boundedJson, mapJsonLeaves } from '../ocpp/json-deep';
import { appendPointer } from '../ocpp/json-pointer';
import type { Frame } from '../ocpp/frame-types';
import type { IgnoreRules } from './ignore-rules';
import { ASSIGNED_ID_KEYS, DEFAULT_IGNORE, ignoresPath } from './ignore-rules';

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
 * Keys whose value one side assigns at run time (a CSMS's transactionId, a request id...): carried from the live
 * answers into later frames (and ignored by value in comparisons by default, see ignore-rules.ts).
 */
const ID_KEYS = new Set(ASSIGNED_ID_KEYS);

export function isIdKey(key: string): boolean {
  return ID_KEYS.has(key);
}

const pointer = appendPointer;

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

export interface DiffOptions {
  /** Extra keys to ignore entirely (by name). */
  ignoreKeys?: string[];
  /** Values compared by kind only (default: times, clock fields and assigned ids). */
  ignore?: IgnoreRules;
  maxDiffs?: number;
}

export function structuralDiff(recorded: unknown, live: unknown, options: DiffOptions = {}): ReplayDiff[] {
  const out: ReplayDiff[] = [];
  const max = options.maxDiffs ?? 50;
  const ignore = new Set(options.ignoreKeys ?? []);
  const rules = options.ignore ?? DEFAULT_IGNORE;
  // A diff carries values: cut them so a hostile payload stays small enough to show, clone and store.
  const diff = (path: string, a: unknown, b: unknown, which: 'both' | 'recorded' | 'live'): void => {
    const d: ReplayDiff = { path: path || '/' };
    if (which !== 'live') d.recorded = boundedJson(a);
    if (which !== 'recorded') d.live = boundedJson(b);
    out.push(d);
  };
  // An explicit stack of tasks (compare two values, or report one) keeps the recursive version's order at any depth.
  type Task =
    | { kind: 'walk'; a: unknown; b: unknown; path: string; key: string | undefined }
    | { kind: 'only'; path: string; value: unknown; side: 'recorded' | 'live' };
  const stack: Task[] = [{ kind: 'walk', a: recorded, b: live, path: '', key: undefined }];
  while (stack.length > 0 && out.length < max) {
    const task = stack.pop()!;
    if (task.kind === 'only') {
      diff(task.path, task.value, task.value, task.side);
      continue;
    }
    const { a, b, path, key } = task;
    if (key !== undefined && ignore.has(key)) continue;
    const ka = kindOf(a);
    const kb = kindOf(b);
    if (ka !== kb) {
      // An id given as a number in one and a string in the other is still a difference a strict peer would see.
      diff(path, a, b, 'both');
      continue;
    }
    if (path !== '' && ignoresPath(rules, key, path)) continue;
    const next: Task[] = [];
    if (ka === 'array') {
      const aa = a as unknown[];
      const bb = b as unknown[];
      const n = Math.max(aa.length, bb.length);
      for (let i = 0; i < n; i++) {
        const p = pointer(path, i);
        if (i >= aa.length) next.push({ kind: 'only', path: p, value: bb[i], side: 'live' });
        else if (i >= bb.length) next.push({ kind: 'only', path: p, value: aa[i], side: 'recorded' });
        else next.push({ kind: 'walk', a: aa[i], b: bb[i], path: p, key });
      }
    } else if (ka === 'object') {
      const oa = a as Record<string, unknown>;
      const ob = b as Record<string, unknown>;
      for (const k of Object.keys(oa)) {
        if (ignore.has(k)) continue;
        if (!(k in ob)) next.push({ kind: 'only', path: pointer(path, k), value: oa[k], side: 'recorded' });
        else next.push({ kind: 'walk', a: oa[k], b: ob[k], path: pointer(path, k), key: k });
      }
      for (const k of Object.keys(ob)) {
        if (!ignore.has(k) && !(k in oa))
          next.push({ kind: 'only', path: pointer(path, k), value: ob[k], side: 'live' });
      }
    } else {
      if (a === b) continue;
      if (rules.timestamps && isTimestamp(a) && isTimestamp(b)) continue;
      diff(path, a, b, 'both');
      continue;
    }
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]!);
  }
  return out.slice(0, max);
}

function payloadOf(f: Frame): unknown {
  if (f.type === 2 || f.type === 3 || f.type === 6) return f.payload;
  return { errorCode: f.errorCode, errorDescription: f.errorDescription, errorDetails: f.errorDetails };
}

/**
 * The differences between a recorded frame and its live (or other capture's) counterpart: the message type, for
 * errors the code (the description is prose), else the payload's structural diff under the ignore rules.
 */
export function diffFrames(recorded: Frame, live: Frame, ignore: IgnoreRules = DEFAULT_IGNORE): ReplayDiff[] {
  if (recorded.type !== live.type)
    return [{ path: '/messageType', recorded: recorded.type, live: live.type }];
  if (recorded.type === 4 || recorded.type === 5) {
    const b = live as typeof recorded;
    return recorded.errorCode === b.errorCode
      ? []
      : [{ path: '/errorCode', recorded: recorded.errorCode, live: b.errorCode }];
  }
  return structuralDiff(payloadOf(recorded), payloadOf(live), { ignore });
}

/** Moves every ISO timestamp in a value by offsetMs, keeping its format (Z, offset or none; milliseconds or not). */
export function shiftTimestamps<T>(value: T, offsetMs: number): T {
  return mapJsonLeaves(value, (v) => {
    if (!isTimestamp(v)) return v;
    const shifted = new Date(Date.parse(v) + offsetMs).toISOString();
    // Keep the recorded precision: no milliseconds in, none out.
    return /\.\d+/.test(v) ? shifted : shifted.replace(/\.\d{3}Z$/, 'Z');
  }) as T;
}

/** recorded value -> live value, per id key name (transactionId 5 -> 17). */
export type IdMap = Map<string, Map<string, unknown>>;

/** Learns the ids the live peer assigned where the recording had others, from a recorded/live payload pair. */
export function learnIds(recorded: unknown, live: unknown, map: IdMap): void {
  const stack: { a: unknown; b: unknown; key: string | undefined }[] = [
    { a: recorded, b: live, key: undefined },
  ];
  while (stack.length > 0) {
    const { a, b, key } = stack.pop()!;
    if (a === null || b === null) continue;
    if (Array.isArray(a) && Array.isArray(b)) {
      // Pushed last-first so values are learnt in document order, as before (a later occurrence wins).
      for (let i = Math.min(a.length, b.length) - 1; i >= 0; i--) stack.push({ a: a[i], b: b[i], key });
      continue;
    }
    if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
      const ob = b as Record<string, unknown>;
      const entries = Object.entries(a as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, x] = entries[i]!;
        if (k in ob) stack.push({ a: x, b: ob[k], key: k });
      }
      continue;
    }
    if (key !== undefined && isIdKey(key) && (typeof a === 'string' || typeof a === 'number') && a !== b) {
      let m = map.get(key);
      if (!m) map.set(key, (m = new Map()));
      m.set(JSON.stringify(a), b);
    }
  }
}

/** Replaces recorded ids by the live ones under the same key name, anywhere in the value. */
export function substituteIds<T>(value: T, map: IdMap): T {
  if (map.size === 0) return value;
  return mapJsonLeaves(value, (v, key) => {
    if (key !== undefined && (typeof v === 'string' || typeof v === 'number')) {
      const m = map.get(key);
      const k = JSON.stringify(v);
      if (m?.has(k)) return m.get(k);
    }
    return v;
  }) as T;
}

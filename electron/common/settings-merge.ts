import type { AppSettings } from '../../shared/api';
import { defaultAppSettings } from '../../shared/api-defaults';
import { validateAppSettings } from '../../shared/api-validate';

/**
 * Reading a settings file written by another version of the app (older, newer, or edited by hand): every field that
 * still fits is kept, every field that is missing takes its default, and only a field that does not fit (an unknown
 * name, a wrong type, a value out of range) is dropped, with its path reported. One bad field must never cost the
 * user their passwords, station URL and auto-answer rules.
 */

/** The version written into settings.json (as `version`); a file without one is version 1. */
export const SETTINGS_VERSION = 3;

type Json = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The frames-per-second limit every connection had by default up to settings version 2. */
export const OLD_DEFAULT_MAX_FRAMES_PER_SEC = 200;

/**
 * Steps from version N to N+1, applied in order before the merge. Each is pure and total: it receives whatever was
 * in the file and returns the object the next version expects, leaving fields it does not know alone.
 */
const MIGRATIONS: Record<number, (old: Json) => Json> = {
  // 1 -> 2: nothing moved. Version 2 starts writing `version` and adds `timeZone`, which the merge fills in.
  1: (old) => old,
  // 2 -> 3: the frames-per-second limit is off by default (0) since the engine shares its time fairly between
  // connections. Every settings file saved before held the old default of 200, which the app shows no control for:
  // kept, it would go on throttling every charger at 200 frames/s unseen. Exactly 200 becomes 0; any other value
  // was chosen (by hand) and stays. The endpoint's limits are the only ones stored (a proxy is the endpoint with an
  // upstream; the station's limit is not a setting).
  2: (old) => withoutOldFrameRateDefault(old),
};

function withoutOldFrameRateDefault(old: Json): Json {
  const endpoint = old.endpoint;
  if (!isPlainObject(endpoint)) return old;
  const limits = endpoint.limits;
  if (!isPlainObject(limits) || limits.maxFramesPerSec !== OLD_DEFAULT_MAX_FRAMES_PER_SEC) return old;
  return { ...old, endpoint: { ...endpoint, limits: { ...limits, maxFramesPerSec: 0 } } };
}

export interface MergedSettings {
  settings: AppSettings;
  /** The version the file said it was (1 when it said nothing). */
  fromVersion: number;
  /** Paths of the fields that were dropped, with why ("settings.endpoint.port: expected an integer..."). */
  dropped: string[];
}

export function migrateAndMerge(stored: unknown): MergedSettings {
  const defaults = defaultAppSettings();
  if (!isPlainObject(stored)) {
    return {
      settings: defaults,
      fromVersion: 1,
      dropped: ['settings: not an object; the defaults are used'],
    };
  }
  const { version, ...rest } = stored;
  const fromVersion = typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : 1;
  let value: Json = rest;
  for (let v = fromVersion; v < SETTINGS_VERSION; v++) value = MIGRATIONS[v]?.(value) ?? value;
  const root: Json = defaults as unknown as Json;
  const dropped: string[] = [];
  for (const [key, v] of Object.entries(value)) assign(root, [key], v, dropped);
  return { settings: root as unknown as AppSettings, fromVersion, dropped };
}

function valid(root: Json): string | undefined {
  const check = validateAppSettings(root);
  return check.ok ? undefined : check.error;
}

/**
 * Puts `value` at `path` in `root` if the whole still validates. An object that does not fit as a whole is merged
 * key by key into what is there (the default, or an empty object when that validates); a list that does not fit
 * keeps the items that do.
 */
function assign(root: Json, path: string[], value: unknown, dropped: string[]): void {
  const parent = at(root, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (!parent) return;
  const had = Object.hasOwn(parent, key);
  const before = parent[key];
  parent[key] = value;
  const problem = valid(root);
  if (problem === undefined) return;
  if (isPlainObject(value)) {
    parent[key] = isPlainObject(before) ? before : {};
    if (valid(root) === undefined || isPlainObject(before)) {
      for (const [k, v] of Object.entries(value)) assign(root, [...path, k], v, dropped);
      if (valid(root) === undefined) return;
    }
    // A new object whose required fields must come together (basicAuth): leave out one field at a time.
    for (const k of Object.keys(value)) {
      const { [k]: _left, ...without } = value;
      parent[key] = without;
      if (valid(root) === undefined) {
        dropped.push(`${['settings', ...path, k].join('.')}: dropped (${problem})`);
        return;
      }
    }
  } else if (Array.isArray(value)) {
    const kept: unknown[] = [];
    parent[key] = kept;
    if (valid(root) === undefined) {
      for (const item of value) {
        kept.push(item);
        const itemProblem = valid(root);
        if (itemProblem !== undefined) {
          kept.pop();
          dropped.push(itemProblem);
        }
      }
      return;
    }
  }
  if (had) parent[key] = before;
  else delete parent[key];
  dropped.push(problem);
}

function at(root: Json, path: string[]): Json | undefined {
  let node: unknown = root;
  for (const k of path) {
    if (!isPlainObject(node)) return undefined;
    node = node[k];
  }
  return isPlainObject(node) ? node : undefined;
}

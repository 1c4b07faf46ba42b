import type { JsonValue } from '../../../shared/ocpp/json';

/** Reading CSMS payloads the schema already checked (or the user broke on purpose): a wrong type reads as empty. */

export function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** A finite number, or -1 (no connector, EVSE or id has it). */
export function num(v: JsonValue | undefined): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : -1;
}

/** Rounded to `digits` decimals (meter values and schedule limits). */
export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** A file name for an upload: `<prefix>-<time>.log`, the time without characters file systems refuse. */
export function uploadName(prefix: string, now: number): string {
  return `${prefix}-${new Date(now).toISOString().replace(/[:.]/g, '-')}.log`;
}

/**
 * A quick yes for the date-times OCPP frames nearly always carry (`2025-06-01T12:00:00.000Z`, or with a `+hh:mm`
 * offset), in front of ajv-formats' full RFC 3339 check (a split and two regular expressions, a tenth of the
 * validation of a MeterValues). Says yes only where the full check says yes; for anything else (other shapes, a
 * leap second, an out-of-range field) the full check decides, so a verdict never differs.
 */

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 0x30;
  return c >= 0 && c <= 9 ? c : -1;
}

/** Two digits at `i` as a number, or -1. */
function two(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** True for a plainly valid `YYYY-MM-DDThh:mm:ss[.f+](Z|±hh:mm)`; false means "not sure", never "invalid". */
export function plainDateTime(s: string): boolean {
  const n = s.length;
  if (n < 20 || n > 64) return false;
  const c10 = s.charCodeAt(10);
  if (
    s.charCodeAt(4) !== 0x2d ||
    s.charCodeAt(7) !== 0x2d ||
    (c10 !== 0x54 && c10 !== 0x74) ||
    s.charCodeAt(13) !== 0x3a ||
    s.charCodeAt(16) !== 0x3a
  )
    return false;
  const y1 = two(s, 0);
  const y2 = two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return false;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const year = y1 * 100 + y2;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS[month]!)) return false;
  let i = 19;
  if (s.charCodeAt(i) === 0x2e) {
    i++;
    const first = i;
    while (i < n && digit(s, i) >= 0) i++;
    if (i === first) return false;
  }
  const z = s.charCodeAt(i);
  if (z === 0x5a || z === 0x7a) return i === n - 1;
  if (z !== 0x2b && z !== 0x2d) return false;
  if (i + 6 !== n || s.charCodeAt(i + 3) !== 0x3a) return false;
  const tzH = two(s, i + 1);
  const tzM = two(s, i + 4);
  return tzH >= 0 && tzH <= 23 && tzM >= 0 && tzM <= 59;
}

/** ajv-formats' date-time format (`{ validate, compare }`) with the quick yes in front: same verdicts, same compare. */
export function quickDateTime<F>(full: F): F {
  const validate = (full as { validate?: unknown }).validate;
  if (typeof validate !== 'function') return full;
  const check = validate as (s: string) => boolean;
  return { ...full, validate: (s: string): boolean => plainDateTime(s) || check(s) };
}

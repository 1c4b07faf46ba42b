/**
 * How times are shown, in the UI and the CLI alike: in the local time of the machine (what a person at a site reads
 * on their watch) or in UTC (what a CSMS log usually shows). One formatter, so both say the same instant the same way.
 */
export type TimeZoneMode = 'local' | 'utc';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

function parts(t: number, mode: TimeZoneMode): Parts {
  const x = new Date(t);
  return mode === 'utc'
    ? {
        y: x.getUTCFullYear(),
        mo: x.getUTCMonth() + 1,
        d: x.getUTCDate(),
        h: x.getUTCHours(),
        mi: x.getUTCMinutes(),
        s: x.getUTCSeconds(),
        ms: x.getUTCMilliseconds(),
      }
    : {
        y: x.getFullYear(),
        mo: x.getMonth() + 1,
        d: x.getDate(),
        h: x.getHours(),
        mi: x.getMinutes(),
        s: x.getSeconds(),
        ms: x.getMilliseconds(),
      };
}

/** 14:03:07.123 */
export function clockText(t: number, mode: TimeZoneMode): string {
  if (!Number.isFinite(t)) return '--:--:--.---';
  const p = parts(t, mode);
  return `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}.${pad(p.ms, 3)}`;
}

/** 2026-12-06 14:03:07.123 (with a trailing Z in UTC, so a copied line says which it is) */
export function dateTimeText(t: number, mode: TimeZoneMode): string {
  if (!Number.isFinite(t)) return String(t);
  const p = parts(t, mode);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)} ${clockText(t, mode)}${mode === 'utc' ? 'Z' : ''}`;
}

/** "UTC+01:00" for the offset in effect at `t` on this machine. */
export function utcOffsetText(t: number): string {
  const minutes = -new Date(t).getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `UTC${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** "UTC", or "local time, Europe/Berlin (UTC+01:00)": printed by the CLI and shown beside the UI's switch. */
export function zoneDescription(mode: TimeZoneMode, at: number = Date.now()): string {
  if (mode === 'utc') return 'UTC';
  let name = '';
  try {
    name = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    // An engine without Intl time zones still knows its offset.
  }
  return `local time${name ? `, ${name}` : ''} (${utcOffsetText(at)})`;
}

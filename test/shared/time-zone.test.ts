import { describe, expect, it } from 'vitest';
import { clockText, dateTimeText, zoneDescription } from '../../shared/time-zone';

describe('time zone: one formatter for the UI and the CLI', () => {
  const t = Date.UTC(2026, 11, 6, 3, 4, 5, 67);
  it('UTC says the UTC clock and marks it', () => {
    expect(clockText(t, 'utc')).toBe('03:04:05.067');
    expect(dateTimeText(t, 'utc')).toBe('2026-12-06 03:04:05.067Z');
    expect(zoneDescription('utc')).toBe('UTC');
  });
  it('local time follows the machine offset and names it', () => {
    const d = new Date(t);
    const hh = String(d.getHours()).padStart(2, '0');
    expect(clockText(t, 'local').slice(0, 2)).toBe(hh);
    expect(zoneDescription('local', t)).toMatch(/^local time.*\(UTC[+-]\d\d:\d\d\)$/);
  });
  it('a time that is not a number does not throw', () => {
    expect(clockText(Number.NaN, 'utc')).toBe('--:--:--.---');
  });
});

import { fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { plainDateTime, quickDateTime } from '../../../shared/ocpp/date-time-format';

const full = fullFormats['date-time'] as { validate: (s: string) => boolean };
const quick = quickDateTime(full);

const BASES = [
  '2025-06-01T12:00:00.000Z',
  '2025-06-01T12:00:00Z',
  '2025-06-01t12:00:00z',
  '2024-02-29T23:59:59.123456+02:00',
  '2023-12-31T00:00:00-11:30',
  '2016-12-31T23:59:60Z',
];
const CHARS = '0123456789-:.TtZz+ x';

/** Every text one edit away from `s`: each character replaced, removed, or one inserted before it. */
function oneEditAway(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length) out.push(s.slice(0, i) + s.slice(i + 1));
    for (const c of CHARS) {
      out.push(s.slice(0, i) + c + s.slice(i));
      if (i < s.length) out.push(s.slice(0, i) + c + s.slice(i + 1));
    }
  }
  return out;
}

describe('quick date-time check', () => {
  it('takes the common OCPP shapes at once', () => {
    for (const s of BASES.slice(0, 5)) expect(plainDateTime(s)).toBe(true);
  });

  it('leaves everything else to the full RFC 3339 check (a leap second, a 13th month, Feb 29 of 2100)', () => {
    for (const s of [
      '2016-12-31T23:59:60Z',
      '2025-13-01T00:00:00Z',
      '2100-02-29T00:00:00Z',
      '2025-06-01 12:00:00Z',
    ])
      expect(plainDateTime(s)).toBe(false);
    expect(quick.validate('2016-12-31T23:59:60Z')).toBe(true);
    expect(quick.validate('2100-02-29T00:00:00Z')).toBe(false);
  });

  it('gives the same verdict as ajv-formats for every text one or two edits away from valid ones', () => {
    let compared = 0;
    for (const base of BASES)
      for (const once of oneEditAway(base)) {
        expect(quick.validate(once), once).toBe(full.validate(once));
        compared++;
        // Two edits for a sample of them (every 13th): enough to cross field boundaries both ways.
        if (compared % 13 === 0)
          for (const twice of oneEditAway(once)) {
            if (plainDateTime(twice)) expect(full.validate(twice), twice).toBe(true);
            compared++;
          }
      }
    expect(compared).toBeGreaterThan(50_000);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorPosition } from '../../../shared/ocpp/json-error-position';

describe('jsonErrorPosition', () => {
  it('finds the first offending character', () => {
    expect(jsonErrorPosition('[1,2,]')).toBe(5);
    expect(jsonErrorPosition('{"a" 1}')).toBe(5);
    expect(jsonErrorPosition('{"a":1,}')).toBe(7);
    expect(jsonErrorPosition('[01]')).toBe(2);
    expect(jsonErrorPosition('"a\\x"')).toBe(3);
    expect(jsonErrorPosition('[tru]')).toBe(4);
    expect(jsonErrorPosition('[1] x')).toBe(4);
    expect(jsonErrorPosition('[1')).toBe(2);
    expect(jsonErrorPosition('')).toBe(0);
  });

  it('agrees with JSON.parse on what is valid, for arbitrary JSON and arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.json().map((j) => j.slice(0, -1)),
        ),
        (text) => {
          let valid = true;
          try {
            JSON.parse(text);
          } catch {
            valid = false;
          }
          const pos = jsonErrorPosition(text);
          if (valid) expect(pos).toBe(-1);
          else {
            expect(pos).toBeGreaterThanOrEqual(0);
            expect(pos).toBeLessThanOrEqual(text.length);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees with V8 on the position when V8 reports one', () => {
    fc.assert(
      fc.property(
        fc
          .json()
          .chain((j) =>
            fc.tuple(
              fc.constant(j),
              fc.integer({ min: 0, max: j.length }),
              fc.string({ minLength: 1, maxLength: 2 }),
            ),
          ),
        ([json, at, junk]) => {
          const text = json.slice(0, at) + junk + json.slice(at);
          try {
            JSON.parse(text);
            return;
          } catch (e) {
            const m = /at position (\d+)/.exec(String(e));
            if (m) expect(jsonErrorPosition(text)).toBe(Number(m[1]));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('does not overflow the stack on deep nesting', () => {
    expect(jsonErrorPosition('['.repeat(200_000))).toBe(200_000);
    expect(jsonErrorPosition('['.repeat(100_000) + ']'.repeat(100_000))).toBe(-1);
  });
});

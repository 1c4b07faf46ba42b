import { describe, expect, it } from 'vitest';
import { jsonTokens, payloadIndex } from '../../../../renderer/src/logic/json-tokens';

describe('JSON tokens for the detail pane', () => {
  it('reproduces JSON.stringify with two-space indent', () => {
    const value = { a: [1, 'x', null, true], b: {}, c: [], 'd/e': { f: 2 } };
    expect(
      jsonTokens(value, new Set())
        .map((t) => t.text)
        .join(''),
    ).toBe(JSON.stringify(value, null, 2));
  });

  it('marks exactly the values findings point at, with escaped JSON pointers', () => {
    const value = { chargingStation: { model: 5, vendorName: 'V' }, 'a/b': 1 };
    const tokens = jsonTokens(value, new Set(['/chargingStation/model', '/a~1b']));
    const flagged = tokens.filter((t) => t.flagged);
    expect(flagged.map((t) => t.text)).toEqual(['"model"', '5', '"a/b"', '1']);
    expect(tokens.find((t) => t.text === '"V"')?.cls).toBe('string');
  });

  it('knows where each frame type keeps its payload', () => {
    expect([2, 3, 4, 5, 6, 7].map(payloadIndex)).toEqual([3, 2, 4, 4, 3, undefined]);
  });
});

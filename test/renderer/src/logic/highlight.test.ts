import { describe, expect, it } from 'vitest';
import { highlight } from '../../../../renderer/src/logic/highlight';

describe('search highlight', () => {
  it('marks every case-insensitive match and keeps the text intact', () => {
    const parts = highlight('[2,"a","BootNotification",{"boot":1}]', 'BOOT');
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(['Boot', 'boot']);
    expect(parts.map((p) => p.text).join('')).toBe('[2,"a","BootNotification",{"boot":1}]');
  });

  it('returns the text whole without a needle or a match, and bounds the number of marks', () => {
    expect(highlight('abc', undefined)).toEqual([{ text: 'abc', match: false }]);
    expect(highlight('abc', 'x')).toEqual([{ text: 'abc', match: false }]);
    expect(highlight('aaaa', 'a', 2).map((p) => p.text)).toEqual(['a', 'a', 'aa']);
  });
});

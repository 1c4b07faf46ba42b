import { describe, expect, it } from 'vitest';
import { median } from '../../bench/median';

describe('median (every bench file takes its figures with this one)', () => {
  it('takes the middle of an odd count and the mean of the middle two of an even one, unsorted input left alone', () => {
    const xs = [3, 1, 2];
    expect(median(xs)).toBe(2);
    expect(xs).toEqual([3, 1, 2]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 2])).toBe(6);
  });

  it('has no median of nothing', () => {
    expect(median([])).toBeNaN();
  });
});

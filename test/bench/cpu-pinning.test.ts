import { describe, expect, it } from 'vitest';
import { parseCpuList } from '../../bench/cpu-pinning';

describe('parseCpuList (the engine bench picks its CPUs from what taskset allows)', () => {
  it('reads single CPUs and ranges in order, as taskset prints them', () => {
    expect(parseCpuList('0-1')).toEqual([0, 1]);
    expect(parseCpuList('2,5-7,9\n')).toEqual([2, 5, 6, 7, 9]);
    expect(parseCpuList('3')).toEqual([3]);
  });

  it('refuses what is not a CPU list rather than pinning to a wrong CPU', () => {
    for (const bad of ['', 'a', '1-', '3-1', '0,,1', '0-99999', 'mask: 3'])
      expect(parseCpuList(bad)).toBeUndefined();
  });
});

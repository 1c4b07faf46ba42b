import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Settler } from '../../../../renderer/src/logic/settler';
import { SETTLE_MS } from '../../../../renderer/src/components/use-settled';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a typed value settling before it is checked', () => {
  it('a path typed a key every 100 ms is checked once, 300 ms after the last key, with the whole path', () => {
    const checked: string[] = [];
    const settler = new Settler<string>(SETTLE_MS, (v) => checked.push(v));
    const path = '/etc/ca.crl';
    for (let n = 1; n <= path.length; n++) {
      settler.change(path.slice(0, n));
      vi.advanceTimersByTime(100);
    }
    expect(checked).toEqual([]);
    vi.advanceTimersByTime(SETTLE_MS - 101);
    expect(checked).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(checked).toEqual([path]);
    // A pause after each of two edits: each is checked.
    settler.change('/etc/other.crl');
    vi.advanceTimersByTime(SETTLE_MS);
    settler.change('');
    vi.advanceTimersByTime(SETTLE_MS);
    expect(checked).toEqual([path, '/etc/other.crl', '']);
    expect(SETTLE_MS).toBe(300);
  });

  it('checks nothing once cancelled (the field closed while a value was settling)', () => {
    const checked: string[] = [];
    const settler = new Settler<string>(SETTLE_MS, (v) => checked.push(v));
    settler.change('/etc/ca.crl');
    vi.advanceTimersByTime(SETTLE_MS - 1);
    settler.cancel();
    vi.advanceTimersByTime(10 * SETTLE_MS);
    expect(checked).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateGate } from '../../../electron/engine/rate-gate';

afterEach(() => {
  vi.useRealTimers();
});

function gate(max: number) {
  const handled: number[] = [];
  const calls: string[] = [];
  const g = new RateGate<number>(max, (n) => handled.push(n), {
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    limited: () => calls.push('limited'),
  });
  return { g, handled, calls };
}

describe('rate gate', () => {
  it('handles a burst in order at the limit per second, even on a clock that just started', () => {
    // A worker thread's clock starts near 0: the first window must still be a whole second.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'], now: 0 });
    vi.advanceTimersByTime(500);
    const { g, handled, calls } = gate(2);
    for (let i = 0; i < 5; i++) g.offer(i);
    expect(handled).toEqual([0, 1]);
    expect(calls).toEqual(['limited', 'pause']);
    vi.advanceTimersByTime(999);
    expect(handled).toEqual([0, 1]);
    vi.advanceTimersByTime(1);
    expect(handled).toEqual([0, 1, 2, 3]);
    vi.advanceTimersByTime(1000);
    expect(handled).toEqual([0, 1, 2, 3, 4]);
    expect(calls.filter((c) => c === 'limited')).toHaveLength(1);
    expect(calls.at(-1)).toBe('resume');
    expect(g.queued).toBe(0);
  });

  it('flush hands over everything still queued; 0 means no limit', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'], now: 0 });
    const { g, handled } = gate(1);
    for (let i = 0; i < 4; i++) g.offer(i);
    g.flush();
    expect(handled).toEqual([0, 1, 2, 3]);
    const free = gate(0);
    for (let i = 0; i < 1000; i++) free.g.offer(i);
    expect(free.handled).toHaveLength(1000);
    expect(free.calls).toEqual([]);
  });
});

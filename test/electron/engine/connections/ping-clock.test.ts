import { afterEach, describe, expect, it, vi } from 'vitest';
import { PingClock } from '../../../../electron/engine/connections/ping-clock';

afterEach(() => {
  vi.useRealTimers();
});

/** A member that notes when it was ticked (fake clock, ms). */
function member(ticks: number[]) {
  return { pingTick: () => ticks.push(Date.now()) };
}

describe('ping clock: one timer for every connection of an interval', () => {
  it('ticks each member once per interval, the first time about one interval after it joined', () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new PingClock(30_000);
    const a: number[] = [];
    const b: number[] = [];
    clock.add(member(a));
    vi.advanceTimersByTime(12_345);
    clock.add(member(b));
    vi.advanceTimersByTime(100_000);
    expect(a).toEqual([30_000, 60_000, 90_000]);
    // Joined at 12,345 ms: ticked within one slot (1 s) before each of its own intervals.
    expect(b.length).toBe(3);
    b.forEach((t, i) => {
      expect(t).toBeLessThanOrEqual(12_345 + (i + 1) * 30_000);
      expect(t).toBeGreaterThan(12_345 + (i + 1) * 30_000 - 1000);
    });
  });

  it('stops ticking a member that left, also from inside a tick, and stops its timer when none is left', () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new PingClock(1000);
    const kept: number[] = [];
    let selfRemoving = 0;
    const leaver = {
      pingTick: () => {
        selfRemoving++;
        clock.remove(leaver);
      },
    };
    const keeper = member(kept);
    clock.add(leaver);
    clock.add(keeper);
    clock.add(keeper);
    vi.advanceTimersByTime(3000);
    expect(selfRemoving).toBe(1);
    expect(kept).toEqual([1000, 2000, 3000]);
    clock.remove(keeper);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3000);
    expect(kept).toHaveLength(3);
  });

  it('a member that throws does not stop the others', () => {
    vi.useFakeTimers({ now: 0 });
    const clock = new PingClock(500);
    const ticks: number[] = [];
    clock.add({
      pingTick: () => {
        throw new Error('broken');
      },
    });
    clock.add(member(ticks));
    vi.advanceTimersByTime(1000);
    expect(ticks).toEqual([500, 1000]);
  });
});

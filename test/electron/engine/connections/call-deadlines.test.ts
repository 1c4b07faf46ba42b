import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallDeadlines } from '../../../../electron/engine/connections/call-deadlines';
import type { DeadlineOwner } from '../../../../electron/engine/connections/call-deadlines';

interface Due {
  id: string;
  at: number;
  action: string;
  sec: number;
  now: number;
}

function owner(into: Due[], onDue?: (d: Due) => void): DeadlineOwner {
  return {
    callDeadline(id, at, action, sec) {
      const d = { id, at, action, sec, now: Date.now() };
      into.push(d);
      onDue?.(d);
    },
  };
}

describe('CallDeadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tells the owner of each call its deadline, never early and at most the gather window late', () => {
    const d = new CallDeadlines(() => Date.now(), 100);
    const seen: Due[] = [];
    const o = owner(seen);
    const at = d.add(o, 'a', 'Heartbeat', 30);
    vi.advanceTimersByTime(1000);
    d.add(o, 'b', 'StatusNotification', 30);
    vi.advanceTimersByTime(28_999);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(101);
    expect(seen.map((s) => [s.id, s.action, s.sec, s.at])).toEqual([['a', 'Heartbeat', 30, at]]);
    expect(seen[0]!.now).toBeGreaterThanOrEqual(at);
    vi.advanceTimersByTime(1000);
    expect(seen.map((s) => s.id)).toEqual(['a', 'b']);
    expect(d.size).toBe(0);
  });

  it('a shorter timeout set later comes first', () => {
    const d = new CallDeadlines(() => Date.now(), 10);
    const seen: Due[] = [];
    const o = owner(seen);
    d.add(o, 'long', 'Authorize', 60);
    d.add(o, 'short', 'Heartbeat', 5);
    vi.advanceTimersByTime(5_010);
    expect(seen.map((s) => s.id)).toEqual(['short']);
    vi.advanceTimersByTime(55_000);
    expect(seen.map((s) => s.id)).toEqual(['short', 'long']);
  });

  it('a deadline set while deadlines are being told (a retry on timeout) still comes', () => {
    const d = new CallDeadlines(() => Date.now(), 10);
    const seen: Due[] = [];
    const o: DeadlineOwner = owner(seen, (due) => {
      if (due.id === 'first') d.add(o, 'retry', due.action, 1);
    });
    d.add(o, 'first', 'BootNotification', 2);
    d.add(o, 'other', 'BootNotification', 20);
    vi.advanceTimersByTime(2_010);
    expect(seen.map((s) => s.id)).toEqual(['first']);
    vi.advanceTimersByTime(1_010);
    expect(seen.map((s) => s.id)).toEqual(['first', 'retry']);
    vi.advanceTimersByTime(20_000);
    expect(seen.map((s) => s.id)).toEqual(['first', 'retry', 'other']);
  });

  it('many deadlines share a few timer runs and all come, in order', () => {
    const d = new CallDeadlines(() => Date.now(), 100);
    const seen: Due[] = [];
    const o = owner(seen);
    for (let i = 0; i < 5_000; i++) {
      d.add(o, `c${i}`, 'Heartbeat', 10);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(10_200);
    expect(seen).toHaveLength(5_000);
    expect(seen.every((s, i) => s.id === `c${i}` && s.now >= s.at)).toBe(true);
    expect(d.size).toBe(0);
  });
});

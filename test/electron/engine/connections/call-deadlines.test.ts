import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallDeadlines } from '../../../../electron/engine/connections/call-deadlines';
import type { DeadlineOwner } from '../../../../electron/engine/connections/call-deadlines';

interface Due {
  id: string;
  at: number;
  sec: number;
  now: number;
}

/** An owner that names its deadlines (a connection finds the call that has the deadline). */
function owner(into: Due[], onDue?: (d: Due) => void): DeadlineOwner & { named: Map<number, string> } {
  const named = new Map<number, string>();
  return {
    named,
    // A call answered (or re-armed) is no longer named by its deadline.
    waitsFor: (at) => named.has(at),
    callDeadline(at, sec) {
      const d = { id: named.get(at) ?? '?', at, sec, now: Date.now() };
      into.push(d);
      onDue?.(d);
    },
  };
}

function add(d: CallDeadlines, o: ReturnType<typeof owner>, id: string, sec: number): number {
  const at = d.add(o, sec);
  o.named.set(at, id);
  return at;
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
    const at = add(d, o, 'a', 30);
    vi.advanceTimersByTime(1000);
    add(d, o, 'b', 30);
    vi.advanceTimersByTime(28_999);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(101);
    expect(seen.map((s) => [s.id, s.sec, s.at])).toEqual([['a', 30, at]]);
    expect(seen[0]!.now).toBeGreaterThanOrEqual(at);
    vi.advanceTimersByTime(1000);
    expect(seen.map((s) => s.id)).toEqual(['a', 'b']);
    expect(d.size).toBe(0);
  });

  it('a shorter timeout set later comes first', () => {
    const d = new CallDeadlines(() => Date.now(), 10);
    const seen: Due[] = [];
    const o = owner(seen);
    add(d, o, 'long', 60);
    add(d, o, 'short', 5);
    vi.advanceTimersByTime(5_010);
    expect(seen.map((s) => s.id)).toEqual(['short']);
    vi.advanceTimersByTime(55_000);
    expect(seen.map((s) => s.id)).toEqual(['short', 'long']);
  });

  it('a deadline set while deadlines are being told (a retry on timeout) still comes', () => {
    const d = new CallDeadlines(() => Date.now(), 10);
    const seen: Due[] = [];
    const o: ReturnType<typeof owner> = owner(seen, (due) => {
      if (due.id === 'first') add(d, o, 'retry', 1);
    });
    add(d, o, 'first', 2);
    add(d, o, 'other', 20);
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
      add(d, o, `c${i}`, 10);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(10_200);
    expect(seen).toHaveLength(5_000);
    expect(seen.every((s, i) => s.id === `c${i}` && s.now >= s.at)).toBe(true);
    expect(d.size).toBe(0);
  });

  it("lets go of answered calls' entries as calls keep coming, and the unanswered ones still come, in order", () => {
    const d = new CallDeadlines(() => Date.now(), 100);
    const seen: Due[] = [];
    const o = owner(seen);
    let most = 0;
    for (let i = 0; i < 20_000; i++) {
      const at = add(d, o, `c${i}`, 30);
      // All but one call in a hundred are answered at once, as a charger's heartbeats are.
      if (i % 100 !== 0) o.named.delete(at);
      most = Math.max(most, d.size);
      vi.advanceTimersByTime(1);
    }
    // Bounded by the sweep, not by the 20,000 calls made within the timeout.
    expect(most).toBeLessThanOrEqual(2048);
    vi.advanceTimersByTime(30_200);
    // Answered calls not swept yet are told too, and passed over by their owner (as a connection does).
    const due = seen.filter((s) => s.id !== '?');
    expect(due.map((s) => s.id)).toEqual(Array.from({ length: 200 }, (_, k) => `c${k * 100}`));
    expect(seen.every((s) => s.now >= s.at)).toBe(true);
    expect(d.size).toBe(0);
  });
});

describe('CallDeadlines with many calls in flight on one connection', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** An owner that looks its deadlines in flight up (as a connection does), counting the questions asked. */
  function busy(): DeadlineOwner & { live: Map<number, string>; asked: number; timedOut: string[] } {
    const o = {
      live: new Map<number, string>(),
      asked: 0,
      timedOut: [] as string[],
      waitsFor(at: number): boolean {
        o.asked++;
        return o.live.has(at);
      },
      callDeadline(at: number): void {
        const id = o.live.get(at);
        if (id === undefined) return;
        o.live.delete(at);
        o.timedOut.push(id);
      },
    };
    return o;
  }

  it('times out exactly the calls still in flight, and asks about each entry a bounded number of times', () => {
    const d = new CallDeadlines(() => Date.now(), 100);
    const o = busy();
    // 3,000 calls left in flight, then 12,000 answered at once (sweeps), 1,000 of the first answered late.
    for (let i = 0; i < 3_000; i++) {
      o.live.set(d.add(o, 30), `late${i}`);
      vi.advanceTimersByTime(1);
    }
    let k = 0;
    for (const at of [...o.live.keys()]) if (k++ % 3 === 1) o.live.delete(at);
    for (let i = 0; i < 12_000; i++) d.add(o, 30);
    const size = d.size;
    const asked = o.asked;
    vi.advanceTimersByTime(30_200);
    const late = Array.from({ length: 3_000 }, (_, i) => i).filter((i) => i % 3 !== 1);
    expect(o.timedOut).toEqual(late.map((i) => `late${i}`));
    // The answered calls' entries were swept as they came: the 2,000 in flight and at most one sweep's worth more.
    expect(size).toBeLessThanOrEqual(2 * 3_000 + 1);
    // Sweeps asked about the 15,000 entries, each a few times at most (the queue is swept once it has doubled).
    expect(asked).toBeGreaterThan(0);
    expect(asked).toBeLessThanOrEqual(3 * 15_000);
  });
});

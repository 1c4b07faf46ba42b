import { describe, expect, it } from 'vitest';
import { indexDeadline, unindexDeadline } from '../../../../electron/engine/connections/deadline-index';
import type { DeadlineIndex } from '../../../../electron/engine/connections/deadline-index';

interface C {
  id: string;
  deadline: number;
}

describe('deadline index', () => {
  it('holds the one call with a deadline, or the several that share one, and lets each go', () => {
    const index: DeadlineIndex<C> = new Map();
    const a = { id: 'a', deadline: 5 };
    const b = { id: 'b', deadline: 5 };
    const c = { id: 'c', deadline: 6 };
    const none = { id: 'none', deadline: 0 };
    for (const x of [a, b, c, none]) indexDeadline(index, x);
    expect(index.get(5)).toEqual(new Set([a, b]));
    // The one call with its deadline is held as itself: nothing made for it.
    expect(index.get(6)).toBe(c);
    expect(index.has(0)).toBe(false);
    unindexDeadline(index, a);
    expect(index.get(5)).toEqual(new Set([b]));
    unindexDeadline(index, b);
    expect(index.has(5)).toBe(false);
    // A call not under its deadline (already let go) changes nothing.
    unindexDeadline(index, b);
    unindexDeadline(index, { id: 'other', deadline: 6 });
    expect(index.get(6)).toBe(c);
    unindexDeadline(index, c);
    expect(index.size).toBe(0);
  });

  it('keeps the calls sharing a deadline in the order they were armed, a re-armed one last', () => {
    const index: DeadlineIndex<C> = new Map();
    const calls = Array.from({ length: 5 }, (_, i) => ({ id: `c${i}`, deadline: 7 }));
    for (const x of calls) indexDeadline(index, x);
    unindexDeadline(index, calls[1]!);
    indexDeadline(index, calls[1]!);
    unindexDeadline(index, calls[3]!);
    expect([...(index.get(7) as Set<C>)].map((x) => x.id)).toEqual(['c0', 'c2', 'c4', 'c1']);
  });
});

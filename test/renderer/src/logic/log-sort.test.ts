import { beforeEach, describe, expect, it } from 'vitest';
import type { RowContext } from '../../../../renderer/src/logic/columns';
import { nextSort, sortEvents } from '../../../../renderer/src/logic/log-sort';
import type { ScopeEvent } from '../../../../renderer/src/types';
import { exchange, frame, opened, resetSeq } from '../fixtures';

describe('sorting the log', () => {
  beforeEach(resetSeq);

  const rtt = new Map<number, number>();
  const ctx: RowContext = {
    connectionLabel: (c) => ({ c1: 'CP-B', c2: 'CP-a' })[c] ?? c,
    rttOf: (e) => rtt.get(e.seq),
  };

  it('cycles ascending, descending, then back to the order things happened', () => {
    const asc = nextSort(undefined, 'rtt');
    expect(asc).toEqual({ column: 'rtt', dir: 'asc' });
    const desc = nextSort(asc, 'rtt');
    expect(desc).toEqual({ column: 'rtt', dir: 'desc' });
    expect(nextSort(desc, 'rtt')).toBeUndefined();
    expect(nextSort(desc, 'time')).toEqual({ column: 'time', dir: 'asc' });
  });

  it('sorts round trips as numbers, rows without one last in both directions', () => {
    const [a1, a2] = exchange('c1', 'Heartbeat', 120);
    const [b1, b2] = exchange('c1', 'Authorize', 9);
    const note: ScopeEvent = { seq: 99, t: 1, mono: 1, conn: 'c1', kind: 'note', source: 'user', text: 'n' };
    rtt.clear();
    for (const [e, ms] of [
      [a1, 120],
      [a2, 120],
      [b1, 9],
      [b2, 9],
    ] as const)
      rtt.set(e.seq, ms);
    const events = [note, a1, a2, b1, b2];
    expect(sortEvents(events, { column: 'rtt', dir: 'asc' }, ctx).map((e) => e.seq)).toEqual([
      b1.seq,
      b2.seq,
      a1.seq,
      a2.seq,
      99,
    ]);
    expect(sortEvents(events, { column: 'rtt', dir: 'desc' }, ctx).map((e) => e.seq)).toEqual([
      a1.seq,
      a2.seq,
      b1.seq,
      b2.seq,
      99,
    ]);
  });

  it('sorts text columns by what the cell shows, case-insensitively, ties in the order things happened', () => {
    const o1 = opened('c1', 'CP-B');
    const o2 = opened('c2', 'CP-a');
    const f1 = frame('c1', {
      sender: 'station',
      text: '[2,"1","Heartbeat",{}]',
      msg: { type: 2, id: '1', action: 'Heartbeat' },
    });
    const sorted = sortEvents([o1, f1, o2], { column: 'connection', dir: 'asc' }, ctx);
    expect(sorted.map((e) => ctx.connectionLabel(e.conn))).toEqual(['CP-a', 'CP-B', 'CP-B']);
    expect(sorted.slice(1).map((e) => e.seq)).toEqual([o1.seq, f1.seq]);
  });

  it('leaves the input alone (a copy is sorted)', () => {
    const [a, b] = exchange('c1', 'Heartbeat', 5);
    const input = [b, a];
    sortEvents(input, { column: 'time', dir: 'asc' }, ctx);
    expect(input).toEqual([b, a]);
  });
});

import { performance } from 'node:perf_hooks';
import { describe, expect, it, vi } from 'vitest';
import { EventStream } from '../../../../electron/engine/connections/event-stream';

describe('EventStream', () => {
  it('stamps events with increasing seq and clocks, in emission order', () => {
    const stream = new EventStream();
    const seen: number[] = [];
    stream.subscribe((e) => seen.push(e.seq));
    const a = stream.emit({ kind: 'note', conn: 'c1', source: 'user', text: 'a' });
    const b = stream.emit({ kind: 'note', conn: 'c1', source: 'user', text: 'b' });
    expect([a.seq, b.seq]).toEqual([0, 1]);
    expect(seen).toEqual([0, 1]);
    expect(b.mono).toBeGreaterThanOrEqual(a.mono);
    expect(Math.abs(a.t - Date.now())).toBeLessThan(60_000);
    expect(stream.count).toBe(2);
  });

  it('keeps delivering to other listeners when one throws, and reports the error', () => {
    const errors: unknown[] = [];
    const stream = new EventStream((e) => errors.push(e));
    const got: string[] = [];
    stream.subscribe(() => {
      throw new Error('broken consumer');
    });
    stream.subscribe((e) => got.push(e.kind));
    stream.emit({ kind: 'error', conn: 'c1', code: 'x', message: 'y' });
    expect(got).toEqual(['error']);
    expect(errors).toHaveLength(1);
  });

  it('stops delivering after unsubscribe', () => {
    const stream = new EventStream();
    const got: number[] = [];
    const off = stream.subscribe((e) => got.push(e.seq));
    stream.emit({ kind: 'note', conn: 'c1', source: 'engine', text: 'one' });
    off();
    stream.emit({ kind: 'note', conn: 'c1', source: 'engine', text: 'two' });
    expect(got).toEqual([0]);
  });

  it('gives an event that happened earlier (its monotonic time) the wall time of that moment, whether the clocks were read just before or long after', () => {
    const stream = new EventStream();
    const note = (text: string, at: number) =>
      stream.emit({ kind: 'note', conn: 'c1', source: 'engine', text }, at);
    const now = performance.now();
    const wall = Date.now();
    // Read just now (the offset is fresh), a moment later (within a millisecond: read again or not, the same answer),
    // and for a time long before the last reading (read again).
    const fresh = note('fresh', now);
    const next = note('next', now + 0.2);
    const old = note('old', now - 5000);
    for (const [e, expected] of [
      [fresh, wall],
      [next, wall],
      [old, wall - 5000],
    ] as const) {
      // Date.now() rounds down to the millisecond; the clocks are read microseconds apart.
      expect(Math.abs(e.t - expected)).toBeLessThanOrEqual(2);
    }
    expect([fresh.mono, next.mono, old.mono]).toEqual([now, now + 0.2, now - 5000]);
    expect(Math.abs(stream.wallAt(now) - fresh.t)).toBeLessThanOrEqual(1);
  });

  it('after the machine slept (the monotonic clock stood still, the wall clock went on), the next turn of the event loop stamps the wall time of now, not of before the sleep', async () => {
    const stream = new EventStream();
    const mono = 1000;
    let wall = 1_765_000_000_000;
    const perf = vi.spyOn(performance, 'now').mockImplementation(() => mono);
    const date = vi.spyOn(Date, 'now').mockImplementation(() => wall);
    try {
      const before = stream.emit({ kind: 'note', conn: 'c1', source: 'engine', text: 'before' }, mono);
      expect(before.t).toBe(wall);
      // A suspend is spent in the loop's wait for the sockets: a turn ends before anything is read after it.
      await new Promise<void>((resolve) => setImmediate(resolve));
      wall += 3_600_000;
      const after = stream.emit({ kind: 'note', conn: 'c1', source: 'engine', text: 'after' }, mono + 0.3);
      expect(after.t).toBe(wall);
    } finally {
      perf.mockRestore();
      date.mockRestore();
    }
  });

  it('a wall clock that moved on (a resume, a clock step) is read again even within one turn, and no immediate is left behind per stamp', () => {
    const stream = new EventStream();
    const mono = 1000;
    let wall = 1_765_000_000_000;
    const perf = vi.spyOn(performance, 'now').mockImplementation(() => mono);
    const date = vi.spyOn(Date, 'now').mockImplementation(() => wall);
    const immediate = vi.spyOn(globalThis, 'setImmediate');
    try {
      const note = (text: string, at: number) =>
        stream.emit({ kind: 'note', conn: 'c1', source: 'engine', text }, at);
      expect(note('first', mono).t).toBe(wall);
      // Within a millisecond on both clocks: the reading serves.
      wall += 1;
      expect(note('second', mono + 0.2).t).toBe(wall - 1);
      wall += 3_600_000;
      expect(note('after', mono + 0.3).t).toBe(wall);
      // Stepped back: read again too.
      wall -= 60_000;
      expect(note('stepped back', mono + 0.4).t).toBe(wall);
      expect(immediate).not.toHaveBeenCalled();
    } finally {
      perf.mockRestore();
      date.mockRestore();
      immediate.mockRestore();
    }
  });
});

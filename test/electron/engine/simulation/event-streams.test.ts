import { describe, expect, it } from 'vitest';
import { EventStreams, streamParamsOf } from '../../../../electron/engine/simulation/event-streams';

const T = Date.parse('2026-01-01T12:00:00Z');

describe('EventStreams', () => {
  it('sends by interval from the oldest waiting value, with offsets from the basetime; only open streams take values', () => {
    const s = new EventStreams();
    const stream = s.request(7, { interval: 10, values: 0 });
    expect(s.push(7, 'a', T)).toBe(false);
    s.opened(stream.id, true);
    expect(s.push(7, 'a', T)).toBe(true);
    expect(s.push(7, 'b', T + 4000)).toBe(true);
    expect(s.push(8, 'x', T)).toBe(false);
    expect(s.nextDue()).toBe(T + 10_000);
    expect(s.due(T + 9999)).toEqual([]);
    const [batch] = s.due(T + 10_000);
    expect(batch!.payload).toEqual({
      id: stream.id,
      pending: 0,
      basetime: new Date(T).toISOString(),
      data: [
        { t: 0, v: 'a' },
        { t: 4, v: 'b' },
      ],
    });
    expect(s.nextDue()).toBeUndefined();
  });

  it('sends `values` at a time and says how many still wait; a refused stream is forgotten; params are read safely', () => {
    const s = new EventStreams();
    const a = s.request(1, { interval: 0, values: 2 });
    s.opened(a.id, true);
    for (let i = 0; i < 5; i++) s.push(1, String(i), T + i * 1000);
    const batches = s.due(T + 5000);
    expect(batches.map((b) => [b.payload['pending'], (b.payload['data'] as unknown[]).length])).toEqual([
      [3, 2],
    ]);
    expect(s.due(T + 5000).map((b) => b.payload['pending'])).toEqual([1]);
    const refused = s.request(2, { interval: 5, values: 0 });
    s.opened(refused.id, false);
    expect(s.list().map((x) => x['variableMonitoringId'])).toEqual([1]);
    expect(s.adjust(refused.id, { interval: 1, values: 1 }, T)).toBe(false);
    expect(streamParamsOf({ interval: 5 })).toEqual({ interval: 5, values: 0 });
    expect(streamParamsOf({ interval: -1, values: 1.5 })).toEqual({ interval: 0, values: 0 });
    expect(streamParamsOf('x')).toBeUndefined();
  });

  it('a dropped connection closes every stream and drops its waiting values, but keeps it to be opened again', () => {
    const s = new EventStreams();
    const a = s.request(7, { interval: 10, values: 0 });
    const b = s.request(8, { interval: 0, values: 3 });
    s.opened(a.id, true);
    s.push(7, 'a', T);
    s.suspend();
    expect(s.list()).toEqual([]);
    expect(s.nextDue()).toBeUndefined();
    expect(s.push(7, 'b', T + 1000)).toBe(false);
    expect(s.all().map((x) => [x.id, x.monitorId])).toEqual([
      [a.id, 7],
      [b.id, 8],
    ]);
    // Opened again, it takes values anew; none from before the drop is sent.
    s.opened(a.id, true);
    s.push(7, 'c', T + 2000);
    expect(s.due(T + 12_000)[0]!.payload['data']).toEqual([{ t: 0, v: 'c' }]);
  });
});

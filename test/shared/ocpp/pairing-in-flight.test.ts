import { describe, expect, it } from 'vitest';
import type { InFlight } from '../../../shared/ocpp/pairing-in-flight';
import {
  inFlightCompact,
  inFlightDelete,
  inFlightGet,
  inFlightList,
  inFlightOldest,
  inFlightSet,
  inFlightSize,
  noMore,
} from '../../../shared/ocpp/pairing-in-flight';

interface R {
  id: string;
  n: number;
}

const fresh = (): InFlight<R> => ({ lone: undefined, more: noMore<R>() });
const ids = (f: InFlight<R>): string[] => inFlightList(f).map((r) => r.id);

describe('requests in flight', () => {
  it('keeps one request in a field and writes no map for it', () => {
    const f = fresh();
    inFlightSet(f, { id: 'a', n: 1 });
    expect(f.lone?.id).toBe('a');
    expect(f.more.size).toBe(0);
    expect(inFlightSize(f)).toBe(1);
    expect(inFlightGet(f, 'a')?.n).toBe(1);
    expect(inFlightGet(f, 'b')).toBeUndefined();
    expect(inFlightDelete(f, 'b')).toBe(false);
    expect(inFlightDelete(f, 'a')).toBe(true);
    expect(inFlightSize(f)).toBe(0);
    expect(inFlightGet(f, 'a')).toBeUndefined();
    // The shared empty map was never written: another set starts afresh.
    expect(noMore<R>().size).toBe(0);
  });

  it('keeps the order of sets across the move from one to many and back', () => {
    const f = fresh();
    inFlightSet(f, { id: 'a', n: 1 });
    inFlightSet(f, { id: 'b', n: 2 });
    inFlightSet(f, { id: 'c', n: 3 });
    expect(ids(f)).toEqual(['a', 'b', 'c']);
    expect(inFlightOldest(f)?.id).toBe('a');
    // A set of an id in flight replaces it as the newest.
    inFlightSet(f, { id: 'a', n: 4 });
    expect(ids(f)).toEqual(['b', 'c', 'a']);
    expect(inFlightGet(f, 'a')?.n).toBe(4);
    expect(inFlightDelete(f, 'b')).toBe(true);
    expect(inFlightDelete(f, 'c')).toBe(true);
    expect(inFlightDelete(f, 'a')).toBe(true);
    expect(inFlightSize(f)).toBe(0);
    expect(inFlightOldest(f)).toBeUndefined();
    inFlightSet(f, { id: 'd', n: 5 });
    expect(ids(f)).toEqual(['d']);
    inFlightCompact(f);
    expect(ids(f)).toEqual(['d']);
    inFlightDelete(f, 'd');
    inFlightCompact(f);
    expect(f.more).toBe(noMore<R>());
    expect(noMore<R>().size).toBe(0);
  });

  it('replaces a lone request set again with the same id', () => {
    const f = fresh();
    inFlightSet(f, { id: 'a', n: 1 });
    inFlightSet(f, { id: 'a', n: 2 });
    expect(ids(f)).toEqual(['a']);
    expect(inFlightGet(f, 'a')?.n).toBe(2);
    expect(f.more.size).toBe(0);
  });

  it('lists a copy, so a walk may delete what it visits', () => {
    const f = fresh();
    for (const id of ['a', 'b', 'c']) inFlightSet(f, { id, n: 0 });
    for (const r of inFlightList(f)) inFlightDelete(f, r.id);
    expect(inFlightSize(f)).toBe(0);
  });
});

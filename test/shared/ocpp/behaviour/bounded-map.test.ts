import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../../../shared/ocpp/behaviour/peer-model';

/** What a BoundedMap must behave as: a Map that forgets its oldest entry when a new key would pass `max`. */
class Reference<K, V> {
  readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  set(k: K, v: V): void {
    if (!this.map.has(k) && this.map.size >= this.max) this.map.delete(this.map.keys().next().value as K);
    this.map.set(k, v);
  }
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('a bounded map', () => {
  it('behaves as a Map bounded to its newest entries, below, at and past its small size, for any bound', () => {
    const next = rng(7);
    const KEYS: number[] = [
      0,
      -0,
      Number.NaN,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      10,
      11,
      12,
      13,
      14,
      15,
      16,
      17,
      18,
      19,
    ];
    for (const max of [1, 3, 8, 9, 20, 128]) {
      const m = new BoundedMap<number, number>(max);
      const ref = new Reference<number, number>(max);
      for (let step = 0; step < 4000; step++) {
        const k = KEYS[Math.floor(next() * KEYS.length)]!;
        const r = next();
        if (r < 0.55) {
          m.set(k, step);
          ref.set(k, step);
        } else if (r < 0.8) {
          expect(m.delete(k)).toBe(ref.map.delete(k));
        } else if (r < 0.82) {
          m.clear();
          ref.map.clear();
        }
        expect(m.size).toBe(ref.map.size);
        expect(m.get(k)).toBe(ref.map.get(k));
        expect(m.has(k)).toBe(ref.map.has(k));
        if (step % 50 === 0) {
          expect([...m]).toEqual([...ref.map]);
          expect([...m.keys()]).toEqual([...ref.map.keys()]);
          expect([...m.values()]).toEqual([...ref.map.values()]);
        }
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { SlotHistory } from '../../../shared/ocpp/pairing-history';
import type { Done } from '../../../shared/ocpp/pairing-history';

/** The plain model the slot form must behave as: newest first, newest entry for an id wins, the oldest fall out. */
class Reference {
  private entries: Done[] = [];
  constructor(private readonly size: number) {}
  get(id: string): Done | undefined {
    return this.entries.find((d) => d.id === id);
  }
  add(d: Done): void {
    this.entries.unshift(d);
    if (this.entries.length > this.size) this.entries.pop();
  }
  replace(d: Done): void {
    const i = this.entries.findIndex((e) => e.id === d.id);
    if (i >= 0) this.entries[i] = d;
  }
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// Ids a hostile or sloppy peer may send: the separators themselves, prefixes of each other, empty, non-ASCII.
const IDS = [
  'a',
  'ab',
  'abc',
  '',
  '\u0001',
  '\u0002',
  '\u0000',
  'x\u00001',
  'x\u0001',
  '1',
  '12',
  'é😀',
  'b\u0002c',
  // Alike in the characters the lookup's small hash reads (length, first, middle, quarter, last): they collide.
  'x1y2z',
  'x1y3z',
];
const ACTIONS = ['Heartbeat', 'StatusNotification', '', 'A\u0002B', '\u0000\u0001'];
const OUTCOMES: Done['outcome'][] = [3, 4, 'timeout', 'send', 'dropped'];

/** Many distinct ids, as a charger's fresh ones: most lookups find no entry (the history answers from its codes). */
const MANY_IDS = Array.from({ length: 400 }, (_, i) => `${(i * 2654435761) % 100_000}-${i % 7}-m${i}`);

describe('a sender’s history kept in flat slots', () => {
  it('answers exactly as a list of entries would, for any ids, across thousands of random steps', () => {
    const next = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    for (const [size, ids] of [
      [1, IDS],
      [2, IDS],
      [8, IDS],
      [16, IDS],
      [8, MANY_IDS],
      [16, MANY_IDS],
    ] as const) {
      const text = new SlotHistory(size);
      const ref = new Reference(size);
      for (let step = 0; step < 3000; step++) {
        const id = pick(ids);
        const r = next();
        if (r < 0.5) {
          const outcome = pick(OUTCOMES);
          const d: Done = {
            id,
            action: pick(ACTIONS),
            seq: Math.floor(next() * 1e6),
            mono: outcome === 'timeout' || outcome === 'dropped' ? next() * 1e7 : 0,
            outcome,
            responseSeq: outcome === 3 || outcome === 4 ? Math.floor(next() * 1e6) : undefined,
          };
          if (r < 0.2 && (d.outcome === 3 || d.outcome === 4)) {
            // The answered request's own way in (no Done object): the same entry.
            text.addAnswered(d.id, d.action, d.seq, d.outcome, d.responseSeq!);
            ref.add(d);
          } else if (r < 0.4) {
            text.add(d);
            ref.add(d);
          } else {
            text.replace(d);
            ref.replace(d);
          }
        }
        expect(text.has(id)).toBe(ref.get(id) !== undefined);
        expect(text.get(id)).toEqual(ref.get(id));
      }
    }
  });

  it('keeps a late answer’s time exactly (a fractional monotonic time reads back the same number), and a large seq', () => {
    const h = new SlotHistory(8);
    h.add({
      id: 'm1',
      action: 'Heartbeat',
      seq: 7,
      mono: 123456.78901234,
      outcome: 'timeout',
      responseSeq: undefined,
    });
    h.add({
      id: 'm2',
      action: 'Heartbeat',
      seq: 2 ** 40,
      mono: 9.5,
      outcome: 'dropped',
      responseSeq: undefined,
    });
    expect(h.get('m1')?.mono).toBe(123456.78901234);
    expect(h.get('m2')).toMatchObject({ seq: 2 ** 40, mono: 9.5, outcome: 'dropped' });
    expect(h.get('m')).toBeUndefined();
    expect(h.get('m1x')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { ConnectorStates } from '../../../../shared/ocpp/behaviour/peer-model';

describe("a station's connector states", () => {
  it('keeps the latest status and seq of each connector, as a Map bounded to the connectors seen first would', () => {
    let s = 11;
    const next = (): number => {
      s = (s * 1664525 + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
    for (const max of [1, 2, 3, 5]) {
      const states = new ConnectorStates(max);
      const ref = new Map<number, { status: string; seq: number }>();
      for (let seq = 0; seq < 400; seq++) {
        const key = Math.floor(next() * 7);
        const status = ['Available', 'Preparing', 'Charging', 'Faulted'][Math.floor(next() * 4)]!;
        if (!ref.has(key) && ref.size >= max) ref.delete(ref.keys().next().value as number);
        ref.set(key, { status, seq });
        states.set(key, status, seq);
        expect(states.size).toBe(ref.size);
        for (let k = 0; k < 7; k++) {
          expect(states.get(k)).toEqual(ref.get(k));
          expect(states.status(k)).toBe(ref.get(k)?.status);
          expect(states.seq(k)).toBe(ref.get(k)?.seq ?? -1);
        }
      }
      states.clear();
      expect(states.size).toBe(0);
      expect(states.status(0)).toBeUndefined();
    }
  });
});

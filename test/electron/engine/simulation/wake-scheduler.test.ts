import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WakeScheduler } from '../../../../electron/engine/simulation/wake-scheduler';
import type { Wakeable } from '../../../../electron/engine/simulation/wake-scheduler';

describe('WakeScheduler', () => {
  it('wakes targets in time order, honours re-scheduling and cancelling, and keeps one timer for all', async () => {
    const s = new WakeScheduler();
    const order: string[] = [];
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    const t = (name: string): Wakeable => ({
      wake: () => {
        order.push(name);
        if (name === 'last') resolveDone();
      },
    });
    const now = Date.now();
    const a = t('a');
    const b = t('b');
    const c = t('c');
    const last = t('last');
    s.schedule(c, now + 30);
    s.schedule(a, now + 10);
    s.schedule(b, now + 20);
    s.schedule(a, now + 25); // moved after b
    s.schedule(c, undefined); // cancelled
    s.schedule(last, now + 40);
    // One entry per target: a re-schedule moves it, a cancel removes it.
    expect(s.size).toBe(3);
    await done;
    expect(order).toEqual(['b', 'a', 'last']);
    s.stop();
  });

  it('a target that throws does not stop the others', async () => {
    const s = new WakeScheduler();
    const woke: string[] = [];
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    s.schedule(
      {
        wake: () => {
          throw new Error('bug');
        },
      },
      Date.now(),
    );
    s.schedule(
      {
        wake: () => {
          woke.push('ok');
          resolveDone();
        },
      },
      Date.now() + 1,
    );
    await done;
    expect(woke).toEqual(['ok']);
    s.stop();
  });

  it('wakes targets due close together in one run, never before their time', async () => {
    const s = new WakeScheduler();
    const seen: { at: number; now: number }[] = [];
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    const first = Date.now() + 5;
    for (let i = 0; i < 50; i++) {
      const at = first + (i % 5);
      s.schedule(
        {
          wake: (now) => {
            seen.push({ at, now });
            if (seen.length === 50) resolveDone();
          },
        },
        at,
      );
    }
    await done;
    // One timer run for all: they share its clock reading, and each came at or after the time it asked for.
    expect(new Set(seen.map((x) => x.now)).size).toBe(1);
    expect(seen.every((x) => x.now >= x.at)).toBe(true);
    s.stop();
  });

  describe('with a fake clock', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('wakes each target once, at or after the last time it asked for, in time order; a cancelled one never', () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              target: fc.nat(19),
              at: fc.option(fc.nat(5000), { nil: undefined }),
            }),
            { maxLength: 200 },
          ),
          (ops) => {
            vi.useFakeTimers({ now: 1_000_000 });
            try {
              const start = Date.now();
              const s = new WakeScheduler();
              const woke: { target: number; now: number }[] = [];
              const targets = Array.from({ length: 20 }, (_, i) => ({
                wake: (now: number) => woke.push({ target: i, now }),
              }));
              const wanted = new Map<number, number | undefined>();
              for (const op of ops) {
                const at = op.at === undefined ? undefined : start + op.at;
                s.schedule(targets[op.target]!, at);
                wanted.set(op.target, at);
              }
              vi.advanceTimersByTime(6000);
              const expected = [...wanted].filter(([, at]) => at !== undefined);
              expect(woke.map((w) => w.target).sort((a, b) => a - b)).toEqual(
                expected.map(([t]) => t).sort((a, b) => a - b),
              );
              for (const w of woke) {
                const at = wanted.get(w.target)!;
                expect(w.now).toBeGreaterThanOrEqual(at);
                expect(w.now - at).toBeLessThanOrEqual(10);
              }
              for (let i = 1; i < woke.length; i++)
                expect(wanted.get(woke[i]!.target)!).toBeGreaterThanOrEqual(wanted.get(woke[i - 1]!.target)!);
              expect(s.size).toBe(0);
              s.stop();
            } finally {
              vi.useRealTimers();
            }
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});

import { describe, expect, it } from 'vitest';
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
    // Stale entries stay in the heap until they come up; only live requests wake.
    expect(s.size).toBe(5);
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
});

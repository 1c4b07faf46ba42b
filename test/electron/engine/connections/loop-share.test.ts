import { describe, expect, it } from 'vitest';
import type { ShareAccount } from '../../../../electron/engine/connections/loop-share';
import { LoopShare, MAX_WAIT_MS } from '../../../../electron/engine/connections/loop-share';

/**
 * The scheduler on a simulated clock: each turn of the "event loop" handles one frame of every connection that is
 * admitted; what is asserted is the share of the time each kind got, as the engine would give it.
 */
function simulate(options: {
  /** Light connections, and what one frame of each costs (ms). */
  light: number;
  lightCost: number;
  /** A light connection has a frame every this many ms (0: as soon as it is handled, like a charger calling in a loop). */
  lightEveryMs: number;
  heavyCost: number;
  turns: number;
}): { heavyTime: number; lightTime: number; elapsed: number; maxWait: number } {
  let now = 0;
  const share = new LoopShare({ clock: () => now });
  const heavy = share.account();
  const light = Array.from({ length: options.light }, () => ({ a: share.account(), next: 0 }));
  let heavyTime = 0;
  let lightTime = 0;
  let maxWait = 0;
  const handle = (a: ShareAccount, cost: number): void => {
    now += cost;
    share.charge(a, cost, now);
  };
  for (let turn = 0; turn < options.turns; turn++) {
    const t0 = now;
    for (const l of light) {
      if (l.next > now || !share.admits(l.a, now)) continue;
      handle(l.a, options.lightCost);
      lightTime += options.lightCost;
      l.next = now + options.lightEveryMs;
    }
    // The heavy one always has frames waiting: handled while it is admitted, in runs of at most 8 ms (as its lane does).
    for (const from = now; share.admits(heavy, now) && (now === from || now - from < 8);) {
      handle(heavy, options.heavyCost);
      heavyTime += options.heavyCost;
      maxWait = Math.max(maxWait, heavy.blockedUntil - now);
    }
    // Nothing to do this turn: the loop waits for the next frame.
    if (now === t0) now += 0.01;
  }
  return { heavyTime, lightTime, elapsed: now, maxWait };
}

describe('loop share: how much a connection over its part gets', () => {
  it('beside connections that use all the time they get, a flood gets about a sixtieth of it', () => {
    // A hundred chargers calling as fast as they are answered, one flooding small frames.
    const r = simulate({ light: 100, lightCost: 0.05, lightEveryMs: 0, heavyCost: 0.05, turns: 40_000 });
    expect(r.heavyTime / (r.heavyTime + r.lightTime)).toBeLessThan(0.025);
    expect(r.heavyTime).toBeGreaterThan(0);
  });

  it('beside connections that use little of the engine, a busy one keeps at least a fifth of it', () => {
    // Twenty chargers with a frame every 50 ms each (about 2% of the time), one flushing a long queue.
    const r = simulate({ light: 20, lightCost: 0.05, lightEveryMs: 50, heavyCost: 0.05, turns: 400_000 });
    expect(r.lightTime / r.elapsed).toBeLessThan(0.03);
    expect(r.heavyTime / r.elapsed).toBeGreaterThan(0.19);
  });

  it('one costly frame holds its connection back for a bounded time, and no less than its share asks', () => {
    // Frames costing 20 ms beside chargers that use all the time they get: at a sixtieth each would wait 1.2 s.
    const r = simulate({ light: 100, lightCost: 0.05, lightEveryMs: 0, heavyCost: 20, turns: 20_000 });
    expect(r.maxWait).toBeLessThanOrEqual(MAX_WAIT_MS + 1e-9);
    expect(r.maxWait).toBeGreaterThan(MAX_WAIT_MS - 1);
    // Frames costing 50 ms wait long enough to keep the heavy one to a fifth.
    const huge = simulate({ light: 100, lightCost: 0.05, lightEveryMs: 0, heavyCost: 50, turns: 20_000 });
    expect(huge.heavyTime / (huge.heavyTime + huge.lightTime)).toBeLessThan(0.22);
  });

  it('a flood starting beside a hundred busy chargers is slowed within its first 30 ms of the engine', () => {
    let now = 0;
    const share = new LoopShare({ clock: () => now });
    const light = Array.from({ length: 100 }, () => share.account());
    // The chargers have been busy for a while.
    for (let i = 0; i < 4_000; i++)
      for (const l of light) {
        now += 0.05;
        share.charge(l, 0.05, now);
      }
    const flood = share.account();
    let used = 0;
    while (share.admits(flood, now) && used < 200) {
      now += 0.02;
      used += 0.02;
      share.charge(flood, 0.02, now);
      // The chargers keep calling between the flood's frames.
      const l = light[Math.floor(used * 50) % 100]!;
      now += 0.05;
      share.charge(l, 0.05, now);
    }
    expect(used).toBeLessThan(30);
  });
});

describe('LoopShare slack', () => {
  it("a slowed connection's run is its own: another's slowing in another regime does not move when it goes ahead", () => {
    const now = 1_000;
    const share = new LoopShare({ clock: () => now });
    const [x, y, h, g] = [share.account(), share.account(), share.account(), share.account()];
    share.charge(x, 1, now);
    share.charge(y, 1, now);
    // h uses far past its part beside others who use little: slowed at the light share, going ahead in short runs.
    share.charge(h, 60, now);
    expect(h.blockedUntil).toBeGreaterThan(now);
    const admittedFrom = (): number => {
      let t = now;
      while (!share.admits(h, t)) t += 0.5;
      return t;
    };
    const before = admittedFrom();
    // g then uses far more beside others who are busy (h among them): slowed at the busy share, with long runs.
    share.charge(g, 1_000, now);
    expect(g.blockedUntil).toBeGreaterThan(now);
    expect(g.slack).toBeGreaterThan(h.slack * 5);
    expect(admittedFrom()).toBe(before);
  });
});

describe('LoopShare active list', () => {
  it('keeps count through quiet spells, returns and closes in any order (each account knows its place)', () => {
    let now = 1_000;
    const share = new LoopShare({ clock: () => now });
    const accounts = Array.from({ length: 10 }, () => share.account());
    for (const a of accounts) share.charge(a, 0.1, now);
    expect(share.activeCount).toBe(10);
    // The even ones go quiet; the odd ones keep calling past the active window.
    for (let step = 0; step < 4; step++) {
      now += 100;
      accounts.forEach((a, i) => {
        if (i % 2 === 1) share.charge(a, 0.1, now);
      });
    }
    expect(share.activeCount).toBe(5);
    // A closed one in the middle of the list, and one that was already dropped: neither disturbs the others.
    share.forget(accounts[3]!);
    share.forget(accounts[4]!);
    expect(share.activeCount).toBe(4);
    share.forget(accounts[3]!);
    expect(share.activeCount).toBe(4);
    // The quiet ones come back, and every one still leaves the list when it closes.
    for (const i of [0, 2, 4]) share.charge(accounts[i]!, 0.1, now);
    expect(share.activeCount).toBe(7);
    for (const a of accounts) share.forget(a);
    expect(share.activeCount).toBe(0);
    for (const a of accounts) expect(a.activeAt).toBe(-1);
  });

  it("a quiet connection's use stops counting: one left alone is not slowed for the others' past use", () => {
    let now = 1_000;
    const share = new LoopShare({ clock: () => now });
    const others = Array.from({ length: 50 }, () => share.account());
    for (const a of others) share.charge(a, 5, now);
    const alone = share.account();
    now += 1_000;
    for (let i = 0; i < 200; i++) {
      now += 5;
      share.charge(alone, 5, now);
    }
    expect(share.activeCount).toBe(1);
    expect(alone.blockedUntil).toBeLessThanOrEqual(0);
  });
});

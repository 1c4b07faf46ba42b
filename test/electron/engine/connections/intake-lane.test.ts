import { afterEach, describe, expect, it, vi } from 'vitest';
import { IntakeLane, slowedNote } from '../../../../electron/engine/connections/intake-lane';
import type { SlowReport } from '../../../../electron/engine/connections/intake-lane';
import { LoopShare } from '../../../../electron/engine/connections/loop-share';

afterEach(() => {
  vi.useRealTimers();
});

function lane(max: number, share = new LoopShare()) {
  const handled: number[] = [];
  const calls: string[] = [];
  const reports: SlowReport[] = [];
  const l = new IntakeLane(
    max,
    {
      laneFrame: (data) => handled.push(data.readUInt32BE(0)),
      lanePause: () => calls.push('pause'),
      laneResume: () => calls.push('resume'),
      laneSlowed: (r) => reports.push(r),
    },
    share,
  );
  const offer = (n: number, at = performance.now()): void => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    l.offer(b, false, at);
  };
  return { l, handled, calls, reports, offer };
}

describe('intake lane: explicit frames-per-second limit', () => {
  it('handles a burst in order at the limit per second, and reports how long and how much it was slowed', () => {
    // A worker thread's clock starts near 0: the first window must still be a whole second.
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
      now: 0,
    });
    vi.advanceTimersByTime(500);
    const { l, handled, calls, reports, offer } = lane(2);
    for (let i = 0; i < 5; i++) offer(i);
    expect(handled).toEqual([0, 1]);
    expect(calls).toEqual(['pause']);
    vi.advanceTimersByTime(999);
    expect(handled).toEqual([0, 1]);
    vi.advanceTimersByTime(1);
    expect(handled).toEqual([0, 1, 2, 3]);
    vi.advanceTimersByTime(1000);
    expect(handled).toEqual([0, 1, 2, 3, 4]);
    expect(calls.at(-1)).toBe('resume');
    expect(l.queued).toBe(0);
    // Reported while it lasts (after its first second) and once it is over (a second without delays).
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      reason: 'rate-limit',
      limit: 2,
      frames: 1,
      ongoing: true,
      durationMs: 1000,
    });
    vi.advanceTimersByTime(1000);
    expect(reports).toHaveLength(2);
    expect(reports[1]).toMatchObject({
      reason: 'rate-limit',
      limit: 2,
      frames: 2,
      ongoing: false,
      durationMs: 1000,
    });
    expect(reports[1]!.maxDelayMs).toBe(2000);
    expect(slowedNote(reports[1]!, 'The charger').code).toBe('rate-limit');
  });

  it('a long episode is reported every 10 s while it lasts, not once', () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
      now: 0,
    });
    const { reports, offer, handled } = lane(10);
    // 250 frames at 10 per second: 24 s of waiting.
    for (let i = 0; i < 250; i++) offer(i);
    vi.advanceTimersByTime(30_000);
    expect(handled).toHaveLength(250);
    const ongoing = reports.filter((r) => r.ongoing);
    expect(ongoing.length).toBeGreaterThanOrEqual(2);
    expect(reports.at(-1)!.ongoing).toBe(false);
    expect(reports.reduce((n, r) => n + r.frames, 0)).toBe(240);
  });

  it('flush hands over everything still queued; 0 means no limit', () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
      now: 0,
    });
    const { l, handled, offer } = lane(1);
    for (let i = 0; i < 4; i++) offer(i);
    l.flush();
    expect(handled).toEqual([0, 1, 2, 3]);
    const free = lane(0);
    for (let i = 0; i < 1000; i++) free.offer(i);
    expect(free.handled).toHaveLength(1000);
    expect(free.calls).toEqual([]);
  });
});

describe('intake lane: the read time', () => {
  it('hands each frame on with the time its bytes were read, however late it is handled', () => {
    // Frames of one read are handled one after the other: the second one's handling starts well after the read.
    let now = 1000;
    const share = new LoopShare({ clock: () => now });
    const seen: number[] = [];
    const l = new IntakeLane(
      0,
      {
        laneFrame: (_data, _binary, at) => {
          seen.push(at);
          now += 40;
        },
        lanePause: () => undefined,
        laneResume: () => undefined,
        laneSlowed: () => undefined,
      },
      share,
    );
    for (let i = 0; i < 3; i++) l.offer(Buffer.alloc(4), false, 1000);
    l.flush();
    expect(seen).toEqual([1000, 1000, 1000]);
  });
});

describe('loop share', () => {
  const HEAVY = 50;
  const LIGHT = 0.05;

  it('never slows a connection that is alone, however much it uses', () => {
    let now = 0;
    const share = new LoopShare({ clock: () => now });
    const a = share.account();
    for (let i = 0; i < 1000; i++) {
      now += HEAVY;
      share.charge(a, HEAVY, now);
      expect(share.admits(a, now)).toBe(true);
    }
  });

  it('slows a heavy connection beside light ones to its share, and not the light ones', () => {
    let now = 0;
    const share = new LoopShare({ clock: () => now });
    const heavy = share.account();
    const light = Array.from({ length: 20 }, () => share.account());
    let heavyTime = 0;
    let lightTime = 0;
    // Each turn: every light connection that may go has one frame handled; the heavy one too when admitted.
    for (let turn = 0; turn < 20_000; turn++) {
      for (const l of light) {
        if (!share.admits(l, now)) continue;
        now += LIGHT;
        lightTime += LIGHT;
        share.charge(l, LIGHT, now);
      }
      if (share.admits(heavy, now)) {
        now += HEAVY;
        heavyTime += HEAVY;
        share.charge(heavy, HEAVY, now);
      } else now += 0.01;
    }
    for (const l of light) expect(l.blockedUntil).toBeLessThanOrEqual(0); // never made to wait
    // The heavy one ends up with about its share (0.2) of the time the two kinds used.
    expect(heavyTime / (heavyTime + lightTime)).toBeLessThan(0.3);
  });

  it('stops slowing a busy connection soon after the others went quiet: it never waits for nobody', () => {
    let now = 0;
    const share = new LoopShare({ clock: () => now });
    const busy = share.account();
    const other = share.account();
    let slowed = 0;
    // Both call; the busy one uses far more than its part and is slowed meanwhile.
    for (let i = 0; i < 2000; i++) {
      now += LIGHT;
      share.charge(other, LIGHT, now);
      if (!share.admits(busy, now)) {
        slowed++;
        now += 0.5;
        continue;
      }
      now += 5;
      share.charge(busy, 5, now);
    }
    expect(slowed).toBeGreaterThan(0);
    // The other goes quiet. Less than half a second later the busy one has the engine to itself.
    const quietFrom = now + 400;
    let used = 0;
    while (now < quietFrom + 1000) {
      if (!share.admits(busy, now)) {
        now += 0.5;
        continue;
      }
      now += 5;
      share.charge(busy, 5, now);
      if (now > quietFrom) used += 5;
    }
    expect(used / (now - quietFrom)).toBeGreaterThan(0.95);
    expect(share.activeCount).toBe(1);
  });

  it('two busy connections with an equal part slow neither', () => {
    let now = 0;
    const share = new LoopShare({ clock: () => now });
    const a = share.account();
    const b = share.account();
    for (let i = 0; i < 5000; i++) {
      now += 1;
      share.charge(a, 1, now);
      now += 1.2;
      share.charge(b, 1.2, now);
    }
    expect(a.blockedUntil).toBeLessThanOrEqual(0);
    expect(b.blockedUntil).toBeLessThanOrEqual(0);
  });
});

describe('intake lane: letting a quiet one go', () => {
  it('is idle (may be let go) two seconds after its last frame, not while a frame waits or soon after one', () => {
    let now = 10_000;
    const share = new LoopShare({ clock: () => now });
    const { l, offer } = lane(0, share);
    offer(1, now);
    expect(l.idle(now)).toBe(false);
    now += 1500;
    expect(l.idle(now)).toBe(false);
    now += 600;
    // What it used has decayed away (four share windows): a new lane would do the same.
    expect(l.idle(now)).toBe(true);
    offer(2, now);
    expect(l.idle(now + 1000)).toBe(false);
  });
});

describe('intake lane: made to wait for its share', () => {
  /** A heavy lane over its share beside a light one, two frames waiting; the clocks (time, loop idle) are the test's. */
  function overItsShare() {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    const clock = { now: 1000, idle: 0 };
    const share = new LoopShare({ clock: () => clock.now, idleClock: () => clock.idle });
    const heavy = lane(0, share);
    const light = lane(0, share);
    for (let i = 0; i < 50; i++) {
      clock.now += 1;
      share.charge(light.l, 0.05, clock.now);
      share.charge(heavy.l, 5, clock.now);
    }
    expect(share.admits(heavy.l, clock.now)).toBe(false);
    heavy.offer(1, clock.now);
    heavy.offer(2, clock.now);
    expect(heavy.handled).toEqual([]);
    expect(heavy.calls).toEqual(['pause']);
    // When its share lets it go again (it goes ahead in runs: its slack).
    return { clock, heavy, light, until: heavy.l.blockedUntil - heavy.l.slack };
  }

  it('goes ahead before its time once the loop sat idle with no other connection wanting it', () => {
    const { clock, heavy, until } = overItsShare();
    clock.now += 1;
    clock.idle += 1;
    vi.advanceTimersByTime(1);
    expect(heavy.handled).toEqual([1, 2]);
    expect(clock.now).toBeLessThan(until);
    expect(heavy.calls).toEqual(['pause', 'resume']);
  });

  it('waits for its time while the loop is busy, though no other connection has a frame', () => {
    const { clock, heavy, until } = overItsShare();
    while (clock.now + 1 < until) {
      clock.now += 1;
      clock.idle += 0.1;
      vi.advanceTimersByTime(1);
    }
    expect(heavy.handled).toEqual([]);
    clock.now = until;
    // Its next look (one or two quiets' worth later, see IntakeLane.schedule).
    vi.advanceTimersByTime(2);
    expect(heavy.handled).toEqual([1, 2]);
  });

  it('waits for its time while another connection keeps having frames handled, though the loop idles between', () => {
    const { clock, heavy, light, until } = overItsShare();
    let k = 0;
    while (clock.now + 1 < until) {
      clock.now += 1;
      clock.idle += 0.9;
      light.offer(k++, clock.now);
      vi.advanceTimersByTime(1);
    }
    expect(light.handled).toHaveLength(k);
    expect(heavy.handled).toEqual([]);
    clock.now = until;
    // Its next look (one or two quiets' worth later, see IntakeLane.schedule).
    vi.advanceTimersByTime(2);
    expect(heavy.handled).toEqual([1, 2]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ConnectionSetup } from '../../../../electron/engine/connections/connection-setup';
import { ConnectionSetups } from '../../../../electron/engine/connections/connection-setup';
import { AutoAnswerBook } from '../../../../electron/engine/station/auto-answer';

const answers = new AutoAnswerBook();
const limits = { maxFrameBytes: 1 << 20, maxFramesPerSec: 0 };
const parts = (pingIntervalSec: number): ConnectionSetup => ({
  answers,
  pingIntervalSec,
  callTimeoutSec: 30,
  limits,
  observers: undefined,
});

describe("an owner's connection setups", () => {
  it('gives connections with the same parts one frozen object, and others their own', () => {
    const setups = new ConnectionSetups();
    const a = setups.of(parts(30));
    expect(setups.of(parts(30))).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toEqual(parts(30));
    const b = setups.of(parts(60));
    expect(b).not.toBe(a);
    // The earlier one is still found (a station's connections with two ping settings, alternating).
    expect(setups.of(parts(30))).toBe(a);
    // Another limits object is another setup (objects by identity).
    expect(setups.of({ ...parts(30), limits: { ...limits } })).not.toBe(a);
  });

  it('keeps the eight most recently used, and shares nothing with another owner', () => {
    const setups = new ConnectionSetups();
    const first = setups.of(parts(1));
    for (let p = 2; p <= 8; p++) setups.of(parts(p));
    expect(setups.of(parts(1))).toBe(first);
    for (let p = 2; p <= 9; p++) setups.of(parts(p));
    // Nine others since: the first was let go, and is made again.
    expect(setups.of(parts(1))).not.toBe(first);
    expect(new ConnectionSetups().of(parts(30))).not.toBe(new ConnectionSetups().of(parts(30)));
  });
});

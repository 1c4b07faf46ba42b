import { describe, expect, it } from 'vitest';
import { ACTIVATION_MS, UserActivation } from '../../../electron/app/user-activation';

describe('UserActivation', () => {
  it('counts clicks, keys and taps, not mouse moves; lasts a moment; one action, one use', () => {
    let now = 1000;
    const a = new UserActivation(() => now);
    expect(a.consume()).toBe(false);
    a.note('mouseMove');
    expect(a.consume()).toBe(false);
    a.note('mouseDown');
    expect(a.consume()).toBe(true);
    expect(a.consume()).toBe(false);
    a.note('keyDown');
    now += ACTIVATION_MS + 1;
    expect(a.consume()).toBe(false);
    a.note('gestureTap');
    expect(a.consume()).toBe(true);
  });
});

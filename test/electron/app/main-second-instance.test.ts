import { describe, expect, it, vi } from 'vitest';
import type { createFakeElectron } from './fake-electron';
import { startMain as launchMain } from './start-main';

const fake = vi.hoisted(() => ({ current: undefined as undefined | ReturnType<typeof createFakeElectron> }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  fake.current = createFakeElectron();
  return fake.current.electron;
});

const startMain = (lock = true) => launchMain(() => fake.current, lock);

describe('a second instance', () => {
  it('quits at once when the lock is held by the first', async () => {
    const record = await startMain(false);
    expect(record.quit).toBe(1);
    expect(record.windows).toHaveLength(0);
    expect(record.protocolHandlers.size).toBe(0);
  });
});

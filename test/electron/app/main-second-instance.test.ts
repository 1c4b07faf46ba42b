import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { createFakeElectron } from './fake-electron';

const fake = vi.hoisted(() => ({ current: undefined as undefined | ReturnType<typeof createFakeElectron> }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  fake.current = createFakeElectron();
  return fake.current.electron;
});

async function startMain(lock = true) {
  await import('electron');
  const { record } = fake.current!;
  record.setLock(lock);
  record.userData = mkdtempSync(join(tmpdir(), 'scope-userdata-'));
  record.appPath = mkdtempSync(join(tmpdir(), 'scope-app-'));
  await import('../../../electron/app/main');
  record.resolveReady();
  // Let the whenReady continuation run.
  await new Promise((resolve) => setTimeout(resolve, 0));
  return record;
}

describe('a second instance', () => {
  it('quits at once when the lock is held by the first', async () => {
    const record = await startMain(false);
    expect(record.quit).toBe(1);
    expect(record.windows).toHaveLength(0);
    expect(record.protocolHandlers.size).toBe(0);
  });
});

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
  // main chained its startup onto app.whenReady() while being imported; reactions to one promise run in the order
  // they were registered, so once our await on the same promise resumes, main's (synchronous) startup has run.
  await fake.current!.electron.app.whenReady();
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

import { suiteTempDir } from '../../support/temp-dirs';
import type { createFakeElectron } from './fake-electron';

export type FakeElectron = ReturnType<typeof createFakeElectron>;

// Made when a test file imports this (main runs once per file: the import is cached), removed after its tests.
const userData = suiteTempDir('userdata');
const appPath = suiteTempDir('app');

/**
 * Imports electron/app/main against the stand-in electron module the calling test mocked (`current()` reads the
 * test's hoisted holder, which the mock factory fills on the first import of 'electron'), with the single-instance
 * lock `lock` and fresh userData/app dirs, and returns once main's startup has run.
 */
export async function startMain(current: () => FakeElectron | undefined, lock = true) {
  await import('electron');
  const { record } = current()!;
  record.setLock(lock);
  record.userData = userData;
  record.appPath = appPath;
  await import('../../../electron/app/main');
  record.resolveReady();
  // main chained its startup onto app.whenReady() while being imported; reactions to one promise run in the order
  // they were registered, so once our await on the same promise resumes, main's (synchronous) startup has run.
  await current()!.electron.app.whenReady();
  return record;
}

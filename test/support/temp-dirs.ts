import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

// One prefix for every folder made here, so that one left behind (a test killed mid-run) says whose it is.
// `npm test` (test/run-all.mjs) gives the tests a temp dir of their own and names whatever is left in it.
const PREFIX = 'ocpp-scope-test-';

/**
 * Removes a folder made for a test. Retried: a process that just exited, or a stream still closing, may add or hold a
 * file in it for a moment (ENOTEMPTY, EBUSY).
 */
function removeTempDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}

function make(name: string): string {
  return mkdtempSync(join(tmpdir(), `${PREFIX}${name}-`));
}

/**
 * A fresh folder in the OS temp dir for the running test (call it in the test or in a beforeEach), removed when the
 * test ends, passed or failed. The removal runs after the afterEach hooks, so after the servers, engines and child
 * processes they stop have let go of it.
 */
export function testTempDir(name: string): string {
  const dir = make(name);
  onTestFinished(() => removeTempDir(dir));
  return dir;
}

/**
 * A fresh folder in the OS temp dir shared by the tests of a file or of a describe block (call it at that level, not
 * in a test), removed after the last of them, passed or failed.
 */
export function suiteTempDir(name: string): string {
  const dir = make(name);
  afterAll(() => removeTempDir(dir));
  return dir;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { matchStdout, stopChild } from '../support/child-process';
import { openBrowser, type Browser } from './harness';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** `ocpp-scope serve --port 0 --json` as a user starts it; the caller owns the child from the start. */
function spawnCli(dataDir: string): ChildProcess {
  return spawn(
    process.execPath,
    [join(repo, 'bin', 'ocpp-scope.mjs'), 'serve', '--port', '0', '--json', '--data-dir', dataDir],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** The address serve prints on its first line (JSON), bounded. */
async function printedUrl(child: ChildProcess): Promise<string> {
  const [line] = await matchStdout(child, /^.*(?=\n)/, 'the address line');
  try {
    return (JSON.parse(line) as { url: string }).url;
  } catch {
    throw new Error(`serve printed: ${line}`);
  }
}

describe('the CLI serve command (Chromium)', { timeout: 90_000 }, () => {
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    await browser?.close();
    // Bounded: SIGKILL if it does not stop on SIGTERM.
    if (child) await stopChild(child);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the built UI behind its token, and the page talks to the engine', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ocpp-scope-e2e-cli-'));
    // Assigned before any wait, so afterEach stops it even if it never prints an address.
    child = spawnCli(dataDir);
    const url = await printedUrl(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/$/);
    browser = await openBrowser(url);
    const { page } = browser;
    await page.getByTestId('endpoint-panel').waitFor();
    expect(await page.getByTestId('load-error').count()).toBe(0);
    // The settings come from the engine, through the bridge: the dialog shows its defaults.
    await page.getByTestId('endpoint-settings').click();
    // The engine's default endpoint port (shared/api-defaults.ts), not a placeholder: an empty field fails here.
    expect(await page.getByTestId('settings-port').inputValue()).toBe('9000');
    expect(browser.errors).toEqual([]);
  });
});

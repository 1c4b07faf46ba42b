import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openBrowser, type Browser } from './harness';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** `ocpp-scope serve --port 0 --json` as a user starts it; resolves with the address it prints. */
function startCli(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [join(repo, 'bin', 'ocpp-scope.mjs'), 'serve', '--port', '0', '--json', '--data-dir', dataDir],
    {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no address in 20 s: ${err}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0]!;
      if (out.includes('\n')) {
        clearTimeout(timer);
        try {
          resolve({ child, url: (JSON.parse(line) as { url: string }).url });
        } catch {
          reject(new Error(`serve printed: ${out}`));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${err}`));
    });
  });
}

describe('the CLI serve command (Chromium)', { timeout: 90_000 }, () => {
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the built UI behind its token, and the page talks to the engine', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ocpp-scope-e2e-cli-'));
    const started = await startCli(dataDir);
    child = started.child;
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/$/);
    browser = await openBrowser(started.url);
    const { page } = browser;
    await page.getByTestId('endpoint-panel').waitFor();
    expect(await page.getByTestId('load-error').count()).toBe(0);
    // The settings come from the engine, through the bridge: the dialog shows its defaults.
    await page.getByTestId('endpoint-settings').click();
    expect(Number(await page.getByTestId('settings-port').inputValue())).toBeGreaterThanOrEqual(0);
    expect(browser.errors).toEqual([]);
  });
});

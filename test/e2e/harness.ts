import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RPCClient } from 'ocpp-rpc';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * End-to-end harness: one `ocpp-scope serve` process on port 0 and one Debian Chromium with a fresh user-data dir
 * per test. Everything is loopback; every wait is bounded.
 */

export const CHROMIUM = process.env.OCPP_SCOPE_CHROMIUM ?? '/usr/bin/chromium';
const repo = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENSHOTS = join(repo, 'docs', 'screenshots');

export interface Served {
  url: string;
  bridge: string;
  dataDir: string;
  process: ChildProcess;
  close(): Promise<void>;
}

export async function startServe(): Promise<Served> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ocpp-scope-e2e-data-'));
  const child = spawn(
    process.execPath,
    [join(repo, 'bin', 'ocpp-scope.mjs'), 'serve', '--port', '0', '--json', '--data-dir', dataDir],
    {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = await new Promise<{ url: string; bridge: string }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`serve did not print its address in 20 s: ${stderr}`)),
      20_000,
    );
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(out.slice(0, nl)) as { url: string; bridge: string });
        } catch {
          reject(new Error(`serve printed something else: ${out}`));
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${stderr}`));
    });
  });
  return {
    ...first,
    dataDir,
    process: child,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  errors: string[];
  close(): Promise<void>;
}

export async function openBrowser(url: string, viewport = { width: 1600, height: 1000 }): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ocpp-scope-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  await page.getByTestId('app').and(page.locator('[data-ready="true"]')).waitFor({ timeout: 20_000 });
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Starts the endpoint from the UI on a free loopback port and returns the port it got. */
export async function startEndpointFromUi(page: Page): Promise<number> {
  await page.getByTestId('endpoint-settings').click();
  await page.getByTestId('settings-port').fill('0');
  await page.getByTestId('settings-host').selectOption('127.0.0.1');
  await page.getByTestId('settings-save-start').click();
  const port = page.getByTestId('endpoint-state').locator('b');
  await port.waitFor({ timeout: 15_000 });
  return Number(await port.textContent());
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export interface ChargerOptions {
  endpoint: string;
  identity: string;
  protocols: string[];
}

/** A strict third-party charger (ocpp-rpc); its typings demand every option, the defaults are what we want. */
export function newCharger(o: ChargerOptions): RPCClient {
  const options = { ...o, strictMode: true, reconnect: false, callTimeoutMs: 10_000 };
  return new RPCClient(options as unknown as ConstructorParameters<typeof RPCClient>[0]);
}

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RPCClient } from 'ocpp-rpc';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, beforeEach } from 'vitest';
import { ScopeEngine } from '../../electron/engine/scope-engine';
import { startServe as startServeHost } from '../../electron/host/serve';
import { installFakeApi, type FakeOptions } from './fake-api';

/**
 * End-to-end harness: one `ocpp-scope serve` process on port 0 and one Debian Chromium with a fresh user-data dir
 * per test. Everything is loopback; every wait is bounded.
 */

export const CHROMIUM = process.env.OCPP_SCOPE_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const repo = fileURLToPath(new URL('../..', import.meta.url));
/**
 * Screenshots are test artifacts (test-results/screenshots, ignored by git); `OCPP_SCOPE_SCREENSHOTS=docs` writes
 * them to docs/screenshots instead, to refresh the README's pictures on purpose rather than on every run.
 */
export const SCREENSHOTS =
  process.env.OCPP_SCOPE_SCREENSHOTS === 'docs'
    ? join(repo, 'docs', 'screenshots')
    : join(repo, 'test-results', 'screenshots');

export interface Served {
  url: string;
  bridge: string;
  dataDir: string;
  /** The engine behind the page, for set-ups the UI does not offer (benchmarks raising limits). */
  engine: ScopeEngine;
  close(): Promise<void>;
}

/**
 * Serve mode in this process: the real engine and the real serve host (token in the URL, bridge over a loopback
 * WebSocket) in front of the built renderer in dist/renderer. In-process rather than `bin/ocpp-scope.mjs serve`, so
 * the test does not depend on the CLI bundle being current, and a failure shows the engine's own stack.
 */
export async function startServe(): Promise<Served> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ocpp-scope-e2e-data-'));
  const engine = new ScopeEngine({ dataDir });
  const handle = await startServeHost({ engine, port: 0, rendererRoot: join(repo, 'dist', 'renderer') });
  return {
    url: handle.url,
    bridge: handle.bridgeUrl,
    dataDir,
    engine,
    close: async () => {
      await handle.close();
      await engine.close();
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

export interface ServedBrowser {
  served: Served;
  browser: Browser;
  /** The test's charger, if it made one: closed (forced) before the browser and the serve host. */
  client?: RPCClient;
}

/**
 * Registers the per-test serve host and Chromium page of an e2e suite (call it inside `describe`). The returned
 * object is filled in before each test; read its fields inside the test, not at registration.
 */
export function useServedBrowser(): ServedBrowser {
  const ctx = {} as ServedBrowser;
  beforeEach(async () => {
    ctx.served = await startServe();
    ctx.browser = await openBrowser(ctx.served.url);
  });
  afterEach(async () => {
    await ctx.client?.close({ force: true }).catch(() => undefined);
    ctx.client = undefined;
    await ctx.browser?.close();
    await ctx.served?.close();
  });
  return ctx;
}

/** The real renderer at `url` in a fresh Chromium profile. */
export function openBrowser(url: string, viewport = { width: 1600, height: 1000 }): Promise<Browser> {
  return launch(url, '', viewport);
}

/**
 * One fresh Chromium profile at `url`, ready once the app says so; `initScript` runs in the page before the app.
 * Functions a test evaluates in the page may carry esbuild's `__name` helper (tsx keeps names): it is defined first.
 */
async function launch(
  url: string,
  initScript: string,
  viewport: { width: number; height: number },
): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ocpp-scope-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: CHROMIUM_ARGS,
  });
  const close = async (): Promise<void> => {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    await context.addInitScript({ content: `globalThis.__name = (f) => f; ${initScript}` });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(url);
    await page.getByTestId('app').and(page.locator('[data-ready="true"]')).waitFor({ timeout: 20_000 });
    return { context, page, errors, close };
  } catch (e) {
    // The caller never gets a handle to close: do not leave the browser running.
    await close();
    throw e;
  }
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

/** Starts the endpoint from the UI as a proxy to `upstreamUrl` on a free loopback port; returns that port. */
export async function startProxyFromUi(page: Page, upstreamUrl: string): Promise<number> {
  await page.getByTestId('endpoint-settings').click();
  await page.getByTestId('settings-port').fill('0');
  await page.getByTestId('settings-host').selectOption('127.0.0.1');
  await page.getByTestId('settings-proxy').check();
  await page.getByTestId('settings-upstream-url').fill(upstreamUrl);
  await page.getByTestId('settings-save-start').click();
  const port = page.getByTestId('endpoint-state').locator('b');
  await port.waitFor({ timeout: 15_000 });
  return Number(await port.textContent());
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export interface ChargerOptions {
  endpoint: string;
  identity: string;
  protocols: string[];
  password?: string;
}

/** A strict third-party charger (ocpp-rpc); its typings demand every option, the defaults are what we want. */
export function newCharger(o: ChargerOptions): RPCClient {
  const options = { ...o, strictMode: true, reconnect: false, callTimeoutMs: 10_000 };
  return new RPCClient(options as unknown as ConstructorParameters<typeof RPCClient>[0]);
}

/**
 * The built renderer from a plain loopback file server, for UI tests that bring their own engine (the in-page fake
 * of fake-api.ts) and for the UI benchmark; the CSP meta of index.html still applies.
 */
export async function startStatic(): Promise<{ url: string; close(): Promise<void> }> {
  const root = join(repo, 'dist', 'renderer');
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.ttf': 'font/ttf',
    '.json': 'application/json',
  };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Opens the renderer with the in-page fake engine installed before the app starts. */
export function openWithFake(
  url: string,
  options: FakeOptions,
  viewport = { width: 1600, height: 1000 },
): Promise<Browser> {
  return launch(url, `(${installFakeApi.toString()})(${JSON.stringify(options)});`, viewport);
}

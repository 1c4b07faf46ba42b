import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { RPCServer, type RPCClient } from 'ocpp-rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleResponse } from '../../shared/ocpp/examples';
import { openBrowser, screenshot, startServe, type Browser, type Served } from './harness';

/** A loopback port that nothing listens on: opened, noted and closed again. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('station connections (serve mode, Chromium)', { timeout: 90_000 }, () => {
  let served: Served;
  let browser: Browser;
  let csms: RPCServer | undefined;

  beforeEach(async () => {
    served = await startServe();
    browser = await openBrowser(served.url);
  });
  afterEach(async () => {
    await csms?.close({ force: true }).catch(() => undefined);
    await browser?.close();
    await served?.close();
  });

  it('connects to a strict CSMS as a station, picks a template, completes the action name, and gets the answer', async () => {
    const { page } = browser;
    const calls: string[] = [];
    csms = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    csms.on('client', (c: RPCClient) => {
      c.handle(async ({ method = '' }: { method?: string }) => {
        calls.push(method);
        return exampleResponse('1.6', method);
      });
    });
    const http = await csms.listen(0, '127.0.0.1');
    const port = (http.address() as AddressInfo).port;

    await page.getByTestId('station-connect-open').click();
    await page.getByTestId('station-url').fill(`ws://127.0.0.1:${port}/ocpp/CP-STATION`);
    await page.getByTestId('station-version-1.6').check();
    // Frames by hand only: the charger behaviour (on by default) would send its own boot and heartbeats.
    await page.getByTestId('station-simulate').uncheck();
    await page.getByTestId('station-connect').click();
    const card = page.locator('[data-testid=connection][data-identity="CP-STATION"]');
    await card.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => page.getByTestId('composer-version').textContent(), { timeout: 15_000 })
      .toBe('OCPP 1.6');

    // Completion offers the version's actions where the action name goes.
    const editor = page.getByTestId('composer-editor');
    await editor.and(page.locator('[data-ready="true"]')).waitFor();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('[2, "a", "Hear');
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.monaco-editor .suggest-widget');
    await suggest.getByText('Heartbeat').first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');

    // Templates: a valid BootNotification for 1.6, sent with the button.
    await page.locator('[data-testid=template][data-action=BootNotification]').click();
    await expect
      .poll(() => page.getByTestId('composer-check').textContent(), { timeout: 15_000 })
      .toContain('valid CALL');
    await page.getByTestId('composer-send').click();
    const result = page.locator('[data-testid=log-row][data-action=BootNotification][data-type="3"]');
    await result.waitFor({ timeout: 10_000 });
    expect(calls).toEqual(['BootNotification']);
    await card.getByTestId('connection-handshake').click();
    await page.getByTestId('accept-ok').waitFor();
    await screenshot(page, 'station');
  });

  it('names the step that failed when the CSMS is not there', async () => {
    const { page } = browser;
    const port = await closedPort();
    await page.getByTestId('station-connect-open').click();
    await page.getByTestId('station-url').fill(`ws://127.0.0.1:${port}/ocpp/CP-NOWHERE`);
    await page.getByTestId('station-connect').click();
    const error = page.getByTestId('station-error');
    await error.waitFor({ timeout: 15_000 });
    expect((await error.textContent())?.length).toBeGreaterThan(10);
    await page.keyboard.press('Escape');
    const card = page.locator('[data-testid=connection][data-identity="CP-NOWHERE"]');
    await card.waitFor({ timeout: 10_000 });
    await card.getByTestId('connection-handshake').click();
    const failure = page.getByTestId('handshake-failure');
    await failure.waitFor();
    expect(await failure.textContent()).toMatch(/TCP/);
    expect(await page.locator('.step.failed').textContent()).toContain('TCP');
  });
});

import type { RPCClient } from 'ocpp-rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleRequest } from '../../shared/ocpp/examples';
import {
  newCharger,
  openBrowser,
  screenshot,
  startEndpointFromUi,
  startServe,
  type Browser,
  type Served,
} from './harness';

describe('live charger against the endpoint (serve mode, Chromium)', { timeout: 90_000 }, () => {
  let served: Served;
  let browser: Browser;
  let client: RPCClient | undefined;

  beforeEach(async () => {
    served = await startServe();
    browser = await openBrowser(served.url);
  });
  afterEach(async () => {
    await client?.close({ force: true }).catch(() => undefined);
    await browser?.close();
    await served?.close();
  });

  it('shows an ocpp-rpc charger booting: frames with RTTs and a handshake with the correct Accept', async () => {
    const { page } = browser;
    const port = await startEndpointFromUi(page);
    expect(port).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('endpoint-url').count()).toBeGreaterThan(0);

    const charger = newCharger({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-E2E-1',
      protocols: ['ocpp1.6'],
    });
    client = charger;
    await charger.connect();
    const boot = (await charger.call('BootNotification', exampleRequest('1.6', 'BootNotification'))) as {
      status: string;
    };
    expect(boot.status).toBeDefined();
    await charger.call('Heartbeat', {});

    const bootCall = page.locator('[data-testid=log-row][data-action=BootNotification][data-type="2"]');
    const bootResult = page.locator('[data-testid=log-row][data-action=BootNotification][data-type="3"]');
    await bootCall.waitFor({ timeout: 10_000 });
    await bootResult.waitFor({ timeout: 10_000 });
    await expect.poll(() => bootResult.getByTestId('cell-rtt').textContent()).toMatch(/ms|s$/);
    await expect.poll(() => bootCall.getByTestId('cell-rtt').textContent()).toMatch(/ms|s$/);
    await page.locator('[data-testid=log-row][data-action=Heartbeat][data-type="3"]').waitFor();

    // Selecting the request shows its paired response with the round trip.
    await bootCall.click();
    await page.getByTestId('partner').waitFor();
    expect(await page.getByTestId('partner-rtt').textContent()).toMatch(/RTT/);

    const card = page.locator('[data-testid=connection][data-identity="CP-E2E-1"]');
    await card.waitFor();
    expect(await card.getByTestId('connection-version').textContent()).toBe('1.6');
    await screenshot(page, 'live-log');

    await card.getByTestId('connection-handshake').click();
    const hs = page.getByTestId('handshake');
    await hs.waitFor();
    expect(await page.getByTestId('hs-offered').textContent()).toContain('ocpp1.6');
    expect(await page.getByTestId('hs-chosen').textContent()).toContain('ocpp1.6');
    await page.getByTestId('accept-ok').waitFor();
    expect(await page.getByTestId('accept-check').getAttribute('data-state')).toBe('ok');
    await screenshot(page, 'handshake');
    expect(browser.errors).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultEndpointSettings } from '../../shared/api-defaults';
import { newCharger, useServedBrowser } from './harness';

describe('charger health summary (serve mode, Chromium)', { timeout: 90_000 }, () => {
  const ctx = useServedBrowser();

  it('a booted charger with two connectors and a transaction reads at a glance', async () => {
    const { page } = ctx.browser;
    const status = await ctx.served.engine.startEndpoint({
      ...defaultEndpointSettings(),
      host: '127.0.0.1',
      port: 0,
    });
    const charger = newCharger({
      endpoint: `ws://127.0.0.1:${status.port}/ocpp`,
      identity: 'CP-HEALTH',
      protocols: ['ocpp1.6'],
    });
    ctx.client = charger;
    await charger.connect();
    const boot = (await charger.call('BootNotification', {
      chargePointVendor: 'V',
      chargePointModel: 'M',
    })) as {
      status: string;
      interval: number;
    };
    await charger.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    await charger.call('StatusNotification', {
      connectorId: 2,
      errorCode: 'GroundFailure',
      status: 'Faulted',
    });
    await charger.call('Heartbeat', {});
    const start = (await charger.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG1',
      meterStart: 0,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number };

    const card = page.locator('[data-testid=connection][data-identity="CP-HEALTH"]');
    await card.waitFor({ timeout: 15_000 });
    await page
      .locator('[data-testid=log-row][data-action=StartTransaction][data-type="3"]')
      .waitFor({ timeout: 15_000 });
    await card.click();
    await page.getByTestId('detail-tab-health').click();
    const health = page.locator('[data-testid=health][data-identity="CP-HEALTH"]');
    await health.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('health-boot').textContent()).toContain(boot.status);
    expect(await page.getByTestId('health-heartbeat').textContent()).toContain(`agreed ${boot.interval} s`);
    expect(await page.getByTestId('health-connectors').textContent()).toBe(
      '1: Available · 2: Faulted (GroundFailure)',
    );
    expect(await page.getByTestId('health-transaction').textContent()).toMatch(
      new RegExp(`^started #${start.transactionId} on 1 `),
    );
    expect(await page.getByTestId('health-link').textContent()).toContain(
      '0 reconnect(s) · 0 failed attempt(s)',
    );
    expect(await page.getByTestId('health-findings').textContent()).toMatch(
      /^\d+ errors · \d+ warnings · \d+ info$/,
    );
    expect(ctx.browser.errors).toEqual([]);
  });
});

import type { AddressInfo } from 'node:net';
import { RPCServer, type RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { strictModeValidators } from '../support/ocpp-rpc-strict';
import { screenshot, useServedBrowser } from './harness';

describe('station card (serve mode, Chromium)', { timeout: 120_000 }, () => {
  const ctx = useServedBrowser();
  let csms: RPCServer | undefined;
  afterEach(async () => {
    await csms?.close({ force: true }).catch(() => undefined);
  });

  it('the buttons drive a simulated 2.0.1 station through a whole session, seen by a strict CSMS', async () => {
    const { page, errors } = ctx.browser;
    const received: { action: string; params: Record<string, unknown> }[] = [];
    const failures: unknown[] = [];
    csms = new RPCServer({
      protocols: ['ocpp2.0.1'],
      strictMode: true,
      strictModeValidators,
      pingIntervalMs: 0,
    });
    let client: RPCClient | undefined;
    csms.on('client', (c: RPCClient) => {
      client = c;
      c.on('strictValidationFailure', (e: unknown) => failures.push(e));
      c.handle(async ({ method = '', params }: { method?: string; params?: unknown }) => {
        received.push({ action: method, params: (params ?? {}) as Record<string, unknown> });
        if (method === 'BootNotification')
          return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 60 };
        if (method === 'Heartbeat') return { currentTime: new Date().toISOString() };
        if (method === 'Authorize') return { idTokenInfo: { status: 'Accepted' } };
        if (method === 'Get15118EVCertificate') return { status: 'Accepted', exiResponse: 'AA==' };
        return {};
      });
    });
    const http = await csms.listen(0, '127.0.0.1');
    const port = (http.address() as AddressInfo).port;

    await page.getByTestId('station-connect-open').click();
    await page.getByTestId('station-url').fill(`ws://127.0.0.1:${port}/ocpp/CP-CARD`);
    await page.getByTestId('station-version-1.6').uncheck();
    await page.getByTestId('station-version-2.0.1').check();
    expect(await page.getByTestId('station-simulate').isChecked()).toBe(true);
    await page.getByTestId('station-connect').click();
    await page.getByTestId('tab-stations').click();
    const card = page.getByTestId('station-card-CP-CARD');
    await card.waitFor({ timeout: 15_000 });
    const state = page.getByTestId('station-state-CP-CARD');
    await expect.poll(() => state.textContent(), { timeout: 15_000 }).toBe('online');
    const status = page.getByTestId('connector-status-CP-CARD-1');
    expect(await status.textContent()).toBe('Available');

    await page.getByTestId('connector-plug-CP-CARD-1').click();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('Occupied');
    await page.getByTestId('connector-idtag-CP-CARD-1').fill('DRIVER-42');
    await page.getByTestId('connector-card-CP-CARD-1').click();
    const tx = page.getByTestId('connector-tx-CP-CARD-1');
    await expect.poll(() => tx.textContent(), { timeout: 15_000 }).toContain('DRIVER-42');
    await expect
      .poll(
        async () =>
          Number((await page.getByTestId('connector-power-CP-CARD-1').textContent())?.split(' ')[0]),
        {
          timeout: 15_000,
        },
      )
      .toBeGreaterThan(0);
    // The live chart has collected samples.
    const chart = page.getByTestId('connector-chart-CP-CARD-1');
    await expect
      .poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 15_000 })
      .toBeGreaterThan(2);
    expect(await chart.locator('canvas').count()).toBeGreaterThan(0);
    await screenshot(page, 'station-card');

    await page.getByTestId('connector-stop-CP-CARD-1').click();
    await expect.poll(() => tx.count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('connector-unplug-CP-CARD-1').click();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('Available');

    await page.getByTestId('connector-fault-CP-CARD-2').click();
    await expect
      .poll(() => page.getByTestId('connector-status-CP-CARD-2').textContent(), { timeout: 10_000 })
      .toBe('Faulted');
    await page.getByTestId('connector-clear-CP-CARD-2').click();
    await expect
      .poll(() => page.getByTestId('connector-status-CP-CARD-2').textContent(), { timeout: 10_000 })
      .toBe('Available');

    await page.getByTestId('station-offline-CP-CARD').click();
    await expect.poll(() => state.textContent(), { timeout: 10_000 }).toBe('offline');
    await page.getByTestId('station-online-CP-CARD').click();
    await expect.poll(() => state.textContent(), { timeout: 15_000 }).toBe('online');

    // The CSMS sets a display message and the card shows it; the EV certificate button relays a request.
    await client!.call('SetDisplayMessage', {
      message: { id: 1, priority: 'AlwaysFront', message: { format: 'UTF8', content: 'Welcome to bay 1' } },
    });
    const display = page.getByTestId('station-display-CP-CARD');
    await expect.poll(() => display.textContent(), { timeout: 15_000 }).toBe('Welcome to bay 1');
    await page.getByTestId('station-ev-certificate-CP-CARD').click();
    await expect
      .poll(() => received.some((r) => r.action === 'Get15118EVCertificate'), { timeout: 10_000 })
      .toBe(true);

    await page.getByTestId('station-reboot-CP-CARD').click();
    await expect
      .poll(() => received.filter((r) => r.action === 'BootNotification').map((r) => r.params['reason']), {
        timeout: 15_000,
      })
      .toEqual(['PowerUp', 'LocalReset']);

    const events = received.filter((r) => r.action === 'TransactionEvent').map((r) => r.params['eventType']);
    expect(events[0]).toBe('Started');
    expect(events).toContain('Ended');
    const statuses = received
      .filter((r) => r.action === 'StatusNotification' && r.params['evseId'] === 2)
      .map((r) => r.params['connectorStatus']);
    expect(statuses).toEqual(expect.arrayContaining(['Available', 'Faulted']));
    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
  });
});

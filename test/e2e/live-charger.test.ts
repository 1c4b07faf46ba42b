import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { exampleRequest } from '../../shared/ocpp/examples';
import { newCharger, screenshot, startEndpointFromUi, useServedBrowser } from './harness';

describe('live charger against the endpoint (serve mode, Chromium)', { timeout: 90_000 }, () => {
  const ctx = useServedBrowser();

  it('shows an ocpp-rpc charger booting: frames with RTTs and a handshake with the correct Accept', async () => {
    const { page } = ctx.browser;
    const port = await startEndpointFromUi(page);
    expect(port).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('endpoint-url').count(), { timeout: 15_000 }).toBeGreaterThan(0);

    const charger = newCharger({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-E2E-1',
      protocols: ['ocpp1.6'],
    });
    ctx.client = charger;
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
    await expect
      .poll(() => bootResult.getByTestId('cell-rtt').textContent(), { timeout: 15_000 })
      .toMatch(/ms|s$/);
    await expect
      .poll(() => bootCall.getByTestId('cell-rtt').textContent(), { timeout: 15_000 })
      .toMatch(/ms|s$/);
    await page.locator('[data-testid=log-row][data-action=Heartbeat][data-type="3"]').waitFor();
    // Each RTT says where it was measured: the tool as the CSMS, the charger's request in, our answer out.
    const asCsms =
      'measured by OCPP Scope as the CSMS (endpoint), at its socket: from the charger’s request read from the socket to our answer handed to it';
    expect(await bootCall.getByTestId('cell-rtt').getAttribute('title')).toContain(asCsms);
    expect(await page.getByTestId('col-rtt').locator('.col-label').getAttribute('title')).toMatch(
      /taken on this tool’s side/,
    );

    // Selecting the request shows its paired response with the round trip.
    await bootCall.click();
    await page.getByTestId('partner').waitFor();
    expect(await page.getByTestId('partner-rtt').textContent()).toMatch(/RTT/);
    expect(await page.getByTestId('rtt-source').textContent()).toContain(asCsms);
    await bootResult.click();
    expect(await page.getByTestId('detail-rtt').textContent()).toContain(asCsms);

    const card = page.locator('[data-testid=connection][data-identity="CP-E2E-1"]');
    await card.waitFor();
    expect(await card.getByTestId('connection-version').textContent()).toBe('1.6');
    expect(await card.getByTestId('connection-rtt-where').getAttribute('title')).toMatch(
      /^Last round trip, measured by OCPP Scope as the CSMS \(endpoint\), at its socket/,
    );
    await screenshot(page, 'live-log');

    await card.getByTestId('connection-handshake').click();
    const hs = page.getByTestId('handshake');
    await hs.waitFor();
    expect(await page.getByTestId('hs-offered').textContent()).toContain('ocpp1.6');
    expect(await page.getByTestId('hs-chosen').textContent()).toContain('ocpp1.6');
    await page.getByTestId('accept-ok').waitFor();
    expect(await page.getByTestId('accept-check').getAttribute('data-state')).toBe('ok');
    await screenshot(page, 'handshake');
    expect(ctx.browser.errors).toEqual([]);
  });

  it('keeps the session across a page reload (the window reads it back from the engine)', async () => {
    const { page } = ctx.browser;
    const port = await startEndpointFromUi(page);
    const charger = newCharger({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-RELOAD',
      protocols: ['ocpp2.0.1'],
    });
    ctx.client = charger;
    await charger.connect();
    await charger.call('BootNotification', exampleRequest('2.0.1', 'BootNotification'));
    await page.locator('[data-testid=log-row][data-action=BootNotification][data-type="3"]').waitFor();
    await page.reload();
    await page
      .locator('[data-testid=log-row][data-action=BootNotification][data-type="3"]')
      .waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('endpoint-state').textContent()).toContain(String(port));
    await page.locator('[data-testid=connection][data-identity="CP-RELOAD"]').waitFor();
    // And live events keep coming after the reload.
    await charger.call('Heartbeat', {});
    await page
      .locator('[data-testid=log-row][data-action=Heartbeat][data-type="3"]')
      .waitFor({ timeout: 10_000 });
  });

  it('shows Basic auth from the handshake with the password hidden until clicked (security profile 1)', async () => {
    const { page } = ctx.browser;
    await page.getByTestId('endpoint-settings').click();
    await page.getByTestId('settings-port').fill('0');
    await page.getByTestId('settings-host').selectOption('127.0.0.1');
    await page.getByTestId('settings-profile').selectOption('1');
    await page.getByTestId('settings-save-start').click();
    const portText = page.getByTestId('endpoint-state').locator('b');
    await portText.waitFor({ timeout: 15_000 });
    const port = Number(await portText.textContent());

    const options = {
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-AUTH',
      protocols: ['ocpp1.6'],
      password: 'hunter2-key',
    };
    const charger = newCharger(options);
    ctx.client = charger;
    await charger.connect();
    const card = page.locator('[data-testid=connection][data-identity="CP-AUTH"]');
    await card.waitFor();
    await card.getByTestId('connection-handshake').click();
    const auth = page.getByTestId('hs-basic-auth');
    await auth.waitFor();
    expect(await auth.textContent()).toContain('CP-AUTH');
    const password = page.getByTestId('hs-password');
    expect(await password.textContent()).not.toContain('hunter2-key');
    await password.click();
    expect(await password.textContent()).toContain('hunter2-key');
  });

  it('shows what a misbehaving charger sends: broken JSON, a binary frame and a huge frame, each with the reason', async () => {
    const { page } = ctx.browser;
    const port = await startEndpointFromUi(page);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/CP-BAD`, ['ocpp1.6']);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    try {
      ws.send('[2,"b1","Heartbeat",{');
      ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
      const huge = JSON.stringify([2, 'b2', 'DataTransfer', { vendorId: 'X', data: 'y'.repeat(300_000) }]);
      ws.send(huge);

      const invalid = page.locator('[data-testid=log-row][data-kind=frame][data-type=""]');
      await expect.poll(() => invalid.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
      await invalid.first().click();
      await page.getByTestId('frame-problem').waitFor();
      expect(await page.getByTestId('frame-problem').textContent()).toMatch(/not-json/);
      expect(await page.getByTestId('detail-raw').textContent()).toBe('[2,"b1","Heartbeat",{');
      expect(await invalid.first().getByTestId('cell-findings').textContent()).not.toBe('');

      const big = page.locator('[data-testid=log-row][data-action=DataTransfer][data-type="2"]');
      await big.waitFor({ timeout: 10_000 });
      await big.click();
      await page.getByText('the pretty view is off').waitFor();
      expect(await page.getByTestId('detail-payload').count()).toBe(0);

      // The card's findings count filters the log down to this connection's problems.
      await page
        .locator('[data-testid=connection][data-identity="CP-BAD"]')
        .getByTestId('connection-findings')
        .click();
      await expect
        .poll(() => page.getByTestId('filter').inputValue(), { timeout: 15_000 })
        .toMatch(/^conn:\S+ is:findings$/);
      await expect
        .poll(() => page.getByTestId('log-row').count(), { timeout: 15_000 })
        .toBeGreaterThanOrEqual(2);
      expect(ctx.browser.errors).toEqual([]);
    } finally {
      ws.close();
    }
  });
});

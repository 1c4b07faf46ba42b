import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { exampleRequest } from '../../shared/ocpp/examples';
import { newCharger, screenshot, startEndpointFromUi, useServedBrowser } from './harness';

/** Starts the endpoint from the UI with the 1.6 auto-responder set to hold Authorize, and returns its port. */
async function startEndpointHoldingAuthorize(page: Page): Promise<number> {
  const port = await startEndpointFromUi(page);
  await page.getByTestId('tab-auto').click();
  await page.getByTestId('auto-version').selectOption('1.6');
  await page
    .locator('[data-testid=auto-row][data-action=Authorize]')
    .getByTestId('auto-mode')
    .selectOption('hold');
  await page.getByTestId('auto-apply').click();
  await page.getByTestId('auto-apply').and(page.locator(':disabled')).waitFor();
  return port;
}

describe('composer (serve mode, Chromium)', { timeout: 90_000 }, () => {
  const ctx = useServedBrowser();

  it('types a wrong CALL by keyboard, shows the schema marker, and sends the fixed frame with Ctrl+Enter', async () => {
    const { page } = ctx.browser;
    const port = await startEndpointFromUi(page);
    const charger = newCharger({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-COMPOSE',
      protocols: ['ocpp2.0.1'],
    });
    ctx.client = charger;
    const resets: unknown[] = [];
    charger.handle('Reset', async ({ params }) => {
      resets.push(params);
      return { status: 'Accepted' };
    });
    await charger.connect();
    await charger.call('BootNotification', exampleRequest('2.0.1', 'BootNotification'));

    await page.locator('[data-testid=connection][data-identity="CP-COMPOSE"]').click();
    await expect
      .poll(() => page.getByTestId('composer-version').textContent(), { timeout: 15_000 })
      .toBe('OCPP 2.0.1');
    const editor = page.getByTestId('composer-editor');
    await editor.and(page.locator('[data-ready="true"]')).waitFor();
    await editor.locator('.view-lines').click();
    const selectAll = process.platform === 'darwin' ? 'Meta+A' : 'Control+A';

    // A Reset with a type that 2.0.1 does not have: the JSON language service flags it against the OCA schema.
    await page.keyboard.press(selectAll);
    await page.keyboard.press('Delete');
    await page.keyboard.type('[2, "will-be-replaced", "Reset", {"type": "Soon"}]');
    const marker = page.getByTestId('composer-marker');
    // Markers follow the text as it is typed: wait for the verdict on the whole frame, not on a prefix of it.
    await expect
      .poll(() => marker.first().textContent(), { timeout: 15_000 })
      .toMatch(/Immediate|OnIdle|not accepted|enum/i);
    await screenshot(page, 'composer-marker');

    await page.keyboard.press(selectAll);
    await page.keyboard.press('Delete');
    await page.keyboard.type('[2, "will-be-replaced", "Reset", {"type": "Immediate"}]');
    await expect.poll(() => marker.count(), { timeout: 15_000 }).toBe(0);
    expect(await page.getByTestId('composer-check').textContent()).toContain('valid CALL');
    await page.keyboard.press('Control+Enter');

    const resetCall = page.locator('[data-testid=log-row][data-action=Reset][data-type="2"]');
    const resetResult = page.locator('[data-testid=log-row][data-action=Reset][data-type="3"]');
    await resetResult.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => resetResult.getByTestId('cell-rtt').textContent(), { timeout: 15_000 })
      .toMatch(/ms|s$/);
    expect(resets).toEqual([{ type: 'Immediate' }]);
    // A fresh id replaced the one typed, and the request is paired with the charger's answer.
    const id = await resetCall.getByTestId('cell-id').textContent();
    expect(id).not.toBe('will-be-replaced');
    expect(await resetResult.getByTestId('cell-id').textContent()).toBe(id);
    await resetCall.click();
    await page.getByTestId('partner-rtt').waitFor();
    expect(await page.getByTestId('detail-raw').textContent()).toContain('"Immediate"');
    await page.getByTestId('composer-tab-history').click();
    expect(await page.getByTestId('history-item').count()).toBe(1);
    await screenshot(page, 'composer-sent');
  });

  it('holds an incoming CALL, prefills a valid response in the composer, and the charger receives it', async () => {
    const { page } = ctx.browser;
    const port = await startEndpointHoldingAuthorize(page);

    const charger = newCharger({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-HOLD',
      protocols: ['ocpp1.6'],
    });
    ctx.client = charger;
    await charger.connect();
    const answered = charger.call('Authorize', { idTag: 'TAG-0001' }) as Promise<{
      idTagInfo: { status: string };
    }>;

    // The held call opens the composer with the suggested response for this very message id.
    const banner = page.getByTestId('composer-responding');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.textContent()).toContain('Authorize');
    await expect
      .poll(() => page.getByTestId('composer-check').textContent(), { timeout: 15_000 })
      .toContain('valid CALLRESULT');
    await screenshot(page, 'held-call');
    await page.getByTestId('composer-send').click();

    const response = await answered;
    expect(response.idTagInfo.status).toBeDefined();
    await page.locator('[data-testid=log-row][data-action=Authorize][data-type="3"]').waitFor();
    await expect.poll(() => page.getByTestId('held-call').count(), { timeout: 15_000 }).toBe(0);
  });

  it('queues a second held call while the first is being answered, then moves on to it', async () => {
    const { page } = ctx.browser;
    const port = await startEndpointHoldingAuthorize(page);

    const first = newCharger({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-Q1',
      protocols: ['ocpp1.6'],
    });
    const second = newCharger({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-Q2',
      protocols: ['ocpp1.6'],
    });
    ctx.client = first;
    try {
      await first.connect();
      await second.connect();
      const a = first.call('Authorize', { idTag: 'TAG-A' }) as Promise<{ idTagInfo: { status: string } }>;
      const banner = page.getByTestId('composer-responding');
      await banner.waitFor({ timeout: 10_000 });
      const b = second.call('Authorize', { idTag: 'TAG-B' }) as Promise<{ idTagInfo: { status: string } }>;
      await expect
        .poll(
          () =>
            page
              .getByTestId('held-call')
              .count()
              .catch(() => 0),
          { timeout: 10_000 },
        )
        .toBe(0);
      await page.getByTestId('composer-tab-held').click();
      await expect.poll(() => page.getByTestId('held-call').count(), { timeout: 15_000 }).toBe(2);
      const firstId = await banner.locator('.mono').textContent();

      // The first answer goes out; the composer moves on to the call still waiting.
      await expect
        .poll(() => page.getByTestId('composer-check').textContent(), { timeout: 15_000 })
        .toContain('valid CALLRESULT');
      await page.getByTestId('composer-send').click();
      await expect.poll(() => banner.locator('.mono').textContent(), { timeout: 15_000 }).not.toBe(firstId);
      await expect
        .poll(() => page.getByTestId('composer-check').textContent(), { timeout: 15_000 })
        .toContain('valid CALLRESULT');
      await page.getByTestId('composer-send').click();
      const [ra, rb] = await Promise.all([a, b]);
      expect(ra.idTagInfo.status).toBeDefined();
      expect(rb.idTagInfo.status).toBeDefined();
      await expect.poll(() => page.getByTestId('held-call').count(), { timeout: 15_000 }).toBe(0);
    } finally {
      await second.close({ force: true }).catch(() => undefined);
    }
  });
});

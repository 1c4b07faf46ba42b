import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWithFake, screenshot, startStatic, type Browser } from './harness';

// The views an engineer lives in, with a scripted session from the in-page fake engine (two chargers, a finding, an
// unparsable frame, a held call) and a synthetic capture of a million events. The live engine is covered by the
// other e2e files; these check layout, themes, keyboard and scale, and produce the README screenshots.
describe('UI views (fake engine, Chromium)', { timeout: 90_000 }, () => {
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;

  beforeEach(async () => {
    server = await startStatic();
    browser = await openWithFake(server.url, { captureEvents: 1_000_000, demo: true });
  });
  afterEach(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a session in dark and light, with findings standing out and the frame detail', async () => {
    const { page } = browser;
    await page.evaluate(() => localStorage.setItem('ocpp-scope.theme', 'dark'));
    await page.reload();
    await page.locator('[data-testid=log-row][data-action=TransactionEvent]').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

    await page.locator('[data-testid=log-row][data-action=MeterValues][data-type="2"]').click();
    await page.getByTestId('detail-findings').waitFor();
    expect(await page.getByTestId('finding').first().textContent()).toContain('connectorId');
    expect(await page.locator('.json-flagged').count()).toBeGreaterThan(0);
    await screenshot(page, 'overview-dark');

    await page.keyboard.press('t');
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme), { timeout: 15_000 })
      .toBe('light');
    await page.locator('[data-testid=log-row][data-kind=frame][data-type=""]').last().click();
    await page.getByTestId('frame-problem').waitFor();
    await screenshot(page, 'overview-light');
    expect(browser.errors).toEqual([]);
  });

  it('moves through the log by keyboard, jumps to the partner, and lists the shortcuts', async () => {
    const { page } = browser;
    const boot = page.locator('[data-testid=log-row][data-action=BootNotification][data-type="2"]').first();
    await boot.click();
    await page.getByTestId('log-scroll').press('ArrowDown');
    await expect
      .poll(() => page.locator('[data-testid=log-row][aria-selected=true]').getAttribute('data-type'))
      .toBe('3');
    await page.getByTestId('log-scroll').press('p');
    await expect
      .poll(() => page.locator('[data-testid=log-row][aria-selected=true]').getAttribute('data-type'))
      .toBe('2');

    // Enter on a CALL the charger sent puts a valid answer in the composer.
    await page.getByTestId('log-scroll').press('Enter');
    await expect
      .poll(() => page.getByTestId('composer-responding').textContent())
      .toContain('Replying to BootNotification');
    await expect
      .poll(() => page.getByTestId('composer-check').textContent(), { timeout: 15_000 })
      .toContain('valid CALLRESULT');

    await page.getByTestId('log-scroll').press('?');
    await page.getByTestId('help').waitFor();
    await screenshot(page, 'shortcuts');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('help').count(), { timeout: 15_000 }).toBe(0);

    await page.getByTestId('time-mode').click();
    expect(await page.getByTestId('time-mode').textContent()).toBe('Time (rel)');
    expect(await page.getByTestId('cell-time').first().textContent()).toBe('0.000');
    await page.getByTestId('log-scroll').press('d');
    await expect.poll(() => page.getByTestId('detail').count(), { timeout: 15_000 }).toBe(0);
    await page.getByTestId('log-scroll').press('d');
    await page.getByTestId('detail').waitFor();

    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('filter');
  });

  it('shows a million-event capture, filters it by chip, and scrolls to its end', async () => {
    const { page } = browser;
    await page.locator('[data-testid=source-tab][data-source=cap]').click();
    await page.locator('[data-testid=log-row]').first().waitFor();
    expect(await page.getByTestId('log-count').textContent()).toBe('1,000,000 events');
    await page.getByTestId('log-scroll').press('End');
    await page.getByTestId('log-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect
      .poll(() => page.locator('[data-testid=log-row][data-seq="999999"]').count(), { timeout: 10_000 })
      .toBe(1);
    await page.getByTestId('chip-findings').click();
    await expect
      .poll(() => page.getByTestId('log-count').textContent(), { timeout: 10_000 })
      .toMatch(/of 1,000,000/);
    await screenshot(page, 'capture-million');
  });

  it('edits endpoint settings and auto-answer policies, and shows the replay report', async () => {
    const { page } = browser;
    await page.getByTestId('endpoint-settings').click();
    await page.getByTestId('settings-dialog').waitFor();
    await page.getByTestId('settings-profile').selectOption('2');
    await page.getByTestId('settings-generate-ca').check();
    await screenshot(page, 'settings');
    await page.keyboard.press('Escape');

    await page.getByTestId('tab-auto').click();
    await page.getByTestId('auto-version').selectOption('2.0.1');
    expect(
      await page.locator('[data-testid=auto-row][data-action=TransactionEvent] select').inputValue(),
    ).toBe('hold');
    await screenshot(page, 'auto-answer');

    await page.getByTestId('tab-replay').click();
    await page.getByTestId('replay-start').click();
    await page.getByTestId('replay-report').waitFor();
    expect(await page.locator('[data-testid=replay-item][data-outcome=differed]').textContent()).toContain(
      '/idTokenInfo/status',
    );
    await screenshot(page, 'replay');
  });

  it('controls a proxied connection: hold switches, a held frame edited and forwarded, a frame injected', async () => {
    const { page } = browser;
    const card = page.locator('[data-testid=connection][data-identity="PROXY-CP-9"]');
    await card.getByTestId('proxy-controls').waitFor();
    await card.getByTestId('proxy-hold-csms').click();
    await expect
      .poll(() => card.getByTestId('proxy-hold-csms').getAttribute('class'), { timeout: 15_000 })
      .toContain('active');

    await page.getByTestId('composer-tab-held').click();
    await page.getByTestId('held-frame').waitFor();
    await page.getByTestId('held-frame-edit').click();
    await page.getByTestId('composer-releasing').waitFor();
    await expect
      .poll(() => page.getByTestId('composer-check').textContent(), { timeout: 15_000 })
      .toContain('CALL');
    await page.getByTestId('composer-editor').locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(
      '[2, "px-1", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Faulted"}]',
    );
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('held-frame').count(), { timeout: 15_000 }).toBe(0);
    await screenshot(page, 'proxy');

    // With the proxied connection as the target, the composer sends to the leg the user picks.
    await card.click();
    await page.getByTestId('composer-inject-to').selectOption('csms');
    await page.getByTestId('composer-editor').locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('[2, "x", "Heartbeat", {}]');
    await page.keyboard.press('Control+Enter');
    const calls = await page.evaluate(() => (window as unknown as { __fakeCalls: unknown[][] }).__fakeCalls);
    expect(calls[0]).toEqual(['setProxyHold', 'c3', 'csms', true]);
    expect(calls[1]).toEqual([
      'releaseHeld',
      'c3',
      expect.any(Number),
      '[2, "px-1", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Faulted"}]',
    ]);
    await expect
      .poll(
        async () =>
          (await page.evaluate(() => (window as unknown as { __fakeCalls: unknown[][] }).__fakeCalls)).length,
      )
      .toBe(3);
    const inject = (
      await page.evaluate(() => (window as unknown as { __fakeCalls: unknown[][] }).__fakeCalls)
    )[2]!;
    expect(inject.slice(0, 3)).toEqual(['injectFrame', 'c3', 'csms']);
    expect(String(inject[3])).toMatch(/"Heartbeat"/);
    expect(String(inject[3])).not.toContain('"x"');
  });
});

import { describe, expect, it } from 'vitest';
import { exampleRequest } from '../../shared/ocpp/examples';
import { newCharger, screenshot, startEndpointFromUi, useServedBrowser } from './harness';

const selectAll = process.platform === 'darwin' ? 'Meta+A' : 'Control+A';

describe('Checks tab scenario editor (serve mode, Chromium)', { timeout: 90_000 }, () => {
  const ctx = useServedBrowser();

  it('Monaco validates a scenario against its schema: an unknown step kind gets a marker, and Run is off', async () => {
    const { page, errors } = ctx.browser;
    await page.getByTestId('tab-checks').click();
    await page.getByTestId('scenario-new').click();
    const editor = page.getByTestId('scenario-editor');
    await editor.and(page.locator('[data-ready="true"]')).waitFor({ timeout: 15_000 });
    // The template is valid: no marker, no parser problem, and it can run.
    const firstText = editor.locator('.view-lines').getByText('heartbeat-trigger');
    await firstText.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('scenario-marker').count()).toBe(0);
    expect(await page.getByTestId('check-suite').inputValue()).toBe('');

    // Click a line that shows, not the middle of all lines: a long template reaches below the panel's fold.
    await firstText.click();
    await page.keyboard.press(selectAll);
    await page.keyboard.press('Delete');
    // One insertion, not key by key: markers of a half-typed text ("Colon expected") are not what is asserted.
    await page.keyboard.insertText(
      '{"name": "x", "version": "1.6", "role": "csms", "steps": [{"step": "jump"}]}',
    );
    const marker = page.getByTestId('scenario-marker');
    await expect
      .poll(() => marker.allTextContents(), { timeout: 15_000 })
      .toContainEqual(expect.stringMatching(/expect-handshake|not accepted/i));
    // The parser says it too, with the JSON pointer of the bad value.
    await expect
      .poll(() => page.getByTestId('scenario-problem').allTextContents(), { timeout: 15_000 })
      .toContainEqual(expect.stringContaining('/steps/0/step'));
    expect(await page.getByTestId('check-start').isDisabled()).toBe(true);
    await screenshot(page, 'scenario-editor-marker');

    await page.keyboard.press(selectAll);
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(
      '{"name": "x", "version": "1.6", "role": "station", "steps": [{"step": "wait", "seconds": 1}]}',
    );
    await expect.poll(() => marker.count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('scenario-problem').count(), { timeout: 15_000 }).toBe(0);
    // A station-role scenario asks for the CSMS URL.
    expect(await page.getByTestId('check-target').inputValue()).toMatch(/^ws:\/\//);
    expect(errors).toEqual([]);
  });

  it('saves the recording of the selected connection as a scenario and opens it in the editor', async () => {
    const { page, errors } = ctx.browser;
    const port = await startEndpointFromUi(page);
    const charger = newCharger({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-REC',
      protocols: ['ocpp1.6'],
    });
    ctx.client = charger;
    await charger.connect();
    await charger.call('BootNotification', exampleRequest('1.6', 'BootNotification'));
    await charger.call('Heartbeat', {});
    await page
      .locator('[data-testid=log-row][data-action=Heartbeat][data-type="3"]')
      .waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=connection][data-identity="CP-REC"]').click();

    await page.getByTestId('tab-checks').click();
    await page.getByTestId('scenario-from-connection').click();
    const editor = page.getByTestId('scenario-editor');
    await editor.and(page.locator('[data-ready="true"]')).waitFor({ timeout: 15_000 });
    await editor.locator('.view-lines').getByText('"recorded-CP-REC"').first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('check-suite').locator('option:checked').textContent()).toBe(
      'recorded-CP-REC.json (your scenario)',
    );
    // The compiled scenario is valid for the schema and the parser: it can be run as it is.
    await expect.poll(() => page.getByTestId('scenario-marker').count(), { timeout: 15_000 }).toBe(0);
    expect(await page.getByTestId('scenario-problem').count()).toBe(0);
    // Monaco renders spaces as no-break spaces.
    const text = (await editor.locator('.view-lines').textContent())?.replace(/\u00a0/g, ' ');
    expect(text).toContain('"version": "1.6"');
    expect(text).toContain('"role": "csms"');
    expect(await page.getByTestId('check-start').isDisabled()).toBe(false);
    await screenshot(page, 'scenario-from-recording');
    expect(errors).toEqual([]);
  });
});

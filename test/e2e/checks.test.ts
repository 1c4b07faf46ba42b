import { describe, expect, it } from 'vitest';
import { startRpcCharger } from '../electron/engine/checks/rpc-charger';
import { startEndpointFromUi, useServedBrowser } from './harness';

const SCENARIO = JSON.stringify({
  name: 'tab-run',
  version: '1.6',
  role: 'csms',
  cases: [
    {
      id: 'with-person',
      title: 'A person confirms, then a triggered Heartbeat comes',
      steps: [
        { step: 'prompt', text: 'Press Done when the charger shows its idle screen.' },
        { step: 'send', action: 'TriggerMessage', payload: { requestedMessage: 'Heartbeat' } },
        { step: 'expect', messageType: 'CALLRESULT', match: { '/status': { equals: 'Accepted' } } },
        { step: 'expect', messageType: 'CALL', action: 'Heartbeat' },
      ],
    },
    {
      id: 'unknown-key',
      title: 'Wrongly expects Accepted for an unknown key',
      steps: [
        { step: 'send', action: 'ChangeConfiguration', payload: { key: 'NoSuchKey', value: '1' } },
        { step: 'expect', messageType: 'CALLRESULT', match: { '/status': { equals: 'Accepted' } } },
      ],
    },
  ],
});

describe('Checks tab (serve mode, Chromium)', { timeout: 90_000 }, () => {
  const ctx = useServedBrowser();

  it('runs a scenario file against a charger, asks the person, shows verdicts and jumps to a failure', async () => {
    const { page, errors } = ctx.browser;
    const port = await startEndpointFromUi(page);
    const charger = await startRpcCharger(`ws://127.0.0.1:${port}/ocpp`, '1.6');
    try {
      await page.getByTestId('tab-checks').click();
      await page.getByTestId('check-file').setInputFiles({
        name: 'tab-run.json',
        mimeType: 'application/json',
        buffer: Buffer.from(SCENARIO),
      });
      await expect
        .poll(() => page.getByTestId('check-target').inputValue(), { timeout: 15_000 })
        .not.toBe('');
      await page.getByTestId('check-start').click();
      await expect
        .poll(() => page.getByTestId('check-prompt-text').textContent(), { timeout: 15_000 })
        .toBe('Press Done when the charger shows its idle screen.');
      await page.getByTestId('check-prompt-done').click();
      const rows = page.getByTestId('check-case');
      await expect
        .poll(() => page.getByTestId('check-state').textContent(), { timeout: 20_000 })
        .toBe('done');
      expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual([
        'passed',
        'failed',
      ]);
      const failed = page.locator('[data-testid=check-case][data-case=unknown-key]');
      await expect(failed.textContent()).resolves.toContain('/status is "NotSupported", expected "Accepted"');
      await failed.click();
      // The answer that failed the case is selected in the log.
      const selected = page.locator('[data-testid=log-row][aria-selected=true]');
      await selected.waitFor({ timeout: 10_000 });
      expect(await selected.getAttribute('data-action')).toBe('ChangeConfiguration');
      expect(await selected.getAttribute('data-type')).toBe('3');
      await expect(page.getByTestId('check-export-html').isVisible()).resolves.toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await charger.stop();
    }
  });
});

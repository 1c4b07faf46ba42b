import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../electron/engine/files/transfer-harness';
import { newCharger, screenshot, startEndpointFromUi, useServedBrowser } from './harness';
import { testTempDir } from '../support/temp-dirs';

describe('Files tab (serve mode, Chromium)', { timeout: 90_000 }, () => {
  const ctx = useServedBrowser();

  it('starts the file server, prefills GetDiagnostics with its URL, and lists the upload the charger made', async () => {
    const { page } = ctx.browser;
    const port = await startEndpointFromUi(page);
    const work = testTempDir('e2e-files');
    const body = 'diagnostics of CP-FILES\n'.repeat(400);
    await writeFile(join(work, 'diag.txt'), body);
    const charger = newCharger({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-FILES',
      protocols: ['ocpp1.6'],
    });
    ctx.client = charger;
    let uploaded: Promise<unknown> = Promise.resolve();
    const locations: string[] = [];
    charger.handle('GetDiagnostics', async ({ params }) => {
      const location = String((params as { location: string }).location);
      locations.push(location);
      uploaded = run('curl', ['-sS', '--fail', '-T', join(work, 'diag.txt'), `${location}diag.txt`]).then(
        () => charger.call('DiagnosticsStatusNotification', { status: 'Uploaded' }),
      );
      return { fileName: 'diag.txt' };
    });
    await charger.connect();
    await charger.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });

    await page.getByTestId('tab-files').click();
    for (const p of ['http', 'https', 'ftp', 'ftps']) await page.getByTestId(`files-port-${p}`).fill('0');
    await page.getByTestId('files-toggle').click();
    const urls = page.getByTestId('files-urls');
    await urls
      .getByText(/^ftps:\/\//)
      .first()
      .waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('files-dir').textContent()).toContain('transfers');

    await page.locator('[data-testid=connection][data-identity="CP-FILES"]').click();
    await page.getByTestId('tab-composer').click();
    await page.getByTestId('template-search').fill('GetDiagnostics');
    await page.locator('[data-testid=template][data-action=GetDiagnostics]').click();
    // The template is composed after a round trip to the engine (the transfer URL): until then the composer still
    // holds its first frame, a valid Heartbeat CALL, which a send would deliver instead (the check alone passes on it).
    const lines = page.getByTestId('composer-editor').locator('.view-lines');
    await lines.getByText('GetDiagnostics').first().waitFor({ timeout: 15_000 });
    await lines
      .getByText(/http:\/\/[^"]+\/t\/[\w-]+\//)
      .first()
      .waitFor({ timeout: 15_000 });
    await expect
      .poll(() => page.getByTestId('composer-check').textContent(), { timeout: 15_000 })
      .toContain('valid CALL');
    await page.getByTestId('composer-send').click();
    await expect.poll(() => locations.length, { timeout: 15_000 }).toBe(1);
    expect(locations[0]).toMatch(/^http:\/\/[^/]+:\d+\/t\/[\w-]+\/$/);
    await uploaded;

    const row = page.locator('[data-testid=log-row][data-kind=transfer]');
    await row.last().waitFor({ timeout: 15_000 });
    await page.getByTestId('tab-files').click();
    const transfer = page.getByTestId('files-transfer-row');
    await transfer.first().waitFor({ timeout: 15_000 });
    expect(await transfer.first().textContent()).toContain('CP-FILES');
    expect(await transfer.first().textContent()).toContain('diag.txt');
    await screenshot(page, 'files');
    const stored = await readFile(join(ctx.served.dataDir, 'transfers', 'CP-FILES', 'diag.txt'), 'utf8');
    expect(stored).toBe(body);
    expect(ctx.browser.errors).toEqual([]);
  });
});

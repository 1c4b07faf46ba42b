import { readFileSync } from 'node:fs';
import type { Download } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { defaultEndpointSettings } from '../../shared/api-defaults';
import { newCharger, useServedBrowser } from './harness';

/** A charger that logs in with `password` as CP-BAD and is refused. */
function refusedLogin(port: number, password: string): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/CP-BAD`, ['ocpp1.6'], {
      headers: { Authorization: `Basic ${Buffer.from(`CP-BAD:${password}`).toString('base64')}` },
    });
    ws.on('unexpected-response', () => {
      ws.terminate();
      resolve();
    });
    ws.on('error', () => resolve());
  });
}

describe('diagnosis bundle (serve mode, Chromium)', { timeout: 90_000 }, () => {
  const ctx = useServedBrowser();

  it('one click downloads a self-contained HTML page and the redacted capture; the page opens and names the causes', async () => {
    const { page, context } = ctx.browser;
    const status = await ctx.served.engine.startEndpoint({
      ...defaultEndpointSettings(),
      host: '127.0.0.1',
      port: 0,
      securityProfile: 1,
      passwords: { 'CP-GOOD': 'good-secret', 'CP-BAD': 'right' },
      acceptAnyPassword: false,
    });
    await refusedLogin(status.port!, 'wrong-secret');
    const charger = newCharger({
      endpoint: `ws://127.0.0.1:${status.port}/ocpp`,
      identity: 'CP-GOOD',
      protocols: ['ocpp1.6'],
      password: 'good-secret',
    });
    ctx.client = charger;
    await charger.connect();
    await charger.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    await page
      .locator('[data-testid=log-row][data-action=BootNotification][data-type="3"]')
      .waitFor({ timeout: 15_000 });

    await page.getByTestId('tab-captures').click();
    const all: Download[] = [];
    page.on('download', (d) => all.push(d));
    await page.getByTestId('diagnosis-bundle').click();
    await expect.poll(() => all.length, { timeout: 15_000 }).toBe(2);
    const byName = new Map(all.map((d) => [d.suggestedFilename(), d]));
    const htmlName = [...byName.keys()].find((n) => n.endsWith('-diagnosis.html'));
    const captureName = [...byName.keys()].find((n) => n.endsWith('.ocppcap.jsonl'));
    expect(htmlName).toBeDefined();
    expect(captureName).toBeDefined();
    const html = readFileSync((await byName.get(htmlName!)!.path())!, 'utf8');
    const capture = readFileSync((await byName.get(captureName!)!.path())!, 'utf8');
    expect(html).not.toMatch(/<script|<link|src=/i);
    expect(capture).not.toContain('good-secret');
    expect(capture).not.toContain('wrong-secret');
    expect(html).not.toContain('secret');

    const view = await context.newPage();
    await view.setContent(html);
    expect(await view.locator('#health').textContent()).toContain('CP-GOOD');
    expect(await view.locator('#health').textContent()).toContain('Accepted');
    expect(await view.locator('#handshakes').textContent()).toContain(
      'failed at authentication: The password sent for "CP-BAD" is not the configured one. Answered HTTP 401 Unauthorized.',
    );
    expect(await view.locator('#findings').textContent()).toContain('auth-wrong-password');
    expect(html).toContain(captureName!);
    expect(ctx.browser.errors).toEqual([]);
  });
});

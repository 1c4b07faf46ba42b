import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { defaultEndpointSettings } from '../../shared/api-defaults';
import { useServedBrowser } from './harness';

/** A charger that sends `password` for CP-AUTH and waits for the endpoint's answer (the 401). */
function tryLogin(port: number, password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/CP-AUTH`, ['ocpp1.6'], {
      headers: { Authorization: `Basic ${Buffer.from(`CP-AUTH:${password}`).toString('base64')}` },
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the wrong password was accepted')));
    ws.on('error', () => undefined);
  });
}

/** A charger CP-OLD offering only `protocols`; resolves with the endpoint's HTTP status (101 if it opened). */
function tryProtocols(port: number, protocols: string[]): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/CP-OLD`, protocols);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

describe(
  'handshake diagnoses are shown where people look (serve mode, Chromium)',
  { timeout: 90_000 },
  () => {
    const ctx = useServedBrowser();

    it('an endpoint-side wrong password: the card, the log row, the detail and the Handshake tab name the same step and cause', async () => {
      const { page } = ctx.browser;
      const status = await ctx.served.engine.startEndpoint({
        ...defaultEndpointSettings(),
        host: '127.0.0.1',
        port: 0,
        securityProfile: 1,
        passwords: { 'CP-AUTH': 'right' },
        acceptAnyPassword: false,
      });
      expect(await tryLogin(status.port!, 'wrong')).toBe(401);
      const sentence =
        'The password sent for "CP-AUTH" is not the configured one. Answered HTTP 401 Unauthorized.';

      const card = page.locator('[data-testid=connection][data-identity="CP-AUTH"]');
      await card.waitFor({ timeout: 15_000 });
      expect(await card.getByTestId('connection-failure-step').textContent()).toBe(
        'failed at authentication',
      );
      expect(await card.getByTestId('connection-diagnosis').textContent()).toBe(sentence);
      expect(await card.textContent()).not.toContain('no subprotocol');

      const row = page.locator('[data-testid=log-row][data-kind=opened]').first();
      await row.waitFor({ timeout: 15_000 });
      expect(await row.getByTestId('cell-action').textContent()).toBe(
        `failed at authentication: ${sentence}`,
      );

      await row.dispatchEvent('mousedown');
      expect(await page.getByTestId('detail-diagnosis').textContent()).toBe(sentence);
      expect(await page.getByTestId('frame-detail').textContent()).toContain('auth-wrong-password');

      // The Handshake tab follows the selected row: the failed step is marked, the same sentence, no Accept noise.
      await page.getByTestId('detail-tab-handshake').click();
      await page.getByTestId('handshake-failure').waitFor();
      expect(await page.getByTestId('handshake-diagnosis').textContent()).toBe(sentence);
      expect(
        await page.locator('[data-testid=handshake-steps] [data-step=auth]').getAttribute('data-state'),
      ).toBe('failed');
      expect(await page.getByTestId('accept-check').count()).toBe(0);
      expect(ctx.browser.errors).toEqual([]);
    });

    it('a charger offering only an older OCPP subprotocol, refused: the card and the log row say subprotocol and why', async () => {
      const { page } = ctx.browser;
      const status = await ctx.served.engine.startEndpoint({
        ...defaultEndpointSettings(),
        host: '127.0.0.1',
        port: 0,
        unknownProtocol: 'refuse',
      });
      expect(await tryProtocols(status.port!, ['ocpp1.5'])).toBe(400);

      const card = page.locator('[data-testid=connection][data-identity="CP-OLD"]');
      await card.waitFor({ timeout: 15_000 });
      const step = card.getByTestId('connection-failure-step');
      expect(await step.textContent()).toBe('failed at subprotocol');
      expect(await step.getAttribute('data-step')).toBe('subprotocol');
      const diagnosis = card.getByTestId('connection-diagnosis');
      expect(await diagnosis.getAttribute('data-code')).toBe('no-supported-subprotocol');
      const sentence = (await diagnosis.textContent()) ?? '';
      expect(sentence).toContain('ocpp1.5 is an older OCPP version');
      expect(sentence).toContain('400');

      const row = page.locator('[data-testid=log-row][data-kind=opened]').first();
      await row.waitFor({ timeout: 15_000 });
      expect(await row.getByTestId('cell-action').textContent()).toBe(`failed at subprotocol: ${sentence}`);
      expect(ctx.browser.errors).toEqual([]);
    });
  },
);

import type { AddressInfo } from 'node:net';
import { RPCServer, type RPCClient } from 'ocpp-rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleRequest, exampleResponse } from '../../shared/ocpp/examples';
import {
  newCharger,
  openBrowser,
  screenshot,
  startProxyFromUi,
  startServe,
  type Browser,
  type Served,
} from './harness';

describe('proxy (serve mode, Chromium)', { timeout: 90_000 }, () => {
  let served: Served;
  let browser: Browser;
  let charger: RPCClient | undefined;
  let upstream: RPCServer | undefined;

  beforeEach(async () => {
    served = await startServe();
    browser = await openBrowser(served.url);
  });
  afterEach(async () => {
    await charger?.close({ force: true }).catch(() => undefined);
    await upstream?.close({ force: true }).catch(() => undefined);
    await browser?.close();
    await served?.close();
  });

  it('sits between a charger and a CSMS, holds a frame, and forwards it edited', async () => {
    const { page } = browser;
    const received: { method: string; params: unknown }[] = [];
    upstream = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    upstream.on('client', (c: RPCClient) => {
      c.handle(async ({ method = '', params }: { method?: string; params?: unknown }) => {
        received.push({ method, params });
        return exampleResponse('1.6', method);
      });
    });
    const http = await upstream.listen(0, '127.0.0.1');
    const upstreamPort = (http.address() as AddressInfo).port;

    const port = await startProxyFromUi(page, `ws://127.0.0.1:${upstreamPort}/csms`);

    charger = newCharger({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-PROXY',
      protocols: ['ocpp1.6'],
    });
    await charger.connect();
    const boot = (await charger.call('BootNotification', exampleRequest('1.6', 'BootNotification'))) as {
      status: string;
    };
    expect(boot.status).toBe(exampleResponse('1.6', 'BootNotification').status);
    expect(received.map((r) => r.method)).toEqual(['BootNotification']);
    await page.locator('[data-testid=log-row][data-action=BootNotification][data-type="3"]').waitFor();

    // Hold what the charger sends, then edit the held StatusNotification before the CSMS sees it.
    const card = page.locator('[data-testid=connection][data-identity="CP-PROXY"]');
    await card.getByTestId('proxy-controls').waitFor();
    await card.getByTestId('proxy-hold-station').click();
    await expect
      .poll(() => card.getByTestId('proxy-hold-station').getAttribute('class'), { timeout: 15_000 })
      .toContain('active');
    const status = charger.call('StatusNotification', {
      connectorId: 1,
      errorCode: 'NoError',
      status: 'Available',
    }) as Promise<unknown>;

    await page.getByTestId('tab-composer').click();
    await page.getByTestId('composer-tab-held').click();
    await page.getByTestId('held-frame').waitFor({ timeout: 10_000 });
    expect(received).toHaveLength(1);
    await page.getByTestId('held-frame-edit').click();
    await page.getByTestId('composer-releasing').waitFor();
    const editor = page.getByTestId('composer-editor');
    await editor.locator('.view-lines').click();
    const heldText = await page.getByTestId('held-frame').locator('.mono').textContent();
    const id = /^\[2,"([^"]+)"/.exec(heldText ?? '')?.[1];
    expect(id).toBeDefined();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(
      `[2, "${id}", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Faulted"}]`,
    );
    await page.keyboard.press('Control+Enter');

    await status;
    expect(received[1]).toEqual({
      method: 'StatusNotification',
      params: { connectorId: 1, errorCode: 'NoError', status: 'Faulted' },
    });
    await expect.poll(() => page.getByTestId('held-frame').count(), { timeout: 15_000 }).toBe(0);
    await page.locator('[data-testid=log-row][data-action=StatusNotification][data-type="3"]').waitFor();
    await screenshot(page, 'proxy-live');

    // Both legs of the proxied connection have their own handshake.
    await card.getByTestId('connection-handshake').click();
    await expect
      .poll(() => page.getByTestId('handshake-leg').allTextContents())
      .toEqual(['Charger leg: charger → this tool', 'CSMS leg: this tool → CSMS']);
    expect(await page.getByTestId('accept-ok').count()).toBe(2);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { RPCServer, type RPCClient } from 'ocpp-rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleRequest, exampleResponse } from '../../shared/ocpp/examples';
import { newCharger, screenshot, startEndpointFromUi, useServedBrowser } from './harness';

describe('captures and replay (serve mode, Chromium)', { timeout: 90_000 }, () => {
  let peer: RPCServer | undefined;
  let downloads: string;

  // Registered before the shared set-up so that, with after-hooks run in reverse, the charger, browser and serve
  // host are closed first and the replay peer and downloads after them.
  beforeEach(() => {
    downloads = mkdtempSync(join(tmpdir(), 'ocpp-scope-e2e-downloads-'));
  });
  afterEach(async () => {
    await peer?.close({ force: true }).catch(() => undefined);
    rmSync(downloads, { recursive: true, force: true });
  });
  const ctx = useServedBrowser();

  it('exports a session, opens it as a capture, filters it, replays it against a live CSMS and shows the report', async () => {
    const { page } = ctx.browser;
    const port = await startEndpointFromUi(page);

    // A recorded session: a strict charger boots, beats and reports its status.
    const charger = newCharger({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-REC',
      protocols: ['ocpp1.6'],
    });
    ctx.client = charger;
    await charger.connect();
    await charger.call('BootNotification', exampleRequest('1.6', 'BootNotification'));
    await charger.call('Heartbeat', {});
    await charger.call('StatusNotification', exampleRequest('1.6', 'StatusNotification'));
    await page.locator('[data-testid=log-row][data-action=StatusNotification][data-type="3"]').waitFor();
    await charger.close();
    ctx.client = undefined;

    // Export it (redacted) as a capture file: the browser downloads it.
    await page.getByTestId('tab-captures').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    const file = join(downloads, download.suggestedFilename() || 'session.jsonl');
    await download.saveAs(file);

    // Open it through the file picker (serve mode has no native dialog).
    await page.getByTestId('file-input').setInputFiles(file);
    const captureTab = page.locator('[data-testid=source-tab].active');
    await expect.poll(() => captureTab.textContent(), { timeout: 15_000 }).not.toContain('Live');
    await page.locator('[data-testid=log-row][data-action=Heartbeat]').first().waitFor();

    // Filter the capture down to the boot exchange.
    await page.getByTestId('filter').fill('action:BootNotification');
    await page.getByTestId('filter').press('Enter');
    await expect.poll(() => page.getByTestId('log-row').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.locator('[data-testid=log-row][data-action=Heartbeat]').count()).toBe(0);
    await screenshot(page, 'capture-filtered');
    await page.getByTestId('filter').fill('');
    await page.getByTestId('filter').press('Enter');

    // A live, strict CSMS to replay the station's side against.
    const received: string[] = [];
    peer = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    peer.on('client', (c: RPCClient) => {
      c.handle(async ({ method = '' }: { method?: string }) => {
        received.push(method);
        return exampleResponse('1.6', method);
      });
    });
    const http = await peer.listen(0, '127.0.0.1');
    const peerPort = (http.address() as AddressInfo).port;

    await page.getByTestId('tab-replay').click();
    await page.getByTestId('replay-side').selectOption('station');
    await page.getByTestId('replay-target').fill(`ws://127.0.0.1:${peerPort}/CP-REPLAY`);
    await page.getByTestId('replay-start').click();
    await expect.poll(() => page.getByTestId('replay-state').textContent(), { timeout: 20_000 }).toBe('done');
    await expect
      .poll(() => page.getByTestId('replay-item').count(), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(3);
    expect(received).toEqual(['BootNotification', 'Heartbeat', 'StatusNotification']);
    const outcomes = await page
      .getByTestId('replay-item')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome')));
    // The strict peer answered every call with a valid example: anything but 'matched' (differed, missing, timed
    // out, no outcome at all) is a replay bug.
    expect(outcomes.length).toBeGreaterThanOrEqual(3);
    expect(outcomes).toEqual(outcomes.map(() => 'matched'));
    await screenshot(page, 'replay-report');
  });

  it('exports HAR and opens it again by dropping the file on the window', async () => {
    const { page } = ctx.browser;
    const port = await startEndpointFromUi(page);
    const charger = newCharger({
      endpoint: `ws://127.0.0.1:${port}/ocpp`,
      identity: 'CP-HAR',
      protocols: ['ocpp2.0.1'],
    });
    ctx.client = charger;
    await charger.connect();
    await charger.call('BootNotification', exampleRequest('2.0.1', 'BootNotification'));
    await page.locator('[data-testid=log-row][data-action=BootNotification][data-type="3"]').waitFor();

    await page.getByTestId('tab-captures').click();
    await page.getByTestId('export-format').selectOption('har');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    const file = join(downloads, download.suggestedFilename() || 'session.har');
    await download.saveAs(file);
    const har = readFileSync(file, 'utf8');
    expect(JSON.parse(har).log.entries.length).toBeGreaterThan(0);

    // Drag and drop, as from a file manager: a DataTransfer holding the file, dropped on the app.
    const name = basename(file);
    const dataTransfer = await page.evaluateHandle(
      ({ text, name }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], name, { type: 'application/json' }));
        return dt;
      },
      { text: har, name },
    );
    await page.getByTestId('app').dispatchEvent('dragover', { dataTransfer });
    await page.getByTestId('app').dispatchEvent('drop', { dataTransfer });
    const active = page.locator('[data-testid=source-tab].active');
    await expect.poll(() => active.textContent(), { timeout: 15_000 }).toContain(name);
    const boot = page.locator('[data-testid=log-row][data-action=BootNotification]').first();
    await boot.waitFor({ timeout: 10_000 });
    // The imported connection (har-1) is named by the identity of its upgrade URL.
    expect(await boot.textContent()).toContain('CP-HAR');
    expect(await boot.textContent()).not.toContain('har-1');
  });
});

import { readFileSync } from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeCapture, makeHeader } from '../../shared/capture/format';
import { exampleRequest } from '../../shared/ocpp/examples';
import { session } from '../electron/engine/capture/fixtures';
import { newCharger, screenshot, startEndpointFromUi, useServedBrowser, type ServedBrowser } from './harness';

/** A strict charger session on the endpoint: boot, heartbeat, status; closed at the end. */
async function chargerSession(
  ctx: ServedBrowser,
  port: number,
  identity: string,
): Promise<{ currentTime: string }> {
  const charger = newCharger({ endpoint: `ws://127.0.0.1:${port}/ocpp`, identity, protocols: ['ocpp1.6'] });
  ctx.client = charger;
  await charger.connect();
  const boot = (await charger.call('BootNotification', exampleRequest('1.6', 'BootNotification'))) as {
    currentTime: string;
  };
  await charger.call('Heartbeat', {});
  await charger.call('StatusNotification', exampleRequest('1.6', 'StatusNotification'));
  await charger.close();
  ctx.client = undefined;
  return boot;
}

/** Records one charger session with the Record switch; the library lists the new file when recording stops. */
async function recordSession(ctx: ServedBrowser, page: Page, port: number, identity: string): Promise<void> {
  await page.getByTestId('tab-captures').click();
  await page.getByTestId('record-toggle').click();
  await expect
    .poll(() => page.getByTestId('recording-state').textContent(), { timeout: 15_000 })
    .toContain('Recording');
  await chargerSession(ctx, port, identity);
  await page.locator(`[data-testid=log-row][data-action=StatusNotification][data-type="3"]`).last().waitFor();
  await page.getByTestId('record-toggle').click();
  await expect
    .poll(() => page.getByTestId('recording-state').textContent(), { timeout: 15_000 })
    .toContain('Not recording');
}

describe(
  'replay against a fresh charger, and the captures library (serve mode, Chromium)',
  { timeout: 120_000 },
  () => {
    let downloads: string;
    beforeEach(() => {
      downloads = mkdtempSync(join(tmpdir(), 'ocpp-scope-e2e-downloads-'));
    });
    afterEach(() => rmSync(downloads, { recursive: true, force: true }));
    const ctx = useServedBrowser();

    it('plays the CSMS side for the next charger that connects: waits, runs, reports, keeps the report across tabs, exports it', async () => {
      const { page } = ctx.browser;
      const port = await startEndpointFromUi(page);
      await recordSession(ctx, page, port, 'CP-REC');

      // Open the recording from the library.
      const row = page.getByTestId('library-row').first();
      await expect
        .poll(() => row.getByTestId('library-chargers').textContent(), { timeout: 15_000 })
        .toContain('CP-REC');
      await row.getByTestId('library-open').click();
      await expect
        .poll(() => page.locator('[data-testid=source-tab].active').textContent(), { timeout: 15_000 })
        .not.toContain('Live');

      // Replay the CSMS side: the tool waits for a fresh charger, saying where to connect and how long it waits.
      await page.getByTestId('tab-replay').click();
      await page.getByTestId('replay-side').selectOption('csms');
      expect(await page.getByTestId('replay-target').inputValue()).toBe('');
      await page.getByTestId('replay-start').click();
      await expect
        .poll(() => page.getByTestId('replay-state').textContent(), { timeout: 15_000 })
        .toBe('waiting');
      await expect.poll(() => page.getByTestId('replay-waiting').textContent()).toContain(`:${port}/`);

      const boot = await chargerSession(ctx, port, 'CP-NEW');
      await expect
        .poll(() => page.getByTestId('replay-state').textContent(), { timeout: 20_000 })
        .toBe('done');
      // The charger got the recorded answer, its clock moved to when it was sent.
      expect(Number.isFinite(Date.parse(boot.currentTime))).toBe(true);
      expect(await page.getByTestId('replay-verdict').getAttribute('data-verdict')).toBe('passed');
      const outcomes = await page
        .getByTestId('replay-item')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome')));
      expect(outcomes).toEqual(['matched', 'matched', 'matched']);
      const label = await page.getByTestId('replay-label').textContent();
      expect(label).toContain('CP-NEW');
      expect(label).toContain('CP-REC');
      expect(label).toContain('.ocppcap.jsonl');
      await screenshot(page, 'replay-csms-report');

      // Leave the tab and come back: the report is still there, labelled.
      await page.getByTestId('tab-captures').click();
      await page.getByTestId('captures-panel').waitFor();
      await page.getByTestId('tab-replay').click();
      expect(await page.getByTestId('replay-item').count()).toBe(3);
      expect(await page.getByTestId('replay-label').textContent()).toBe(label);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('replay-export-json').click(),
      ]);
      const file = join(downloads, download.suggestedFilename());
      await download.saveAs(file);
      const saved = JSON.parse(readFileSync(file, 'utf8')) as {
        verdict: string;
        label: { side: string; target: string };
      };
      expect(saved.verdict).toBe('passed');
      expect(saved.label.side).toBe('csms');
      expect(saved.label.target).toContain('CP-NEW');
      expect(ctx.browser.errors).toEqual([]);
    });

    it('lists recordings with their chargers and findings; renames, shows the path, diffs two, deletes with a confirmation', async () => {
      const { page } = ctx.browser;
      const port = await startEndpointFromUi(page);
      await recordSession(ctx, page, port, 'CP-A');
      await recordSession(ctx, page, port, 'CP-B');
      const rows = page.getByTestId('library-row');
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
      // Newest first; each lists only its own charger (one that left before a recording started is not in it).
      await expect
        .poll(() => rows.nth(0).getByTestId('library-chargers').textContent(), { timeout: 15_000 })
        .toBe('CP-B');
      expect(await rows.nth(1).getByTestId('library-chargers').textContent()).toBe('CP-A');

      await rows.nth(1).getByTestId('library-rename').click();
      await page.getByTestId('rename-input').fill('before update');
      await page.getByTestId('rename-ok').click();
      await expect
        .poll(
          () => page.locator('[data-testid=library-row][data-name="before update.ocppcap.jsonl"]').count(),
          { timeout: 15_000 },
        )
        .toBe(1);

      // Serve mode has no file manager to open: the path is shown to copy.
      await rows.nth(0).getByTestId('library-reveal').click();
      await expect.poll(() => page.getByTestId('library-path').textContent()).toContain(ctx.served.dataDir);

      await rows.nth(0).getByTestId('library-select').check();
      await rows.nth(1).getByTestId('library-select').check();
      await page.getByTestId('library-diff').click();
      await page.getByTestId('diff-report-view').waitFor({ timeout: 15_000 });
      // Same script by two chargers: times and message ids are ignored, the exchanges match.
      expect(await page.getByTestId('diff-verdict').getAttribute('data-verdict')).toBe('passed');
      expect(await page.getByTestId('diff-item').count()).toBe(3);
      expect(await page.getByTestId('diff-label').textContent()).toContain('before update.ocppcap.jsonl');
      await screenshot(page, 'captures-library');

      await rows.nth(0).getByTestId('library-delete').click();
      await page.getByTestId('delete-dialog').waitFor();
      await page.getByTestId('delete-confirm').click();
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
      expect(await rows.first().getAttribute('data-name')).toBe('before update.ocppcap.jsonl');
      expect(ctx.browser.errors).toEqual([]);
    });

    it('shows "counting…" for a recording larger than 512 KiB, then its exact findings', async () => {
      const { page } = ctx.browser;
      const folder = join(ctx.served.dataDir, 'captures');
      mkdirSync(folder, { recursive: true });
      const events = session('c1', 'CP-BIG', 12_000);
      const warnings = events.filter((e) => e.kind === 'frame' && e.findings.length > 0).length;
      const text = encodeCapture(makeHeader('test'), events);
      expect(text.length).toBeGreaterThan(1024 * 1024);
      writeFileSync(join(folder, 'big.ocppcap.jsonl'), text);
      await page.getByTestId('tab-captures').click();
      const findings = page.getByTestId('library-row').first().getByTestId('library-findings');
      await expect.poll(() => findings.textContent(), { timeout: 15_000 }).toBe('counting…');
      await expect
        .poll(async () => (await findings.textContent())?.trim(), { timeout: 15_000 })
        .toBe(`${warnings} warnings`);
      expect(ctx.browser.errors).toEqual([]);
    });
  },
);

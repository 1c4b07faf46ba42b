import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Page } from 'playwright-core';
import { screenshot, startEndpointFromUi, useServedBrowser } from './harness';

const COLUMN_IDS = ['time', 'connection', 'direction', 'type', 'action', 'id', 'rtt', 'findings'];

/** A bare charger on the endpoint: a BootNotification, a Heartbeat and one WebSocket ping (so a PONG row comes). */
async function chargerSession(page: Page, identity: string): Promise<WebSocket> {
  const port = await startEndpointFromUi(page);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/${identity}`, ['ocpp1.6']);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const answered = (n: number) =>
    new Promise<void>((resolve) => {
      let seen = 0;
      ws.on('message', () => ++seen === n && resolve());
    });
  const both = answered(2);
  ws.send(JSON.stringify([2, 'b1', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }]));
  ws.send(JSON.stringify([2, 'h1', 'Heartbeat', {}]));
  await both;
  const pong = new Promise((resolve) => ws.once('pong', resolve));
  ws.ping('k1');
  await pong;
  await page.locator('[data-testid=log-row][data-kind=pong]').waitFor({ timeout: 15_000 });
  await page
    .locator('[data-testid=log-row][data-action=Heartbeat][data-type="3"]')
    .waitFor({ timeout: 15_000 });
  return ws;
}

/** A new window on the same engine: what it shows comes from the settings the engine kept. */
async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.getByTestId('app').and(page.locator('[data-ready="true"]')).waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=log-row]').first().waitFor({ timeout: 15_000 });
}

const headerIds = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=log-head] [role=columnheader]')].map((h) =>
      (h as HTMLElement).dataset.testid?.replace(/^col-/, ''),
    ),
  );

describe('log table: columns, sorting, keepalives (serve mode, Chromium)', { timeout: 120_000 }, () => {
  const ctx = useServedBrowser();

  it('hides a column from the Columns menu, shows it again, and keeps the choice across a reload', async () => {
    const { page } = ctx.browser;
    const ws = await chargerSession(page, 'CP-COLS');
    try {
      expect(await headerIds(page)).toEqual(COLUMN_IDS);
      await page.getByTestId('columns-menu').click();
      await page.getByTestId('column-toggle-id').uncheck();
      await expect.poll(() => headerIds(page), { timeout: 15_000 }).not.toContain('id');
      expect(await page.locator('[data-testid=log-row] [data-testid=cell-id]').count()).toBe(0);
      expect(await page.getByTestId('columns-menu').textContent()).toBe('Columns (7/8)');

      // The settings keep it: a reload (a new window on the same engine) shows the log without the column.
      await reload(page);
      expect(await headerIds(page)).toEqual(COLUMN_IDS.filter((c) => c !== 'id'));

      await page.getByTestId('columns-menu').click();
      await page.getByTestId('column-toggle-id').check();
      await expect.poll(() => headerIds(page), { timeout: 15_000 }).toEqual(COLUMN_IDS);
      expect(ctx.browser.errors).toEqual([]);
    } finally {
      ws.terminate();
    }
  });

  it('resizes a column by dragging its header edge; rows follow, and the width survives a reload', async () => {
    const { page } = ctx.browser;
    const ws = await chargerSession(page, 'CP-RESIZE');
    try {
      const width = (sel: string) =>
        page
          .locator(sel)
          .first()
          .evaluate((el) => Math.round(el.getBoundingClientRect().width));
      const before = await width('[data-testid=col-type]');
      const handle = await page.getByTestId('resize-type').boundingBox();
      expect(handle).not.toBeNull();
      const x = handle!.x + handle!.width / 2;
      const y = handle!.y + handle!.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + 40, y, { steps: 4 });
      await page.mouse.move(x + 80, y, { steps: 4 });
      await page.mouse.up();
      await expect.poll(() => width('[data-testid=col-type]'), { timeout: 15_000 }).toBe(before + 80);
      // The cells of every row line up with their header.
      expect(await width('[data-testid=log-row] [data-testid=cell-type]')).toBe(before + 80);

      await reload(page);
      expect(await width('[data-testid=col-type]')).toBe(before + 80);

      // A double click on the edge gives the column its own width back.
      await page.getByTestId('resize-type').dblclick();
      await expect.poll(() => width('[data-testid=col-type]'), { timeout: 15_000 }).toBe(before);
      expect(ctx.browser.errors).toEqual([]);
    } finally {
      ws.terminate();
    }
  });

  it('at 1280x720 every column of the log can be scrolled into view and read', async () => {
    const { page } = ctx.browser;
    await page.setViewportSize({ width: 1280, height: 720 });
    const ws = await chargerSession(page, 'CP-SMALL');
    try {
      await screenshot(page, 'log-1280x720');
      for (const detail of ['frame', 'handshake'] as const) {
        await page.getByTestId(`detail-tab-${detail}`).click();
        for (const id of COLUMN_IDS) {
          const header = page.getByTestId(`col-${id}`);
          await header.scrollIntoViewIfNeeded();
          // The header's middle is on screen, inside the log, and not covered by the detail pane or anything else.
          const reachable = await header.evaluate((el) => {
            const r = el.getBoundingClientRect();
            const scroller = el.closest('[data-testid=log-scroll]')!.getBoundingClientRect();
            const cx = r.left + Math.min(r.width / 2, 20);
            const cy = r.top + r.height / 2;
            const top = document.elementFromPoint(cx, cy);
            return {
              inWindow: cx >= 0 && cx <= window.innerWidth && cy >= 0 && cy <= window.innerHeight,
              inLog: cx >= scroller.left && cx <= scroller.right,
              visible: top !== null && el.contains(top),
              wide: r.width >= 40,
            };
          });
          expect({ id, detail, ...reachable }).toEqual({
            id,
            detail,
            inWindow: true,
            inLog: true,
            visible: true,
            wide: true,
          });
        }
      }
      expect(ctx.browser.errors).toEqual([]);
    } finally {
      ws.terminate();
    }
  });

  it('sorts by a column (ascending, descending, back to the order things happened)', async () => {
    const { page } = ctx.browser;
    const ws = await chargerSession(page, 'CP-SORT');
    try {
      const actions = () =>
        page.evaluate(() =>
          [...document.querySelectorAll('[data-testid=log-row]')]
            .sort((a, b) => (a as HTMLElement).offsetTop - (b as HTMLElement).offsetTop)
            .map((r) => (r as HTMLElement).dataset.seq!),
        );
      const natural = await actions();
      await page.getByTestId('sort-type').click();
      expect(await page.getByTestId('col-type').getAttribute('aria-sort')).toBe('ascending');
      const types = () =>
        page.evaluate(() =>
          [...document.querySelectorAll('[data-testid=log-row]')]
            .sort((a, b) => (a as HTMLElement).offsetTop - (b as HTMLElement).offsetTop)
            .map((r) => r.querySelector('[data-testid=cell-type]')!.textContent!),
        );
      const asc = await types();
      expect(asc).toEqual([...asc].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
      await page.getByTestId('sort-type').click();
      expect(await page.getByTestId('col-type').getAttribute('aria-sort')).toBe('descending');
      const desc = await types();
      expect(desc).toEqual([...asc].sort((a, b) => b.localeCompare(a, 'en', { sensitivity: 'base' })));
      await page.getByTestId('sort-type').click();
      expect(await page.getByTestId('col-type').getAttribute('aria-sort')).toBe('none');
      await expect.poll(actions, { timeout: 15_000 }).toEqual(natural);
      expect(ctx.browser.errors).toEqual([]);
    } finally {
      ws.terminate();
    }
  });

  it('hides keepalives with one click (ping/pong, then Heartbeat too), and names who pinged', async () => {
    const { page } = ctx.browser;
    const ws = await chargerSession(page, 'CP-KEEP');
    try {
      const pong = page.locator('[data-testid=log-row][data-kind=pong]');
      expect(await pong.getByTestId('cell-action').textContent()).toContain("station's ping");
      expect(
        await page.locator('[data-testid=log-row][data-kind=ping]').getByTestId('cell-action').textContent(),
      ).toContain('ping from the station');
      await page.getByTestId('hide-keepalives').click();
      await expect.poll(() => pong.count(), { timeout: 15_000 }).toBe(0);
      expect(await page.locator('[data-testid=log-row][data-kind=ping]').count()).toBe(0);
      expect(await page.locator('[data-testid=log-row][data-action=Heartbeat]').count()).toBe(2);
      await page.getByTestId('hide-heartbeats').check();
      await expect
        .poll(() => page.locator('[data-testid=log-row][data-action=Heartbeat]').count(), { timeout: 15_000 })
        .toBe(0);
      expect(await page.locator('[data-testid=log-row][data-action=BootNotification]').count()).toBe(2);
      // The person's own filter is untouched.
      expect(await page.getByTestId('filter').inputValue()).toBe('');
      await page.getByTestId('hide-keepalives').click();
      await expect.poll(() => pong.count(), { timeout: 15_000 }).toBe(1);
      expect(ctx.browser.errors).toEqual([]);
    } finally {
      ws.terminate();
    }
  });
});

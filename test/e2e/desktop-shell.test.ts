import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DROP_IDLE_MS } from '../../renderer/src/app/use-drop-overlay';
import { startEndpointFromUi, useServedBrowser } from './harness';

/** A small valid capture: the header and one frame of charger `identity`. */
function capture(identity: string): string {
  const header = {
    format: 'ocpp-scope-capture',
    version: 1,
    tool: 'e2e',
    created: new Date(0).toISOString(),
    connections: [
      { id: 'c1', role: 'endpoint', identity, url: `ws://127.0.0.1/${identity}`, version: '1.6' },
    ],
  };
  const frame = {
    seq: 0,
    t: 1_700_000_000_000,
    mono: 0,
    conn: 'c1',
    kind: 'frame',
    sender: 'station',
    text: '[2,"1","Heartbeat",{}]',
    msg: { type: 2, id: '1', action: 'Heartbeat' },
    findings: [],
  };
  return `${JSON.stringify(header)}\n${JSON.stringify(frame)}\n`;
}

async function openCaptures(page: Page, names: string[]): Promise<void> {
  await page.setInputFiles(
    '#global-file-input',
    names.map((name) => ({
      name: `${name}.ocppcap.jsonl`,
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(capture(name)),
    })),
  );
  await expect.poll(() => page.getByTestId('source-tab').count(), { timeout: 15_000 }).toBe(names.length + 1);
}

/** How a drag can end, as the page sees it. */
type Ending = 'dragleave' | 'escape' | 'blur' | 'dragend' | 'drop' | 'none';

/**
 * In the page, in one go (no round trips that a slow machine could stretch): a file dragged over the log, moved onto
 * a child element, then the drag ends one way. React draws a state change at its own pace, which a loaded machine
 * stretches past two frames: each check waits frame by frame (at most 300) for what it expects.
 *
 * The overlay also goes by itself DROP_IDLE_MS after the last dragover (a drag the OS ended without a word), which
 * would hide an ending that does nothing, or take the overlay away before the ending on a slow machine. Rather than
 * racing that timer with the clock, the page's idle timers are held while the drag is played: a setTimeout of
 * DROP_IDLE_MS is kept instead of armed, so nothing but the ending can take the overlay away. What is checked is
 * the state, in order: the overlay showed, stayed over the child, an idle timer was pending (held) when the drag
 * ended, and the ending took the overlay away. A held timer still pending at the end (the drag that just stops) is
 * armed then, as the app asked.
 */
const dragThenEnd = (page: Page, ending: Ending) =>
  page.evaluate(
    async ([how, idleMs]) => {
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      const frames = async () => {
        await frame();
        await frame();
      };
      const shown = () => document.querySelector('[data-testid=drop-overlay]') !== null;
      const until = async (ok: () => boolean) => {
        for (let i = 0; i < 300 && !ok(); i++) await frame();
        return ok();
      };
      // The idle timers, held: ids of their own (negative, never a real timer's), armed by no clock.
      const realSet = window.setTimeout;
      const realClear = window.clearTimeout;
      const held = new Map<number, () => void>();
      let nextId = -1;
      window.setTimeout = ((handler: TimerHandler, ms?: number, ...args: unknown[]) => {
        if (ms !== idleMs || typeof handler !== 'function') return realSet(handler, ms, ...args);
        const id = nextId--;
        held.set(id, () => (handler as (...a: unknown[]) => void)(...args));
        return id;
      }) as typeof window.setTimeout;
      window.clearTimeout = ((id?: number) => {
        if (id === undefined || !held.delete(id)) realClear(id);
      }) as typeof window.clearTimeout;
      try {
        const app = document.querySelector('[data-testid=app]')!;
        const log = document.querySelector('[data-testid=log]')!;
        const dt = new DataTransfer();
        dt.items.add(new File(['{}'], 'x.ocppcap.jsonl'));
        const dragOver = () =>
          log.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        dragOver();
        const showed = await until(shown);
        // Its listeners for Escape, blur and dragend are added after it is drawn.
        await frames();
        const child = document.querySelector('[data-testid=sidebar]');
        app.dispatchEvent(new DragEvent('dragleave', { bubbles: true, relatedTarget: child }));
        await frames();
        const stayedOverChild = shown();
        dragOver();
        await frames();
        // The idle timer is pending, and held: without it this check would race the clock again.
        const idlePending = held.size > 0;
        if (how === 'none') return { showed, stayedOverChild, idlePending };
        if (how === 'dragleave')
          app.dispatchEvent(new DragEvent('dragleave', { bubbles: true, relatedTarget: null }));
        if (how === 'escape') window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
        if (how === 'blur') window.dispatchEvent(new Event('blur'));
        if (how === 'dragend') document.dispatchEvent(new DragEvent('dragend', { bubbles: true }));
        if (how === 'drop')
          log.dispatchEvent(
            new DragEvent('drop', { dataTransfer: new DataTransfer(), bubbles: true, cancelable: true }),
          );
        const goneByEnding = await until(() => !shown());
        return { showed, stayedOverChild, idlePending, goneByEnding };
      } finally {
        window.setTimeout = realSet;
        window.clearTimeout = realClear;
        for (const run of held.values()) realSet(run, idleMs);
      }
    },
    [ending, DROP_IDLE_MS] as const,
  );

describe(
  'desktop shell: drop overlay, source tabs, sidebar (serve mode, Chromium)',
  { timeout: 120_000 },
  () => {
    const ctx = useServedBrowser();

    it('the drop overlay goes away however the drag ends: leaving, Escape, losing focus, drag end, drop, or stopping', async () => {
      const { page } = ctx.browser;
      for (const how of ['dragleave', 'escape', 'blur', 'dragend', 'drop'] as const) {
        expect({ how, ...(await dragThenEnd(page, how)) }).toEqual({
          how,
          showed: true,
          stayedOverChild: true,
          idlePending: true,
          goneByEnding: true,
        });
      }
      // A drag that just stops coming (the OS sent no dragleave) ends too: the idle timer its last dragover armed
      // takes the overlay away (nothing else is sent that could).
      expect(await dragThenEnd(page, 'none')).toEqual({
        showed: true,
        stayedOverChild: true,
        idlePending: true,
      });
      await expect.poll(() => page.getByTestId('drop-overlay').count(), { timeout: 15_000 }).toBe(0);
      expect(ctx.browser.errors).toEqual([]);
    });

    it('many source tabs scroll sideways and the active one is brought into view', async () => {
      const { page } = ctx.browser;
      await page.setViewportSize({ width: 1280, height: 720 });
      const names = Array.from(
        { length: 14 },
        (_, i) => `site-${String(i + 1).padStart(2, '0')}-charger-capture`,
      );
      await openCaptures(page, names);
      const strip = page.getByTestId('source-tabs');
      const geometry = () =>
        strip.evaluate((el) => ({
          scrollWidth: el.scrollWidth,
          clientWidth: el.clientWidth,
          left: el.scrollLeft,
        }));
      const g = await geometry();
      expect(g.scrollWidth).toBeGreaterThan(g.clientWidth);
      // The last opened is active and visible inside the strip.
      const inView = (tab: ReturnType<Page['getByTestId']>) =>
        tab.evaluate((el) => {
          const r = el.getBoundingClientRect();
          const s = el.parentElement!.getBoundingClientRect();
          return r.left >= s.left - 1 && r.right <= s.right + 1;
        });
      const last = page.getByTestId('source-tab').last();
      expect(await last.getAttribute('class')).toContain('active');
      expect(await inView(last)).toBe(true);

      // The wheel scrolls the strip sideways; clicking the first tab brings it back into view.
      await strip.hover();
      await page.mouse.wheel(0, -4000);
      await expect.poll(async () => (await geometry()).left, { timeout: 15_000 }).toBe(0);
      await page.mouse.wheel(0, 300);
      await expect.poll(async () => (await geometry()).left, { timeout: 15_000 }).toBeGreaterThan(0);
      const second = page.getByTestId('source-tab').nth(1);
      await second.click();
      expect(await inView(second)).toBe(true);
      // The header's buttons stay where they were.
      expect(await page.getByTestId('topbar-open').isVisible()).toBe(true);
      expect(ctx.browser.errors).toEqual([]);
    });

    it('the sidebar says it shows live chargers while a capture is in the log, and leads back', async () => {
      const { page } = ctx.browser;
      const port = await startEndpointFromUi(page);
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/CP-LIVE`, ['ocpp1.6']);
      try {
        await new Promise((resolve, reject) => {
          ws.once('open', resolve);
          ws.once('error', reject);
        });
        await page.locator('[data-testid=connection][data-identity="CP-LIVE"]').waitFor({ timeout: 15_000 });
        expect(await page.getByTestId('sidebar-live-note').count()).toBe(0);
        await openCaptures(page, ['yesterday']);
        const note = page.getByTestId('sidebar-live-note');
        await note.waitFor({ timeout: 15_000 });
        expect(await note.textContent()).toContain('yesterday.ocppcap.jsonl');
        await page.getByTestId('sidebar-back-to-live').click();
        await expect.poll(() => note.count(), { timeout: 15_000 }).toBe(0);
        expect(ctx.browser.errors).toEqual([]);
      } finally {
        ws.terminate();
      }
    });
  },
);

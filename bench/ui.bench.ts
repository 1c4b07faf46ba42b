// UI benchmark, in Debian's Chromium against the built renderer with the in-page fake engine (test/e2e/fake-api.ts),
// so it measures the renderer alone: time to show a million-event source, frame times while scrolling it, and a
// 10,000 frames/s flood from the live stream (nothing may be lost, the page must keep drawing).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { openWithFake, startStatic } from '../test/e2e/harness';
import type { BenchResult } from './bench-result';

const repo = fileURLToPath(new URL('..', import.meta.url));

async function ensureRendererBuilt(): Promise<void> {
  if (existsSync(`${repo}dist/renderer/index.html`)) return;
  const { build } = await import('vite');
  await build({ configFile: `${repo}renderer/vite.config.ts`, logLevel: 'warn' });
}

function p95(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
}

/** Frame intervals (ms) measured in the page with requestAnimationFrame while `work` runs. */
async function frameTimes(page: Page, durationMs: number, scroll: boolean): Promise<number[]> {
  return page.evaluate(
    ({ durationMs, scroll }) =>
      new Promise<number[]>((resolve) => {
        const el = document.querySelector('[data-testid=log-scroll]') as HTMLElement;
        const out: number[] = [];
        let last = performance.now();
        const start = last;
        const step = (now: number): void => {
          out.push(now - last);
          last = now;
          // A brisk, steady scroll: about 12 rows per frame, wrapping around near the end.
          if (scroll)
            el.scrollTop = el.scrollTop + 300 >= el.scrollHeight - el.clientHeight ? 0 : el.scrollTop + 300;
          if (now - start < durationMs) requestAnimationFrame(step);
          else resolve(out.slice(10));
        };
        requestAnimationFrame(step);
      }),
    { durationMs, scroll },
  );
}

export async function run(): Promise<BenchResult[]> {
  await ensureRendererBuilt();
  const results: BenchResult[] = [];
  const server = await startStatic();
  try {
    // A million-event capture: time from choosing it to its first rows on screen, then scrolling.
    {
      const b = await openWithFake(server.url, { captureEvents: 1_000_000, demo: false });
      try {
        const t0 = Date.now();
        await b.page.locator('[data-testid=source-tab][data-source=cap]').click();
        await b.page.locator('[data-testid=log-row][data-seq="0"]').waitFor({ timeout: 30_000 });
        const shown = Date.now() - t0;
        results.push({
          name: 'ui: show a 1,000,000-event capture',
          value: shown,
          unit: 'ms',
          target: '<= 1000 ms',
          met: shown <= 1000,
          detail: 'click on the capture tab to first rows drawn (in-page engine: renderer cost only)',
        });
        const frames = await frameTimes(b.page, 3000, true);
        const value = p95(frames);
        // rAF intervals cannot go below one vsync (16.7 ms at 60 Hz) and their timestamps are coarsened, so the
        // target is "every frame on time" with 0.5 ms of timer jitter, not a number below the display's period.
        results.push({
          name: 'ui: frame interval while scrolling 1M events, p95',
          value,
          unit: 'ms',
          target: '<= 17.2 ms (60 Hz, no dropped frames)',
          met: value <= 17.2,
          detail: `${frames.length} frames in 3 s at ~690 rows/s, max ${Math.max(...frames).toFixed(1)} ms, headless software rendering`,
        });
      } finally {
        await b.close();
      }
    }
    // A flood: 10,000 frames/s for 3 s from the live stream.
    {
      const perSecond = 10_000;
      const durationMs = 3000;
      const b = await openWithFake(server.url, {
        captureEvents: 0,
        demo: false,
        flood: { perSecond, durationMs },
      });
      try {
        await b.page.evaluate(() => (window as unknown as { __startFlood(): void }).__startFlood());
        const frames = await frameTimes(b.page, durationMs, false);
        await b.page.waitForFunction(
          () => (window as unknown as { __floodDone?: boolean }).__floodDone === true,
          undefined,
          {
            timeout: 30_000,
          },
        );
        const emitted = await b.page.evaluate(
          () => (window as unknown as { __fakeStats: { emitted: number } }).__fakeStats.emitted,
        );
        const expected = (perSecond * durationMs) / 1000;
        await b.page
          .getByTestId('log-count')
          .filter({ hasText: `${expected.toLocaleString('en-US')} events` })
          .waitFor({ timeout: 10_000 })
          .catch(() => undefined);
        const shownText = (await b.page.getByTestId('log-count').textContent()) ?? '';
        const shown = Number(shownText.replace(/[^0-9]/g, ''));
        results.push({
          name: 'ui: flood of 10,000 frames/s, events shown / emitted',
          value: emitted > 0 ? shown / emitted : 0,
          unit: 'ratio',
          target: '= 1 (nothing lost)',
          met: shown === emitted && emitted === expected,
          detail: `${emitted} emitted, ${shown} shown`,
        });
        const value = p95(frames);
        results.push({
          name: 'ui: frame interval during the flood, p95',
          value,
          unit: 'ms',
          target: '< 50 ms (stays responsive)',
          met: value < 50,
          detail: `${frames.length} frames in ${durationMs / 1000} s, max ${Math.max(...frames).toFixed(1)} ms`,
        });
      } finally {
        await b.close();
      }
    }
  } finally {
    await server.close();
  }
  return results;
}

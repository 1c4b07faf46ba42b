// UI benchmark, in Debian's Chromium against the built renderer with the in-page fake engine (test/e2e/fake-api.ts),
// so it measures the renderer alone: time to show a million-event source, frame times while scrolling it, and a
// 10,000 frames/s flood from the live stream (nothing may be lost, the page must keep drawing).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { defaultEndpointSettings } from '../shared/api-defaults';
import { openBrowser, openWithFake, startServe, startStatic } from '../test/e2e/harness';
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
  results.push(...(await liveFlood()));
  return results;
}

/**
 * The whole path under load: a raw WebSocket charger floods the real endpoint with Heartbeat CALLs (5,000/s, each
 * answered by the engine, so 10,000 frames/s), the engine batches them over the serve bridge, and the page must
 * show every one of them while it keeps drawing.
 */
async function liveFlood(): Promise<BenchResult[]> {
  const callsPerSecond = 5000;
  const seconds = 3;
  const calls = callsPerSecond * seconds;
  const served = await startServe();
  const b = await openBrowser(served.url);
  try {
    const status = await served.engine.startEndpoint({
      ...defaultEndpointSettings(),
      host: '127.0.0.1',
      port: 0,
      pingIntervalSec: 0,
      limits: { maxFrameBytes: 1024 * 1024, maxFramesPerSec: 1_000_000, maxConnections: 10 },
    });
    const ws = new WebSocket(`ws://127.0.0.1:${status.port}/ocpp/FLOOD`, ['ocpp1.6']);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    let answers = 0;
    ws.on('message', () => answers++);
    const framesDuring = frameTimes(b.page, seconds * 1000, false);
    const started = Date.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const due = Math.min(calls, Math.floor(((Date.now() - started) / 1000) * callsPerSecond));
        for (; sent < due; sent++) ws.send(`[2,"h${sent}","Heartbeat",{}]`);
        if (sent < calls) setTimeout(tick, 10);
        else resolve();
      };
      tick();
    });
    const sendMs = Date.now() - started;
    const frames = await framesDuring;
    // Every CALL and every answer, plus the `opened` event, must reach the page.
    const expected = 2 * calls + 1;
    const countShown = async (): Promise<number> =>
      Number(((await b.page.getByTestId('log-count').textContent()) ?? '').replace(/[^0-9]/g, ''));
    // Wait (bounded) for the page to show them all, checked in the page at each animation frame.
    await b.page
      .waitForFunction(
        (n) =>
          Number(
            (document.querySelector('[data-testid=log-count]')?.textContent ?? '').replace(/[^0-9]/g, ''),
          ) >= n,
        expected,
        { timeout: 60_000, polling: 'raf' },
      )
      .catch(() => undefined);
    const shown = await countShown();
    const lag = Date.now() - started - sendMs;
    ws.close();
    const value = p95(frames);
    return [
      {
        name: 'ui+engine: 10,000 frames/s from a live charger, events shown / recorded',
        value: shown / expected,
        unit: 'ratio',
        target: '= 1 (nothing lost)',
        met: shown === expected,
        detail: `${calls} CALLs in ${(sendMs / 1000).toFixed(1)} s, ${answers} answers received by the charger, ${shown} of ${expected} events shown, last one ${lag} ms after the flood ended`,
      },
      {
        name: 'ui+engine: frame interval during the live flood, p95',
        value,
        unit: 'ms',
        target: '< 50 ms (stays responsive)',
        met: value < 50,
        detail: `${frames.length} frames, max ${Math.max(...frames).toFixed(1)} ms`,
      },
    ];
  } finally {
    await b.close();
    await served.close();
  }
}

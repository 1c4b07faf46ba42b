import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng, mutateBytes, mutateText, seedCapture, seedHar, seedPcap } from './corpus';
import { runInput } from './targets';
import { Watchdog } from './watchdog';
import type { Kind } from './targets';

/**
 * Mutated captures, HARs and pcaps through every open, page, search, export, inspect and convert path: 0 crashes,
 * no input slower than 5 s, RSS under 1 GiB. `npm test` runs a bounded share (FUZZ_BUDGET_MS per kind, default
 * 2.5 s); `npm run fuzz` runs FUZZ_ITERATIONS (10^5) of each. A crash names its seed and saves the input.
 */

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 0);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 2500);
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const HANG_MS = 5000;
const RSS_LIMIT = 1 << 30;
const CLI_EVERY = 25;
const SLOW_KEEP_MS = 500;
// An input still running this long is a hang: the watchdog saves it and stops the process (see watchdog.ts).
const WATCHDOG_MS = 4 * HANG_MS;

const dir = mkdtempSync(join(tmpdir(), 'ocpp-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seeds: Record<Kind, () => Uint8Array> = {
  capture: () => new TextEncoder().encode(seedCapture()),
  har: () => new TextEncoder().encode(seedHar()),
  pcap: () => seedPcap(),
};

async function fuzz(
  kind: Kind,
): Promise<{ runs: number; crashes: string[]; slowest: number; slowestAt: number; maxRss: number }> {
  const seed = seeds[kind]();
  const seedText = kind === 'pcap' ? '' : new TextDecoder().decode(seed);
  const crashes: string[] = [];
  let slowest = 0;
  let slowestAt = -1;
  let maxRss = 0;
  const started = performance.now();
  let runs = 0;
  const watchdog = new Watchdog(kind, WATCHDOG_MS, join(tmpdir(), `ocpp-fuzz-hang-${kind}-`));
  for (let i = 0; ITERATIONS > 0 ? i < ITERATIONS : performance.now() - started < BUDGET_MS; i++) {
    const rng = new Rng(SEED ^ Math.imul(i + 1, 0x9e3779b1));
    const input = kind === 'pcap' ? mutateBytes(seed, rng) : mutateText(seedText, rng);
    const t0 = performance.now();
    watchdog.begin(i, input);
    try {
      await runInput(kind, input, dir, i, i % CLI_EVERY === 0);
    } catch (e) {
      const saved = join(tmpdir(), `ocpp-fuzz-crash-${kind}-${i}`);
      writeFileSync(saved, input);
      crashes.push(
        `${kind} #${i} (saved ${saved}): ${(e as Error)?.stack?.split('\n').slice(0, 3).join(' | ')}`,
      );
      if (crashes.length >= 5) break;
    }
    watchdog.end();
    const took = performance.now() - t0;
    if (took > slowest) {
      slowest = took;
      slowestAt = i;
      // The slowest input so far is kept, so a slow one is reproduced without re-running the corpus.
      if (ITERATIONS > 0 && took > SLOW_KEEP_MS)
        writeFileSync(join(tmpdir(), `ocpp-fuzz-slowest-${kind}`), input);
    }
    if (i % 200 === 0) maxRss = Math.max(maxRss, process.memoryUsage.rss());
    runs++;
  }
  await watchdog.stop();
  maxRss = Math.max(maxRss, process.memoryUsage.rss());
  if (ITERATIONS > 0)
    console.log(
      `${kind}: ${runs} mutated inputs (seed ${SEED}), ${crashes.length} crashes, slowest ${Math.round(slowest)} ms (#${slowestAt}), ` +
        `max RSS ${Math.round(maxRss / 2 ** 20)} MiB`,
    );
  return { runs, crashes, slowest, slowestAt, maxRss };
}

describe('file fuzzing (mutated corpora generated here)', () => {
  for (const kind of ['capture', 'har', 'pcap'] as const) {
    it(
      `${kind}: no crash, no hang, bounded memory`,
      async () => {
        const r = await fuzz(kind);
        expect(r.crashes).toEqual([]);
        expect(r.runs).toBeGreaterThan(ITERATIONS > 0 ? ITERATIONS - 1 : 10);
        expect(r.slowest).toBeLessThan(HANG_MS);
        expect(r.maxRss).toBeLessThan(RSS_LIMIT);
      },
      ITERATIONS > 0 ? 0 : 60_000,
    );
  }

  it('the seeds are realistic: each opens with its frames and no findings', async () => {
    const { openSourceData } = await import('../../electron/engine/capture/open-source');
    for (const kind of ['capture', 'har', 'pcap'] as const) {
      const s = openSourceData(`seed.${kind === 'capture' ? 'ocppcap.jsonl' : kind}`, seeds[kind](), kind);
      await s.whenIndexed();
      const frames = (await s.query({}, 0, 100)).events.filter((e) => e.kind === 'frame');
      expect(frames.length, kind).toBeGreaterThanOrEqual(4);
      expect(s.info().findings, kind).toEqual([]);
    }
  });
});

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng, mutateText } from './corpus';
import { frameSeeds, runFrame } from './frame-targets';
import { Watchdog } from './watchdog';

/**
 * Mutated frames of every version and action through the analysis pipeline, redaction, replay diff, terminal text
 * and JSON view: 0 crashes, no hang. `npm test` runs a bounded share (FUZZ_BUDGET_MS, default 2.5 s, and at least
 * MIN_RUNS frames however slow the machine); `npm run fuzz` runs FUZZ_FRAMES (default FUZZ_ITERATIONS). A crash
 * names its index.
 *
 * No assertion reads a clock: how long a frame took measures the machine as much as the frame (on a shared machine
 * the slowest of the same 3,000 frames took 754 ms in one run and 316 ms in the next, a different frame each time).
 * A frame that never ends (or as good as: an endless loop, a regular expression backtracking without end) is caught
 * by the watchdog, which stops the process with the frame saved. The slowest frame of a full run is still printed,
 * to look at.
 */

const ITERATIONS = Number(process.env.FUZZ_FRAMES ?? Number(process.env.FUZZ_ITERATIONS ?? 0));
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 2500);
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
/** Frames `npm test` runs even when the budget runs out first (a slow or loaded machine). */
const MIN_RUNS = 200;
// A frame still running after this long is a hang: the watchdog saves it and stops the process (see watchdog.ts).
// Not an assertion of speed: a frame of a few KB that takes this long is as good as one that never ends.
const WATCHDOG_MS = 10_000;

describe('frame fuzzing (mutated frames of every version and action)', () => {
  it(
    'no crash, no hang',
    async () => {
      const seeds = frameSeeds();
      const watchdog = new Watchdog('frame', WATCHDOG_MS, join(tmpdir(), 'ocpp-fuzz-hang-frame-'));
      const decoder = new TextDecoder();
      const crashes: string[] = [];
      let slowest = 0;
      let slowestAt = -1;
      let runs = 0;
      const started = performance.now();
      for (
        let i = 0;
        ITERATIONS > 0 ? i < ITERATIONS : i < MIN_RUNS || performance.now() - started < BUDGET_MS;
        i++
      ) {
        const rng = new Rng(SEED ^ Math.imul(i + 1, 0x9e3779b1));
        const seed = rng.pick(seeds);
        // Up to three rounds of damage, so inputs wander further from a valid frame than one edit takes them.
        let text = seed.text;
        for (let k = 1 + rng.int(3); k > 0; k--) text = decoder.decode(mutateText(text, rng));
        const t0 = performance.now();
        watchdog.beginText(i, text);
        try {
          runFrame(seed, text);
        } catch (e) {
          crashes.push(
            `#${i} ${JSON.stringify(text.slice(0, 200))}: ${(e as Error)?.stack?.split('\n').slice(0, 3).join(' | ')}`,
          );
          if (crashes.length >= 5) break;
        }
        watchdog.end();
        const took = performance.now() - t0;
        if (took > slowest) [slowest, slowestAt] = [took, i];
        runs++;
      }
      await watchdog.stop();
      if (ITERATIONS > 0)
        console.log(
          `frames: ${runs} mutated frames (seed ${SEED}, ${seeds.length} seed frames), ${crashes.length} crashes, ` +
            `slowest ${Math.round(slowest)} ms (#${slowestAt})`,
        );
      expect(crashes).toEqual([]);
      expect(runs).toBeGreaterThanOrEqual(ITERATIONS > 0 ? ITERATIONS : MIN_RUNS);
    },
    ITERATIONS > 0 ? 0 : 60_000,
  );
});

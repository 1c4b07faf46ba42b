import fs, { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng, mutateBytes, mutateText, seedCapture, seedHar, seedPcap } from './corpus';
import { runInput } from './targets';
import { Watchdog } from './watchdog';
import type { Kind } from './targets';

/**
 * Mutated captures, HARs and pcaps through every open, page, search, export, inspect and convert path: 0 crashes,
 * no hang, each input read from disk a bounded number of times over, RSS under 1 GiB. `npm test` runs a bounded
 * share (FUZZ_BUDGET_MS per kind, default 2.5 s, and at least MIN_RUNS inputs however slow the machine); `npm run
 * fuzz` runs FUZZ_ITERATIONS (10^5) of each. A crash names its seed and saves the input.
 *
 * No assertion reads a clock: how long an input took measures the machine as much as the input (a loaded CI
 * machine stretched harmless inputs past a second). A hang is caught by the watchdog, which stops the process with
 * the input saved; work that grows with something other than the input's size is caught where it is counted: the
 * bytes read from disk (see READ_PASSES). The slowest input of a full run is still printed and kept, to look at.
 */

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 0);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 2500);
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
/** Inputs each kind runs in `npm test` even when the budget runs out first (a slow or loaded machine). */
const MIN_RUNS = 50;
const RSS_LIMIT = 1 << 30;
const CLI_EVERY = 25;
const SLOW_KEEP_MS = 500;
// An input still running after this long is a hang: the watchdog saves it and stops the process (see watchdog.ts).
// Not an assertion of speed: the slowest input of a full run on a loaded machine took 1.2 s (see README).
const WATCHDOG_MS = 20_000;
/**
 * The bytes one input may make the tool read from disk: READ_PASSES times its size, plus READ_SLACK. All the paths
 * together (the indexed open, paging, search, every event, two exports; on every CLI_EVERY-th input also the serve
 * open, inspect twice and convert) read a file up to some 45 times over, plus a few KB of their own (spools): in
 * 5,000 inputs of each kind (seed 0x5eed) none used more than 44% of this bound. Reading that grows with the number
 * of lines, damaged lines or records (a re-read from the start for each, as once happened; see README) is many
 * passes more. A count, not a clock: the same input reads the same bytes on any machine.
 */
const READ_PASSES = 64;
const READ_SLACK = 64 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'ocpp-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seeds: Record<Kind, () => Uint8Array> = {
  capture: () => new TextEncoder().encode(seedCapture()),
  har: () => new TextEncoder().encode(seedHar()),
  pcap: () => seedPcap(),
};

async function fuzz(kind: Kind): Promise<{
  runs: number;
  crashes: string[];
  overRead: string[];
  slowest: number;
  slowestAt: number;
  maxRss: number;
}> {
  const seed = seeds[kind]();
  const seedText = kind === 'pcap' ? '' : new TextDecoder().decode(seed);
  const crashes: string[] = [];
  const overRead: string[] = [];
  let slowest = 0;
  let slowestAt = -1;
  let maxRss = 0;
  const started = performance.now();
  let runs = 0;
  const watchdog = new Watchdog(kind, WATCHDOG_MS, join(tmpdir(), `ocpp-fuzz-hang-${kind}-`));
  for (
    let i = 0;
    ITERATIONS > 0 ? i < ITERATIONS : i < MIN_RUNS || performance.now() - started < BUDGET_MS;
    i++
  ) {
    const rng = new Rng(SEED ^ Math.imul(i + 1, 0x9e3779b1));
    const input = kind === 'pcap' ? mutateBytes(seed, rng) : mutateText(seedText, rng);
    const t0 = performance.now();
    const read0 = readMeter.bytes;
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
    const read = readMeter.bytes - read0;
    if (read > READ_PASSES * input.length + READ_SLACK && overRead.length < 5) {
      const saved = join(tmpdir(), `ocpp-fuzz-reads-${kind}-${i}`);
      writeFileSync(saved, input);
      overRead.push(
        `${kind} #${i} (saved ${saved}): ${read} bytes read from disk for an input of ${input.length}`,
      );
    }
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
  return { runs, crashes, overRead, slowest, slowestAt, maxRss };
}

/**
 * Counts the bytes read from disk in this process, at node:fs: FileHandle reads (the indexed captures, spools),
 * fs.read (read streams), readSync and fs/promises readFile. A lower bound of the tool's reading (a way in not
 * counted here is missed, never invented), and the same on every machine for the same input.
 */
const readMeter = {
  bytes: 0,
  restore: [] as (() => void)[],
};

beforeAll(async () => {
  const count = (n: unknown): void => {
    if (typeof n === 'number') readMeter.bytes += n;
  };
  const patch = <T extends object, K extends keyof T>(
    target: T,
    key: K,
    wrap: (real: T[K]) => T[K],
  ): void => {
    const real = target[key];
    target[key] = wrap(real);
    readMeter.restore.push(() => {
      target[key] = real;
    });
  };
  type Fn = (...args: unknown[]) => unknown;
  const probe = await fsp.open(join(dir, 'probe'), 'w+');
  const handleProto = Object.getPrototypeOf(probe) as { read: Fn };
  await probe.close();
  patch(
    handleProto,
    'read',
    (real) =>
      async function (this: unknown, ...args: unknown[]) {
        const r = (await real.apply(this, args)) as { bytesRead: number };
        count(r.bytesRead);
        return r;
      },
  );
  const fsFns = fs as unknown as Record<'read' | 'readSync', Fn>;
  patch(fsFns, 'read', (real) => (...args: unknown[]) => {
    const done = args.at(-1);
    if (typeof done === 'function')
      args[args.length - 1] = (err: unknown, n: unknown, ...rest: unknown[]) => {
        if (!err) count(n);
        return (done as Fn)(err, n, ...rest);
      };
    return real(...args);
  });
  patch(fsFns, 'readSync', (real) => (...args: unknown[]) => {
    const n = real(...args);
    count(n);
    return n;
  });
  patch(fsp as unknown as Record<'readFile', Fn>, 'readFile', (real) => async (...args: unknown[]) => {
    const data = (await real(...args)) as { length: number };
    count(data.length);
    return data;
  });
  // The named imports of node:fs (and node:fs/promises) in the code under test follow these objects from here on.
  syncBuiltinESMExports();
});

afterAll(() => {
  for (const undo of readMeter.restore.splice(0).reverse()) undo();
  syncBuiltinESMExports();
});

describe('file fuzzing (mutated corpora generated here)', () => {
  for (const kind of ['capture', 'har', 'pcap'] as const) {
    it(
      `${kind}: no crash, no hang, bounded memory`,
      async () => {
        const r = await fuzz(kind);
        expect(r.crashes).toEqual([]);
        expect(r.runs).toBeGreaterThanOrEqual(ITERATIONS > 0 ? ITERATIONS : MIN_RUNS);
        expect(r.overRead).toEqual([]);
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

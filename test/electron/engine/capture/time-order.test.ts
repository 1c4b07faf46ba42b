import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DecodedSpool } from '../../../../electron/engine/capture/decoded-spool';
import { timeOrderSteps } from '../../../../electron/engine/capture/time-order';
import { runInOneGo } from '../../../../electron/engine/pcap/run-giving-turns';
import { Rng } from '../../../fuzz/corpus';
import { countTurns } from '../../../support/loop-turns';
import { suiteTempDir } from '../../../support/temp-dirs';

const dir = suiteTempDir('time-order');

/** What the spool sorted with before (Array sort, stable by index). */
function reference(t: Float64Array): number[] {
  return Array.from({ length: t.length }, (_, i) => i).sort((a, b) => t[a]! - t[b]! || a - b);
}

/**
 * setImmediate turns counted while `work` runs (other work, a charger's frames, gets these), and how many had come
 * when the first file read began (a read in flight spins the loop too: turns before it are the sort's).
 */
async function turnsDuring<T>(
  work: () => Promise<T>,
): Promise<{ value: T; turns: number; beforeRead: number }> {
  let beforeRead: number | undefined;
  const probe = await open(join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { read: (...args: unknown[]) => Promise<unknown> };
  await probe.close();
  const read = proto.read;
  const counter = countTurns();
  const spy = vi.spyOn(proto, 'read').mockImplementation(function (this: unknown, ...args: unknown[]) {
    beforeRead ??= counter.turns;
    return read.apply(this, args);
  });
  try {
    const value = await work();
    const turns = counter.stop();
    return { value, turns, beforeRead: beforeRead ?? turns };
  } finally {
    counter.stop();
    spy.mockRestore();
  }
}

describe('the time order of decoded events', () => {
  it('is the stable sort by time: random times with many ties, in order, reversed, nearly in order, empty', () => {
    const rng = new Rng(7);
    const n = 20_000;
    const cases: Float64Array[] = [
      Float64Array.from({ length: n }, () => rng.int(500)),
      Float64Array.from({ length: n }, (_, i) => i),
      Float64Array.from({ length: n }, (_, i) => n - i),
      Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? i - 50.5 : i)),
      new Float64Array(0),
      Float64Array.from([3]),
    ];
    for (const t of cases) expect([...runInOneGo(timeOrderSteps(t, t.length))]).toEqual(reference(t));
  });

  it('gives the event loop turns while 300,000 events out of order are sorted, and hands them back in order', async () => {
    const n = 300_000;
    const rng = new Rng(11);
    const spool = await DecodedSpool.create(join(dir, 'decoded.jsonl'));
    try {
      // Out of order throughout, as interleaved interfaces are, yet near the decode order (a few lines apart).
      const times = Float64Array.from({ length: n }, (_, i) => 1_700_000_000_000 + i + rng.int(64));
      for (let i = 0; i < n; i++)
        spool.push({ kind: 'note', conn: 'c', t: times[i]!, source: 'engine', text: String(i) });
      const batches = spool.ordered();
      // The sort runs before the first read of the file.
      const first = await turnsDuring(() => batches.next());
      // Without the steps the sort is one macrotask: no turn before the read.
      // (At least one turn every 8 steps of 65,536 moves: about 5 million moves here.)
      expect(first.beforeRead).toBeGreaterThanOrEqual(8);
      const order: number[] = [];
      for (const e of first.value.value ?? []) order.push(Number((e as { text: string }).text));
      for await (const batch of batches)
        for (const e of batch) order.push(Number((e as { text: string }).text));
      expect(order).toEqual(reference(times));
    } finally {
      await spool.dispose();
    }
  }, 60_000);
});

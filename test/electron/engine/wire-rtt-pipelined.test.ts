import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { FrameEvent } from '../../../shared/capture/events';
import { schemasReady } from '../../../electron/engine/connections/schema-warmup';
import { MAX_CORK_MS } from '../../../electron/engine/connections/connection';
import { Harness } from './engine-harness';
import { stopMeasuring, TOLERANCE_MS, toolRtts, waitedNow } from './wire-rtt-measure';
import { matchStdout, stopChild } from '../../support/child-process';
import { Wake } from '../../support/wake';

/**
 * A charger that sends its calls pipelined (a queue flushed after a reconnect: a thousand calls in one write) gets
 * its answers while the tool still works through the rest. Each answer's RTT is from the call's read to the answer
 * handed to the socket; held back in a cork until the whole read was handled, the first answers left tens of
 * milliseconds after their time and the RTT the tool showed for them was that much short. The charger runs in a
 * process of its own (test/support/burst-peer.mjs) and notes when each answer's bytes reached it.
 */

const CALLS = 1000;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(stopMeasuring);

describe('RTT of pipelined calls, against a charger in another process', () => {
  it(`a burst of ${CALLS} calls in one write: the RTT of every call of the first read agrees with the charger's within ${TOLERANCE_MS} ms`, async () => {
    expect(MAX_CORK_MS).toBeLessThan(TOLERANCE_MS);
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ protocols: ['1.6'] });
    await schemasReady(['1.6']);
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('../../support/burst-peer.mjs', import.meta.url)), `${url}BURST`, 'ocpp1.6'],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    cleanups.push(() => {
      child.stdin.end();
      return stopChild(child);
    });
    const lines: string[] = [];
    const wake = new Wake();
    let rest = '';
    child.stdout.on('data', (d: Buffer) => {
      const got = (rest + d.toString('latin1')).split('\n');
      rest = got.pop()!;
      lines.push(...got);
      wake.notify();
    });
    await matchStdout(child, /^open$/m, 'the charger being connected');
    const conn = (await h.waitFor((e) => e.kind === 'opened' && e.ok)).conn;

    const waited0 = waitedNow();
    child.stdin.write(`burst ${CALLS}\n`);
    await wake.until(`${CALLS} answers told by the charger`, () => lines.length >= CALLS + 1, 30_000);
    const waitedHere = waitedNow() - waited0;

    const sent = lines.find((l) => l.startsWith('sent '))!.split(' ');
    const sentAt = Number(sent[1]);
    const waitedThere = Number(sent[2]);
    const wire = new Map<string, number>();
    for (const l of lines) {
      const [word, id, t] = l.split(' ');
      if (word === 'answer') wire.set(id!, Number(t) - sentAt);
    }
    const frames = h.of('frame', conn) as FrameEvent[];
    const tool = toolRtts(h, conn);
    expect(tool.size).toBe(CALLS);
    expect(wire.size).toBe(CALLS);
    // Compared: the calls of the first read. A later read's calls waited in the kernel while the tool handled the
    // first one; the tool cannot see that wait (its time at the wire is its read), the charger counts it in.
    const requests = frames.filter((e) => e.sender === 'station' && e.msg?.type === 2);
    const firstRead = requests[0]!.mono;
    const compared = new Set(requests.filter((e) => e.mono === firstRead).map((e) => e.msg!.id));
    expect(compared.size).toBeGreaterThanOrEqual(100);
    for (const id of [...tool.keys()]) if (!compared.has(id)) tool.delete(id);

    // The time either process waited for a CPU during the burst is wall time neither side spent: allowed for.
    const allowed = TOLERANCE_MS + waitedHere + waitedThere;
    const off: string[] = [];
    for (const [id, rtt] of tool) {
      const w = wire.get(id)!;
      if (Math.abs(rtt - w) > allowed) off.push(`${id}: tool ${rtt.toFixed(3)} ms, wire ${w.toFixed(3)} ms`);
    }
    expect(
      off.slice(0, 10).join('\n') + (off.length > 10 ? `\n... ${off.length} in all` : ''),
      `allowed ${allowed.toFixed(3)} ms`,
    ).toBe('');
  }, 60_000);
});

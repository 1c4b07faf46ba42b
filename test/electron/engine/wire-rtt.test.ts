import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { actionsSentBy } from '../../../shared/ocpp/actions';
import { exampleRequest } from '../../../shared/ocpp/examples';
import { SUBPROTOCOL_OF } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { schemasReady } from '../../../electron/engine/connections/schema-warmup';
import { Harness } from './engine-harness';
import { exitWithin, stopChild } from '../../support/child-process';
import type { FirstUseRole } from './wire-rtt-first-use';
import {
  answerAtOnce,
  bareCsms,
  chargerSendsEach,
  disagreements,
  opened,
  runCleanups,
  stopMeasuring,
  timedCall,
  toolRtts,
  wireRoundTrips,
} from './wire-rtt-measure';
import type { Cleanups } from './wire-rtt-measure';

/**
 * The RTT the tool reports is the time between the request crossing the wire and the answer crossing it back: the
 * tool's own parsing, validation (including an action's first use) and recording are not in it. Bare ws peers answer
 * at once and measure at their own socket, first in a process of their own (test/support/instant-peer.mjs: they
 * answer while the tool is still at work, so its work would show), then in this thread (one clock for both sides).
 * The tool's figure must agree with the peer's within 2 ms on every call (see expectEveryCallAgrees); how the time
 * a process waited for a CPU is told from the tool's own work is in wire-rtt-measure.ts.
 */

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));
afterAll(() => stopMeasuring());

/**
 * Every call must agree. A virtual machine's CPU can be taken from it by its host (steal time), which neither the
 * wall clock nor this thread's CPU time can tell from work: a run in which a call disagrees is run again, on a fresh
 * endpoint and peer, up to ATTEMPTS runs in all, and the test fails unless one run agrees on every call. A defect of
 * the tool (a stamp taken after its own parsing, validation or recording, a read delayed by its work) is in every
 * run, and fails them all: every run's disagreements are in the failure message. Where a check is about each
 * action's first use, every run is a first use (a process of its own, see firstUseRun): a stall on first use is in
 * every run too, and cannot hide behind a run taken again.
 */
const ATTEMPTS = 5;

async function expectEveryCallAgrees(run: () => Promise<string[]>): Promise<void> {
  const runs: string[][] = [];
  for (let i = 0; i < ATTEMPTS; i++) {
    const off = await run();
    if (off.length === 0) return;
    runs.push(off);
    // Said in the log, so that a run taken again is never silent.
    console.warn(`RTT run ${i + 1} of ${ATTEMPTS} disagreed on ${off.length} call(s):\n${off.join('\n')}`);
    await runCleanups(cleanups);
  }
  expect(runs.map((off, i) => `run ${i + 1}:\n${off.join('\n')}`).join('\n')).toBe('');
}

const FIRST_USE = fileURLToPath(new URL('./wire-rtt-first-use.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));
/** A bound on one run's process (starting it loads the engine from source), so that a hung run fails instead of waiting. */
const RUN_BOUND_MS = 60_000;

/**
 * One run of a first-use check, in a process of its own (wire-rtt-first-use.ts): the calls on which the tool and
 * the peer disagreed. A run that does not end as it should (an exception, no result) fails the test at once: that
 * is not noise a run taken again would excuse.
 */
async function firstUseRun(role: FirstUseRole): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIRST_USE, role], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => stopChild(child));
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
  const exit = await exitWithin(child, RUN_BOUND_MS);
  const result = /^disagreements (.*)$/m.exec(out);
  if (exit?.code !== 0 || !result)
    throw new Error(
      `the ${role} run ${exit ? `exited with ${exit.code ?? exit.signal}` : `had not ended after ${RUN_BOUND_MS} ms`}:\n${out}${err}`,
    );
  return JSON.parse(result[1]!) as string[];
}

/**
 * With the peer in another process, it answers while the tool is still at work on the call it just sent (validating
 * it, on each action's first use too, recording it, showing it to the rules): that work would show as a late read
 * of the answer, in the tool's figure only. Each run is a process of its own, so each holds each action's first use.
 */
describe('RTT measured at the wire, against a peer in another process, each action on its first use', () => {
  it('endpoint: every CSMS action of 2.0.1, each on its first use, agrees with the charger process', async () => {
    await expectEveryCallAgrees(() => firstUseRun('endpoint'));
  }, 120_000);

  it('station: every charger action of 1.6, each on its first use, agrees with the CSMS process', async () => {
    await expectEveryCallAgrees(() => firstUseRun('station'));
  }, 120_000);

  it('proxy: every charger action of 2.1, each on its first use, agrees with the CSMS process', async () => {
    await expectEveryCallAgrees(() => firstUseRun('proxy'));
  }, 120_000);
});

/**
 * With the peer in this thread, the clocks of both sides are one; the peer reads a request only after the tool's
 * work on it is done (see wireRoundTrips).
 */
describe('RTT measured at the wire, against a peer in this process', () => {
  it('endpoint: every CSMS action of 2.0.1 agrees with the charger', async () => {
    const v: OcppVersion = '2.0.1';
    await expectEveryCallAgrees(async () => {
      const h = new Harness();
      cleanups.push(() => h.close());
      const url = await h.listen({ protocols: [v] });
      const peer = new WebSocket(`${url}RTT1`, [SUBPROTOCOL_OF[v]]);
      cleanups.push(() => peer.terminate());
      const wrote = new Map<string, number>();
      const sentAt = new Map<string, number>();
      await opened(peer);
      answerAtOnce(peer, wrote);
      const id = (await h.waitFor((e) => e.kind === 'opened' && e.ok)).conn;
      // On a loaded machine a charger may be accepted before the warm-up ends (after WARM_WAIT_MS): let it finish.
      await schemasReady([v]);
      const conn = h.hub.get(id)!;
      const actions = actionsSentBy(v, 'csms').map((a) => a.name);
      const stolen = new Map<string, number>();
      for (const action of actions) {
        // Built first: the peer's figure starts from just before the tool is asked to send.
        const payload = exampleRequest(v, action);
        await timedCall(stolen, () => conn.sendCall(action, payload, 10), sentAt);
      }
      return disagreements(toolRtts(h, id), wireRoundTrips(sentAt, wrote), stolen, actions.length);
    });
  }, 90_000);

  it('station: every charger action of 1.6 agrees with the CSMS', async () => {
    const v: OcppVersion = '1.6';
    await expectEveryCallAgrees(async () => {
      const wrote = new Map<string, number>();
      const sentAt = new Map<string, number>();
      const csms = await bareCsms(wrote, cleanups);
      const h = new Harness();
      cleanups.push(() => h.close());
      const conn = await h.station.connect({ url: `${csms}RTT2`, protocols: [v] });
      expect(conn.isOpen).toBe(true);
      await schemasReady([v]);
      const actions = actionsSentBy(v, 'station').map((a) => a.name);
      const stolen = new Map<string, number>();
      for (const action of actions) {
        const payload = exampleRequest(v, action);
        await timedCall(stolen, () => conn.sendCall(action, payload, 10), sentAt);
      }
      return disagreements(toolRtts(h, conn.id), wireRoundTrips(sentAt, wrote), stolen, actions.length);
    });
  }, 90_000);

  it('proxy: every charger action of 2.1 agrees with the round trip from the charger to the CSMS', async () => {
    const v: OcppVersion = '2.1';
    await expectEveryCallAgrees(async () => {
      const wrote = new Map<string, number>();
      const sentAt = new Map<string, number>();
      const csms = await bareCsms(wrote, cleanups);
      const h = new Harness();
      cleanups.push(() => h.close());
      const url = await h.listen({ protocols: [v], upstream: { url: csms } });
      const charger = new WebSocket(`${url}RTT3`, [SUBPROTOCOL_OF[v]]);
      cleanups.push(() => charger.terminate());
      await opened(charger);
      await schemasReady([v]);
      const stolen = new Map<string, number>();
      const actions = await chargerSendsEach(charger, v, stolen, sentAt);
      const conn = h.hub.proxyList()[0]!;
      // The tool's RTT runs from its read of the charger's request to its read of the CSMS's answer: from the
      // charger's send to the CSMS's answer, less the request's way into the tool. (The charger's own figure would
      // also hold the tool's work on the answer after forwarding it, which a charger in another process would not
      // wait for, but one in this thread does.)
      return disagreements(toolRtts(h, conn.id), wireRoundTrips(sentAt, wrote), stolen, actions.length);
    });
    // Bounded above the default: up to ATTEMPTS runs, each seconds long on a loaded machine.
  }, 90_000);
});

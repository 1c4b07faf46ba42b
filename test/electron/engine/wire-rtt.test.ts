import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { FrameEvent } from '../../../shared/capture/events';
import { actionsSentBy } from '../../../shared/ocpp/actions';
import { exampleRequest } from '../../../shared/ocpp/examples';
import { SUBPROTOCOL_OF } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { schemasReady } from '../../../electron/engine/connections/schema-warmup';
import { Harness } from './engine-harness';
import type { CallOutcome } from '../../../electron/engine/connections/connection';
import { matchStdout, stopChild } from '../../support/child-process';
import { Wake } from '../../support/wake';

/**
 * The RTT the tool reports is the time between the request crossing the wire and the answer crossing it back: the
 * tool's own parsing, validation (including an action's first use) and recording are not in it. Bare ws peers answer
 * at once and measure at their own socket, first in a process of their own (test/support/instant-peer.mjs: they
 * answer while the tool is still at work, so its work would show), then in this thread (one clock for both sides).
 * The tool's figure must agree with the peer's on every call (see expectEveryCallAgrees).
 *
 * The machine running the tests is shared (2 cores, many processes): while a process waits for a CPU, wall time
 * passes that neither side spent. That time (this thread's wall minus its CPU time over the call, and the peer
 * process's own wait for a CPU) is added to the tolerance; everything the tool itself did (parsing, validating,
 * recording, compiling) is not.
 */

const TOLERANCE_MS = 2;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A peer that answers every CALL at once with `[3,id,{}]`, noting when it handed each answer to its socket. */
function answerAtOnce(ws: WebSocket, wrote: Map<string, number>): void {
  ws.on('message', (data) => {
    const f = JSON.parse(String(data)) as unknown[];
    if (f[0] !== 2) return;
    ws.send(JSON.stringify([3, f[1], {}]));
    wrote.set(String(f[1]), performance.now());
  });
}

/**
 * What the tool's RTT must agree with: from just before the tool was asked to send (it writes first, then analyses)
 * to when the peer handed its answer to the socket. Both sides share this process, so the peer reads the request
 * only after the tool's work after writing it; measured from the tool's write, that time is on the wire, as it
 * would be for a peer of its own. What remains is the tool's own stamping: late reads or late writes show.
 */
function wireRoundTrips(sentAt: Map<string, number>, wrote: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, t] of sentAt) {
    const w = wrote.get(id);
    if (w !== undefined) out.set(id, w - t);
  }
  return out;
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

async function bareCsms(wrote: Map<string, number>): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => [...p][0] ?? false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (ws) => {
    answerAtOnce(ws, wrote);
    cleanups.push(() => ws.terminate());
  });
  cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ocpp/`;
}

/** The tool's RTT per request id, from its response events. */
function toolRtts(h: Harness, conn: string): Map<string, number> {
  const byId = new Map<string, number>();
  for (const e of h.of('frame', conn) as FrameEvent[])
    if (e.msg && (e.msg.type === 3 || e.msg.type === 4) && e.pair?.rttMs !== undefined)
      byId.set(e.msg.id, e.pair.rttMs);
  return byId;
}

// Garbage collections of this process, as they happen: a pause stops both sides, but shows on one side only.
const pauses: { start: number; end: number }[] = [];
const gcWatch = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) pauses.push({ start: e.startTime, end: e.startTime + e.duration });
});
gcWatch.observe({ entryTypes: ['gc'] });
afterAll(() => gcWatch.disconnect());

/** Milliseconds of garbage collection within [from, to]. */
function gcWithin(from: number, to: number): number {
  for (const e of gcWatch.takeRecords()) pauses.push({ start: e.startTime, end: e.startTime + e.duration });
  let ms = 0;
  for (const p of pauses) ms += Math.max(0, Math.min(to, p.end) - Math.max(from, p.start));
  return ms;
}

// This thread's time on a CPU, from the scheduler's own account (ns, exact) where Linux gives it: getrusage's figure
// (process.threadCpuUsage) is scaled from clock-tick samples and ran several ms behind after a long wait for a CPU.
const schedstat = ((): number | undefined => {
  try {
    return openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return undefined;
  }
})();
const statBuf = Buffer.alloc(128);
afterAll(() => {
  if (schedstat !== undefined) closeSync(schedstat);
});

/** This thread's CPU time, ms. */
function cpuNow(): number {
  if (schedstat !== undefined) {
    const n = readSync(schedstat, statBuf, 0, statBuf.length, 0);
    return Number(statBuf.toString('latin1', 0, n).split(' ')[0]) / 1e6;
  }
  const u = typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage() : process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Runs `call`, and notes the wall time during it that this thread was not running its code: descheduled (wall
 * minus this thread's CPU time) or collecting garbage. Both clocks run in this one process, so such a pause that
 * lands between one side's socket and the other's shows on one side only.
 */
async function timed<T>(stolen: Map<string, number>, id: string, call: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const c0 = cpuNow();
  const r = await call();
  const c = cpuNow() - c0;
  const t1 = performance.now();
  stolen.set(id, Math.max(0, t1 - t0 - c) + gcWithin(t0, t1));
  return r;
}

/** The calls whose RTT the tool reported more than 2 ms away from the wire's (plus the time this thread was not running). */
function disagreements(
  tool: Map<string, number>,
  peer: Map<string, number>,
  stolen: Map<string, number>,
  calls: number,
): string[] {
  const off: string[] = [];
  if (tool.size !== calls) off.push(`the tool reported ${tool.size} round trips for ${calls} calls`);
  for (const [id, rtt] of tool) {
    const p = peer.get(id);
    const s = stolen.get(id) ?? 0;
    if (p === undefined || Math.abs(rtt - p) > TOLERANCE_MS + s)
      off.push(`${id}: tool ${rtt} ms, wire ${p} ms, not running ${s.toFixed(3)} ms`);
  }
  return off;
}

/**
 * Every call must agree. A virtual machine's CPU can be taken from it by its host (steal time), which neither the
 * wall clock nor this thread's CPU time can tell from work: a run in which a call disagrees is run again, on a fresh
 * endpoint and peer, up to ATTEMPTS runs in all, and the test fails unless one run agrees on every call. A defect of
 * the tool (a stamp taken after its own parsing, validation or recording, a read delayed by its work) is in every
 * run, and fails them all: every run's disagreements are in the failure message.
 * (Only the first run has each action's first use in this process.)
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
    for (const c of cleanups.splice(0).reverse()) await c();
  }
  expect(runs.map((off, i) => `run ${i + 1}:\n${off.join('\n')}`).join('\n')).toBe('');
}

/**
 * A charger (in this thread, through the tool's proxy) sends every action it may send, one at a time, each built
 * before its send is timed; `sentAt`: when each was handed to ws. Returns the actions.
 */
async function chargerSendsEach(
  charger: WebSocket,
  v: OcppVersion,
  stolen: Map<string, number>,
  sentAt: Map<string, number>,
): Promise<string[]> {
  const actions = actionsSentBy(v, 'station').map((a) => a.name);
  for (const [i, action] of actions.entries()) {
    const id = `p${i}`;
    const text = JSON.stringify([2, id, action, exampleRequest(v, action)]);
    await timed(stolen, id, () => {
      const answered = new Promise<void>((resolve) => charger.once('message', () => resolve()));
      sentAt.set(id, performance.now());
      charger.send(text);
      return answered;
    });
  }
  return actions;
}

/** A bare ws peer in a process of its own (test/support/instant-peer.mjs), and what it measured per call. */
interface PeerProcess {
  first: RegExpExecArray;
  /** Per call id: the peer's own time from reading the call to handing its answer to the socket, ms. */
  rtt: Map<string, number>;
  /** Per call id: how long the peer waited for a CPU since its previous answer, ms. */
  waited: Map<string, number>;
  /** Resolves once the peer has told of `n` calls. */
  told(n: number): Promise<void>;
}

async function peerProcess(args: string[], ready: RegExp): Promise<PeerProcess> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('../../support/instant-peer.mjs', import.meta.url)), ...args],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  cleanups.push(() => {
    child.stdin.end();
    return stopChild(child);
  });
  const rtt = new Map<string, number>();
  const waited = new Map<string, number>();
  const wake = new Wake();
  let rest = '';
  child.stdout.on('data', (d: Buffer) => {
    const lines = (rest + d.toString('latin1')).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      const [word, id, read, wrote, w] = line.split(' ');
      if (word !== 'call' || id === undefined) continue;
      rtt.set(id, Number(wrote) - Number(read));
      waited.set(id, Number(w));
    }
    wake.notify();
  });
  const first = await matchStdout(child, ready, 'the peer being ready');
  return {
    first,
    rtt,
    waited,
    told: async (n) => void (await wake.until(`${n} calls told by the peer`, () => rtt.size >= n, 15_000)),
  };
}

/** The tool's send of `action`, timed (see timed); returns the call's id. */
async function timedCall(
  stolen: Map<string, number>,
  send: () => Promise<CallOutcome>,
  /** When each call's send was asked for, by its id: the start of the peer's figure in this thread. */
  sentAt?: Map<string, number>,
): Promise<string> {
  let before = 0;
  const o = await timed(stolen, '', () => {
    before = performance.now();
    return send();
  });
  expect(o.response).toBeDefined();
  const id = o.request.msg!.id;
  stolen.set(id, stolen.get('')!);
  sentAt?.set(id, before);
  return id;
}

/** Adds the peer's own waits for a CPU (its process woken late is wall time neither side spent) to the tool's. */
function notRunning(stolen: Map<string, number>, peer: PeerProcess): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, s] of stolen) out.set(id, s + (peer.waited.get(id) ?? 0));
  return out;
}

/**
 * With the peer in another process, it answers while the tool is still at work on the call it just sent (validating
 * it, on each action's first use in this process too, recording it, showing it to the rules): that work would show
 * as a late read of the answer, in the tool's figure only. The peer's figure is its own, from its read to its write.
 * These run first in this file, so their first runs hold each action's first use.
 */
describe('RTT measured at the wire, against a peer in another process', () => {
  it('endpoint: every CSMS action of 2.0.1, each on its first use, agrees with the charger process', async () => {
    const v: OcppVersion = '2.0.1';
    await expectEveryCallAgrees(async () => {
      const h = new Harness();
      cleanups.push(() => h.close());
      const url = await h.listen({ protocols: [v] });
      const peer = await peerProcess(['client', `${url}RTTP1`, SUBPROTOCOL_OF[v]], /^open$/m);
      const id = (await h.waitFor((e) => e.kind === 'opened' && e.ok)).conn;
      // No wait for the schemas here: the first calls meet the engine as a charger would.
      const conn = h.hub.get(id)!;
      const actions = actionsSentBy(v, 'csms').map((a) => a.name);
      const stolen = new Map<string, number>();
      for (const action of actions) {
        const payload = exampleRequest(v, action);
        await timedCall(stolen, () => conn.sendCall(action, payload, 10));
      }
      await peer.told(actions.length);
      return disagreements(toolRtts(h, id), peer.rtt, notRunning(stolen, peer), actions.length);
    });
  }, 90_000);

  it('station: every charger action of 1.6, each on its first use, agrees with the CSMS process', async () => {
    const v: OcppVersion = '1.6';
    await expectEveryCallAgrees(async () => {
      const peer = await peerProcess(['server'], /^listening (\d+)$/m);
      const h = new Harness();
      cleanups.push(() => h.close());
      const conn = await h.station.connect({
        url: `ws://127.0.0.1:${peer.first[1]}/ocpp/RTTP2`,
        protocols: [v],
      });
      expect(conn.isOpen).toBe(true);
      // No wait for the schemas here: the first calls meet the engine as a charger would.
      const actions = actionsSentBy(v, 'station').map((a) => a.name);
      const stolen = new Map<string, number>();
      for (const action of actions) {
        const payload = exampleRequest(v, action);
        await timedCall(stolen, () => conn.sendCall(action, payload, 10));
      }
      await peer.told(actions.length);
      return disagreements(toolRtts(h, conn.id), peer.rtt, notRunning(stolen, peer), actions.length);
    });
  }, 90_000);

  it('proxy: every charger action of 2.1, each on its first use, agrees with the CSMS process', async () => {
    const v: OcppVersion = '2.1';
    await expectEveryCallAgrees(async () => {
      const peer = await peerProcess(['server'], /^listening (\d+)$/m);
      const h = new Harness();
      cleanups.push(() => h.close());
      const url = await h.listen({
        protocols: [v],
        upstream: { url: `ws://127.0.0.1:${peer.first[1]}/ocpp/` },
      });
      const charger = new WebSocket(`${url}RTTP3`, [SUBPROTOCOL_OF[v]]);
      cleanups.push(() => charger.terminate());
      await opened(charger);
      // No wait for the schemas here: the first calls meet the engine as a charger would.
      const stolen = new Map<string, number>();
      const actions = await chargerSendsEach(charger, v, stolen, new Map());
      await peer.told(actions.length);
      // The tool's figure also holds the request's way through it to the CSMS (it is forwarded before any analysis).
      return disagreements(
        toolRtts(h, h.hub.proxyList()[0]!.id),
        peer.rtt,
        notRunning(stolen, peer),
        actions.length,
      );
    });
  }, 90_000);
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
      const csms = await bareCsms(wrote);
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
      const csms = await bareCsms(wrote);
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

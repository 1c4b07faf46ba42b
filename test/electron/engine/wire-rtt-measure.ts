import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import type { FrameEvent } from '../../../shared/capture/events';
import { actionsSentBy } from '../../../shared/ocpp/actions';
import { exampleRequest } from '../../../shared/ocpp/examples';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import type { CallOutcome } from '../../../electron/engine/connections/connection';
import { matchStdout, stopChild } from '../../support/child-process';
import { Wake } from '../../support/wake';
import type { Harness } from './engine-harness';

/**
 * The measuring side of the wire-RTT tests (wire-rtt.test.ts), shared by the test and by the runs it starts in
 * processes of their own (wire-rtt-first-use.ts): no vitest here.
 *
 * The machine running the tests is shared (2 cores, many processes): while a process waits for a CPU, wall time
 * passes that neither side spent. That time (this thread's wall minus its CPU time over the call, and the peer
 * process's own wait for a CPU) is added to the tolerance; everything the tool itself did (parsing, validating,
 * recording, compiling) is not.
 */

export const TOLERANCE_MS = 2;

/** What a test or a run must undo at its end, in reverse order. */
export type Cleanups = (() => unknown)[];

export async function runCleanups(cleanups: Cleanups): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c();
}

/** A peer that answers every CALL at once with `[3,id,{}]`, noting when it handed each answer to its socket. */
export function answerAtOnce(ws: WebSocket, wrote: Map<string, number>): void {
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
export function wireRoundTrips(sentAt: Map<string, number>, wrote: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, t] of sentAt) {
    const w = wrote.get(id);
    if (w !== undefined) out.set(id, w - t);
  }
  return out;
}

export function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

export async function bareCsms(wrote: Map<string, number>, cleanups: Cleanups): Promise<string> {
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
export function toolRtts(h: Harness, conn: string): Map<string, number> {
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

/** Ends the measuring of this module (the GC watch, the scheduler's account): at the end of the file or run. */
export function stopMeasuring(): void {
  gcWatch.disconnect();
  if (schedstat !== undefined) closeSync(schedstat);
}

/** Field `i` of this thread's schedstat, ms: 0 its time on a CPU, 1 its time waiting for one. */
function schedMs(i: 0 | 1): number {
  const n = readSync(schedstat!, statBuf, 0, statBuf.length, 0);
  return Number(statBuf.toString('latin1', 0, n).split(' ')[i]) / 1e6;
}

/** How long this thread has waited for a CPU, ms (0 where the system does not tell): wall time neither side spent. */
export function waitedNow(): number {
  return schedstat === undefined ? 0 : schedMs(1);
}

/** This thread's CPU time, ms. */
function cpuNow(): number {
  if (schedstat !== undefined) return schedMs(0);
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
export function disagreements(
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
 * A charger (in this thread, through the tool's proxy) sends every action it may send, one at a time, each built
 * before its send is timed; `sentAt`: when each was handed to ws. Returns the actions.
 */
export async function chargerSendsEach(
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
export interface PeerProcess {
  first: RegExpExecArray;
  /** Per call id: the peer's own time from reading the call to handing its answer to the socket, ms. */
  rtt: Map<string, number>;
  /** Per call id: how long the peer waited for a CPU since its previous answer, ms. */
  waited: Map<string, number>;
  /** Resolves once the peer has told of `n` calls. */
  told(n: number): Promise<void>;
}

export async function peerProcess(args: string[], ready: RegExp, cleanups: Cleanups): Promise<PeerProcess> {
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
export async function timedCall(
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
  const id = o.request.msg!.id;
  if (o.response === undefined) throw new Error(`call ${id} had no response`);
  stolen.set(id, stolen.get('')!);
  sentAt?.set(id, before);
  return id;
}

/** Adds the peer's own waits for a CPU (its process woken late is wall time neither side spent) to the tool's. */
export function notRunning(stolen: Map<string, number>, peer: PeerProcess): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, s] of stolen) out.set(id, s + (peer.waited.get(id) ?? 0));
  return out;
}

// Engine benchmarks: our endpoint (auto-answer, parse, schema validation, pairing, events) and our station,
// each as a ratio to a bare `ws` peer that only does JSON.parse and JSON.stringify, measured in the same run; the
// single-connection throughput runs also measure ocpp-rpc's strict-mode server (a third-party OCPP peer that, like
// ours, validates every payload) side by side.
// Servers run in a child process (this same file, started with OCPP_SCOPE_BENCH_SERVER=bare|ours) so their CPU and
// memory are theirs alone; the load comes from plain `ws` clients in this process. Every loop is bounded in count
// and time.
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { BenchResult } from './bench-result';
import { pinLoad, unpinLoad } from './cpu-pinning';
import { median } from './median';

/** 'ours-rec': the endpoint with recording on (off by default; the MeterValues figure is asked for with it). */
type ServerKind = 'bare' | 'ours' | 'ours-rec' | 'rpc' | 'before' | 'before-rec';
const ROLE = process.env['OCPP_SCOPE_BENCH_SERVER'] as ServerKind | undefined;
const HARD_LIMIT_MS = 40_000;
const PROF = process.env['OCPP_SCOPE_BENCH_PROF'];
/** OCPP_SCOPE_BENCH_PROF_INTERVAL=<µs>: the profiles' sampling interval (Node's default 1000 µs is coarse next to a call of ~20 µs). */
const PROF_INTERVAL_US = Number(process.env['OCPP_SCOPE_BENCH_PROF_INTERVAL'] ?? 1000);
/**
 * OCPP_SCOPE_BENCH_BASELINE=<folder>: another checkout of this project (an earlier commit, its node_modules in place)
 * whose endpoint runs beside ours in the same rounds ('before'), so a change is measured side by side.
 */
const BASELINE = process.env['OCPP_SCOPE_BENCH_BASELINE'];
/**
 * OCPP_SCOPE_BENCH_SERVER_FLAGS="<node flags>": more Node/V8 flags for every server process (e.g. --trace-gc-nvp, to
 * tell a process that promotes from one that does not); the settings line says so, as a flag may change the figures.
 */
const SERVER_FLAGS = process.env['OCPP_SCOPE_BENCH_SERVER_FLAGS']?.split(' ').filter((f) => f !== '') ?? [];
const SERVER_KINDS: ServerKind[] = ['bare', 'ours', 'ours-rec', 'rpc', 'before', 'before-rec'];
const perKind = (v: number): Record<ServerKind, number> =>
  Object.fromEntries(SERVER_KINDS.map((k) => [k, v])) as Record<ServerKind, number>;

// ---- the server side (child process) -------------------------------------------------------------------------

async function serveBare(): Promise<number> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: false,
    handleProtocols: (p) => [...p][0] ?? false,
  });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as unknown[];
      if (msg[0] === 2) ws.send(JSON.stringify([3, msg[1], { currentTime: new Date().toISOString() }]));
    });
  });
  return (wss.address() as AddressInfo).port;
}

async function serveOurs(record: boolean): Promise<number> {
  const { ConnectionHub } = await import('../electron/engine/connections/connection-hub');
  const { DEFAULT_ENDPOINT_SETTINGS, Endpoint } = await import('../electron/engine/endpoint/endpoint');
  const { Recorder } = await import('../electron/engine/capture/recorder');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const hub = new ConnectionHub();
  if (record) {
    const folder = mkdtempSync(join(tmpdir(), 'bench-rec-'));
    new Recorder(hub.stream, { folder, tool: 'bench' }).start();
    // Each run records about 150 MB: the folder goes with the process.
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  }
  const endpoint = new Endpoint(hub);
  // The shipped defaults, but for the address: a figure with another setting would not be what users get.
  const settings = { ...DEFAULT_ENDPOINT_SETTINGS, host: '127.0.0.1', port: 0 };
  const status = await endpoint.start(settings);
  if (!status.port) throw new Error(status.error ?? 'endpoint did not start');
  return status.port;
}

async function serveOcppRpc(): Promise<number> {
  const { RPCServer } = (await import('ocpp-rpc')) as unknown as {
    RPCServer: new (options: Record<string, unknown>) => {
      on(event: 'client', fn: (client: { handle(action: string, fn: () => unknown): void }) => void): void;
      listen(port: number, host: string): Promise<{ address(): AddressInfo }>;
    };
  };
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true, pingIntervalMs: 0 });
  server.on('client', (client) => {
    client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    client.handle('MeterValues', () => ({}));
  });
  const http = await server.listen(0, '127.0.0.1');
  return http.address().port;
}

if (ROLE) {
  const port =
    ROLE === 'bare'
      ? await serveBare()
      : ROLE === 'rpc'
        ? await serveOcppRpc()
        : await serveOurs(ROLE === 'ours-rec');
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'cpu') {
      const c = process.cpuUsage();
      const r = process.resourceUsage();
      process.send?.({
        cpu: c.user + c.system,
        user: c.user,
        system: c.system,
        faults: r.minorPageFault,
        switches: r.voluntaryContextSwitches + r.involuntaryContextSwitches,
      });
      return;
    }
    if (m.cmd !== 'mem') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const u = process.memoryUsage();
    process.send?.({ mem: u.heapUsed + u.external + u.arrayBuffers, rss: u.rss });
  });
  // Exits on the parent's kill, so that a CPU profile (OCPP_SCOPE_BENCH_PROF) is written.
  process.once('SIGTERM', () => process.exit(0));
  process.send?.({ port });
}

class ServerProcess {
  private constructor(
    readonly kind: ServerKind,
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  /**
   * `cpus`: the CPUs the process may run on, as taskset takes them ("1", "0-1"; see cpu-pinning.ts). Without it the
   * child keeps this process's CPUs: a child inherits its parent's affinity, so a server started while the load is
   * pinned must be given the CPUs it may use.
   */
  static start(kind: ServerKind, cpus?: number | string): Promise<ServerProcess> {
    const before = kind === 'before' || kind === 'before-rec';
    if (before && !BASELINE) throw new Error('a baseline server needs OCPP_SCOPE_BENCH_BASELINE');
    const file = before ? `${BASELINE}/bench/engine.bench.ts` : fileURLToPath(import.meta.url);
    const execArgv = [
      '--import',
      'tsx',
      '--expose-gc',
      ...SERVER_FLAGS,
      // OCPP_SCOPE_BENCH_PROF=<folder>: a CPU profile of each server process, written when it stops.
      ...(PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${PROF}/${kind}`, `--cpu-prof-interval=${PROF_INTERVAL_US}`]
        : []),
    ];
    const options = {
      env: {
        ...process.env,
        OCPP_SCOPE_BENCH_SERVER: kind === 'before' ? 'ours' : kind === 'before-rec' ? 'ours-rec' : kind,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as ('ignore' | 'inherit' | 'ipc')[],
    };
    // Through taskset, which then runs node itself: the IPC channel (an inherited descriptor) reaches node as with fork.
    const child =
      cpus !== undefined
        ? spawn('taskset', ['-c', String(cpus), process.execPath, ...execArgv, file], options)
        : fork(file, [], { ...options, execArgv });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} server did not start`)), 20_000);
      child.once('message', (m: { port: number }) => {
        clearTimeout(timer);
        resolve(new ServerProcess(kind, child, m.port));
      });
      const fail = (why: string): void => {
        clearTimeout(timer);
        reject(new Error(`${kind} server ${why}`));
      };
      child.once('error', (e) => fail(`did not start: ${e.message}`));
      child.once('exit', (code) => fail(`exited with ${code}`));
    });
  }

  /** CPU time (µs) the server process has used so far. */
  cpu(): Promise<number> {
    return this.cpuSplit().then((c) => c.user + c.system);
  }

  /** CPU time (µs) the server process has used so far, in user and in kernel mode. */
  /**
   * Also the minor page faults and context switches so far (kernel time that no syscall count shows: the system part
   * of ours' CPU per call has read up to 1.25x bare ws's with the same syscalls per call).
   */
  cpuSplit(): Promise<{ user: number; system: number; faults: number; switches: number }> {
    return new Promise((resolve) => {
      // An earlier checkout's server (OCPP_SCOPE_BENCH_BASELINE) may report the total only: counted as user time.
      this.child.once(
        'message',
        (m: { cpu: number; user?: number; system?: number; faults?: number; switches?: number }) =>
          resolve({
            user: m.user ?? m.cpu,
            system: m.system ?? 0,
            faults: m.faults ?? 0,
            switches: m.switches ?? 0,
          }),
      );
      this.child.send({ cmd: 'cpu' });
    });
  }

  memory(): Promise<number> {
    return new Promise((resolve) => {
      this.child.once('message', (m: { mem: number }) => resolve(m.mem));
      this.child.send({ cmd: 'mem' });
    });
  }

  stop(): void {
    this.child.kill();
  }
}

// ---- load ------------------------------------------------------------------------------------------------------

async function openClients(port: number, count: number): Promise<WebSocket[]> {
  const clients: WebSocket[] = [];
  const batch = 100;
  for (let i = 0; i < count; i += batch) {
    const opened = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/bench/CP${j}`, ['ocpp1.6'], {
        perMessageDeflate: false,
      });
      clients.push(ws);
      opened.push(new Promise<void>((r, e) => (ws.once('open', () => r()), ws.once('error', e))));
    }
    await Promise.all(opened);
  }
  return clients;
}

function closeAll(clients: WebSocket[]): Promise<void> {
  return Promise.all(
    clients.map(
      (ws) =>
        new Promise<void>((r) =>
          ws.readyState === WebSocket.CLOSED ? r() : (ws.once('close', () => r()), ws.terminate()),
        ),
    ),
  ).then(() => undefined);
}

/**
 * Every call of the load gets an id of its own for the whole run, as a charger's calls do. Each run of throughput()
 * used to start again at m0: the same connection then sent the ids it had sent a round (or a warm-up) before, more
 * so as a thousand connections take their turns in much the same order every round. Our endpoint rightly flags a
 * reused id (reused-message-id, a finding on the call) where bare ws looks at nothing: at 1,000 chargers one call in
 * 20 carried one (about 1,500 a round), and how many depended on the order of the answers, so our CPU per call
 * moved from round to round and from run to run (5 runs each way, side by side: median 0.857x with reused ids,
 * 0.956x without; our CPU per call over bare's, paired, 1.17 and 1.05).
 */
let callsSent = 0;
const callId = (): string => `m${callsSent++}`;

/** Answers per second with `inflight` CALLs outstanding on each client, until `total` answers came back. */
async function throughput(
  clients: WebSocket[],
  inflight: number,
  total: number,
  frame: (id: string) => string,
): Promise<number> {
  let sent = 0;
  let answered = 0;
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('throughput run exceeded its time bound')),
      HARD_LIMIT_MS,
    );
    for (const ws of clients) {
      ws.on('message', () => {
        answered++;
        if (sent < total) {
          sent++;
          ws.send(frame(callId()));
        }
        if (answered === total) {
          clearTimeout(timer);
          resolve();
        }
      });
      for (let k = 0; k < inflight && sent < total; k++, sent++) ws.send(frame(callId()));
    }
  });
  for (const ws of clients) ws.removeAllListeners('message');
  return total / ((performance.now() - start) / 1000);
}

const heartbeat = (id: string): string => `[2,"${id}","Heartbeat",{}]`;

function meterValuesPayload(): string {
  const at = '2025-06-01T12:00:00.000Z';
  const sv = (measurand: string, value: string, unit: string, phase?: string): object => ({
    value,
    context: 'Sample.Periodic',
    format: 'Raw',
    measurand,
    ...(phase ? { phase } : {}),
    location: 'Outlet',
    unit,
  });
  const sampledValue = [
    sv('Energy.Active.Import.Register', '123456.7', 'Wh'),
    sv('Power.Active.Import', '11040', 'W'),
    ...['L1', 'L2', 'L3'].map((p) => sv('Current.Import', '16.02', 'A', p)),
    ...['L1-N', 'L2-N', 'L3-N'].map((p) => sv('Voltage', '230.1', 'V', p)),
    sv('SoC', '57', 'Percent'),
  ];
  return JSON.stringify({ connectorId: 1, transactionId: 42, meterValue: [{ timestamp: at, sampledValue }] });
}
const METER = meterValuesPayload();
const meterValues = (id: string): string => `[2,"${id}","MeterValues",${METER}]`;

function throughputResult(name: string, ratio: number, target: number, detail: string): BenchResult {
  return {
    name,
    value: ratio,
    unit: 'x bare ws throughput',
    target: `>= ${target}`,
    met: ratio >= target,
    detail,
  };
}

/** Paired rounds of each throughput comparison (see compareThroughput). */
const PAIRED_ROUNDS = 8;

/**
 * Throughput, ours over bare ws: each server gets PAIRED_ROUNDS rounds, each after its own warm-up of 2,000 calls, the
 * servers one after the other within a round (in reverse order every other round); the figure is the median of the
 * rounds' ratios (ours / bare in the same round), every round printed. The best of 4 rounds of each side swung by
 * ±5% on this machine (one lucky round of bare ws decided the figure); a median of paired rounds does not hang on
 * one round of either side.
 */
async function compareThroughput(
  name: string,
  connections: number,
  inflight: number,
  total: number,
  frame: (id: string) => string,
  withOcppRpc: boolean,
  target: number,
  record = false,
): Promise<BenchResult[]> {
  const mine: ServerKind = record ? 'ours-rec' : 'ours';
  const earlier: ServerKind = record ? 'before-rec' : 'before';
  const kinds: ServerKind[] = ['bare', mine];
  if (withOcppRpc) kinds.push('rpc');
  if (BASELINE) kinds.push(earlier);
  const rate = new Map<ServerKind, number[]>(kinds.map((k) => [k, []]));
  const cpu = new Map<ServerKind, number[]>(kinds.map((k) => [k, []]));
  /** The user-mode part of cpu (the rest is the kernel's: the socket reads and writes, alike on both sides). */
  const user = new Map<ServerKind, number[]>(kinds.map((k) => [k, []]));
  /**
   * The load's own CPU per call in the same rounds: on two CPUs the client and the server each need most of one, so
   * a round whose client ran short of its CPU (host noise, a kernel thread) is slow for the client's sake.
   */
  const client = new Map<ServerKind, number[]>(kinds.map((k) => [k, []]));
  /** The server's minor page faults and context switches per 1,000 calls, per round. */
  const kernel = new Map<ServerKind, string[]>(kinds.map((k) => [k, []]));
  const servers = new Map<ServerKind, ServerProcess>();
  // The load on a CPU of its own, the servers on every CPU the bench had (see cpu-pinning.ts).
  const pinned = pinLoad();
  const pinning = typeof pinned === 'string' ? undefined : pinned;
  const cpus = pinning ? `client on CPU ${pinning.load}, servers on CPUs ${pinning.before}` : pinned;
  try {
    for (const kind of kinds) servers.set(kind, await ServerProcess.start(kind, pinning?.before));
    const clients = new Map<ServerKind, WebSocket[]>();
    for (const kind of kinds) clients.set(kind, await openClients(servers.get(kind)!.port, connections));
    for (let round = 0; round < PAIRED_ROUNDS; round++) {
      for (const kind of round % 2 ? [...kinds].reverse() : kinds) {
        const server = servers.get(kind)!;
        await throughput(clients.get(kind)!, inflight, Math.min(total, 2000), frame); // warm-up
        const c0 = await server.cpuSplit();
        const l0 = process.cpuUsage();
        rate.get(kind)!.push(await throughput(clients.get(kind)!, inflight, total, frame));
        const l1 = process.cpuUsage(l0);
        const c1 = await server.cpuSplit();
        cpu.get(kind)!.push((c1.user + c1.system - c0.user - c0.system) / total);
        user.get(kind)!.push((c1.user - c0.user) / total);
        client.get(kind)!.push((l1.user + l1.system) / total);
        kernel
          .get(kind)!
          .push(
            `${(((c1.faults - c0.faults) * 1000) / total).toFixed(1)} faults, ${(((c1.switches - c0.switches) * 1000) / total).toFixed(0)} switches`,
          );
      }
      const line = kinds.map(
        (k) =>
          `${k} ${rate.get(k)![round]!.toFixed(0)}/s ${cpu.get(k)![round]!.toFixed(1)} µs (${user.get(k)![round]!.toFixed(1)} user; ${kernel.get(k)![round]} per 1,000 calls; client ${client.get(k)![round]!.toFixed(1)} µs)`,
      );
      console.log(`    round ${round}: ${line.join(', ')}`);
    }
    await closeAll([...clients.values()].flat());
  } finally {
    for (const server of servers.values()) server.stop();
    if (pinning) unpinLoad(pinning);
  }
  const paired = (k: ServerKind, base: ServerKind): number =>
    median(rate.get(k)!.map((r, i) => r / rate.get(base)![i]!));
  const cpuText = (k: ServerKind): string =>
    `${median(cpu.get(k)!).toFixed(1)} µs (${median(user.get(k)!).toFixed(1)} user)`;
  const results: BenchResult[] = [
    throughputResult(
      name,
      paired(mine, 'bare'),
      target,
      `median of ${PAIRED_ROUNDS} paired rounds (${rate
        .get(mine)!
        .map((r, i) => (r / rate.get('bare')![i]!).toFixed(3))
        .join(
          ', ',
        )}); ours ${median(rate.get(mine)!).toFixed(0)}/s, bare ws ${median(rate.get('bare')!).toFixed(0)}/s (medians; ${connections} connection(s), ${inflight} in flight each, ${total} calls a round; best round of each side, as the other figures take it: ${(Math.max(...rate.get(mine)!) / Math.max(...rate.get('bare')!)).toFixed(3)}x); ` +
        `server CPU per call (medians): ours ${cpuText(mine)}, bare ${cpuText('bare')}, paired ratio ${median(cpu.get(mine)!.map((c, i) => c / cpu.get('bare')![i]!)).toFixed(3)}; ${cpus}` +
        (BASELINE
          ? `; baseline (${BASELINE}) in the same rounds: ${paired(earlier, 'bare').toFixed(3)}x, CPU per call ${cpuText(earlier)}, ours / baseline CPU paired ${median(cpu.get(mine)!.map((c, i) => c / cpu.get(earlier)![i]!)).toFixed(3)}`
          : ''),
    ),
  ];
  if (withOcppRpc)
    results.push({
      name: `${name}, vs ocpp-rpc strict server`,
      value: paired(mine, 'rpc'),
      unit: 'x ocpp-rpc throughput',
      detail: `median of ${PAIRED_ROUNDS} paired rounds; server CPU per call (medians): ours ${cpuText(mine)}, ocpp-rpc ${cpuText('rpc')}`,
    });
  return results;
}

async function compareMemory(idle: number): Promise<BenchResult> {
  const perConnection = perKind(0);
  const kinds: ServerKind[] = BASELINE ? ['bare', 'ours', 'before'] : ['bare', 'ours'];
  for (const kind of kinds) {
    const server = await ServerProcess.start(kind);
    try {
      // One connection first, so lazily loaded code (schemas, ajv) is not counted as per-connection memory.
      const warm = await openClients(server.port, 1);
      const before = await server.memory();
      const clients = await openClients(server.port, idle);
      const after = await server.memory();
      perConnection[kind] = (after - before) / idle;
      await closeAll([...warm, ...clients]);
    } finally {
      server.stop();
    }
  }
  const ratio = perConnection.ours / perConnection.bare;
  return {
    name: `endpoint memory per idle charger (${idle})`,
    value: ratio,
    unit: 'x bare ws',
    target: '<= 1.5',
    met: ratio <= 1.5,
    detail:
      `ours ${(perConnection.ours / 1024).toFixed(1)} KiB, bare ws ${(perConnection.bare / 1024).toFixed(1)} KiB per connection (heap + external, after GC)` +
      (BASELINE
        ? `; baseline ${(perConnection.before / 1024).toFixed(1)} KiB = ${(perConnection.before / perConnection.bare).toFixed(2)}x`
        : ''),
  };
}

/** Calls each client makes before the station CPU figure is measured (see compareStationCpu). */
const STATION_WARM_CALLS = 6000;

/**
 * Rounds of the station CPU figure. Each round measures the bare client then ours (in reverse order every other
 * round); the figure is the median of the rounds' ratios. It was the best round of each side taken apart (of 3): a
 * burst of load over ours' three rounds but not over one of bare's decided the figure (one run in 26 read 1.60x
 * where its others read 0.83-1.44x).
 */
const STATION_ROUNDS = 7;

/** Client CPU per call, one call at a time, against the bare server: our Station vs a bare ws client. */
async function compareStationCpu(calls: number): Promise<BenchResult> {
  const { ConnectionHub } = await import('../electron/engine/connections/connection-hub');
  const { Station } = await import('../electron/engine/station/station');
  const server = await ServerProcess.start('bare');
  const url = `ws://127.0.0.1:${server.port}/bench/ST1`;
  const cpuPerCall: Record<'bare' | 'ours', number[]> = { bare: [], ours: [] };
  try {
    const bareClient = (await openClients(server.port, 1))[0]!;
    const bareRun = async (n: number): Promise<number> => {
      const c0 = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        const answer = new Promise<void>((r) =>
          bareClient.once('message', (d) => {
            JSON.parse(String(d));
            r();
          }),
        );
        bareClient.send(JSON.stringify([2, `b${i}`, 'Heartbeat', {}]));
        await answer;
      }
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / n;
    };
    const conn = await new Station(new ConnectionHub()).connect({
      url,
      protocols: ['1.6'],
      callTimeoutSec: 10,
    });
    if (conn.state !== 'open') throw new Error(`station could not connect: ${conn.failure?.message}`);
    const oursRun = async (n: number): Promise<number> => {
      const c0 = process.cpuUsage();
      for (let i = 0; i < n; i++) await conn.sendCall('Heartbeat', {});
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / n;
    };
    // Warmed up until the JIT has settled: with 500 calls our longer path (analysis of both frames) was still being
    // optimised through the next 3,000 (rounds of 98, 46, 29, 25 µs per call), so the figure measured warm-up.
    await bareRun(STATION_WARM_CALLS);
    await oursRun(STATION_WARM_CALLS);
    for (let round = 0; round < STATION_ROUNDS; round++) {
      if (round % 2 === 0) {
        cpuPerCall.bare.push(await bareRun(calls));
        cpuPerCall.ours.push(await oursRun(calls));
      } else {
        cpuPerCall.ours.push(await oursRun(calls));
        cpuPerCall.bare.push(await bareRun(calls));
      }
    }
    bareClient.terminate();
    await conn.close();
  } finally {
    server.stop();
  }
  const ratio = median(cpuPerCall.ours.map((c, i) => c / cpuPerCall.bare[i]!));
  return {
    name: 'station client CPU per call',
    value: ratio,
    unit: 'x bare ws client',
    target: '<= 1.5',
    met: ratio <= 1.5,
    detail: `median of ${STATION_ROUNDS} paired rounds' ratios (${cpuPerCall.ours.map((c, i) => (c / cpuPerCall.bare[i]!).toFixed(2)).join(', ')}); ours ${median(cpuPerCall.ours).toFixed(1)} µs, bare ws ${median(cpuPerCall.bare).toFixed(1)} µs CPU per call (medians; ${calls} sequential Heartbeats a round, after ${STATION_WARM_CALLS} warm-up calls each)`,
  };
}

/** Round-trip times seen by one client, one call at a time. */
async function latencies(ws: WebSocket, frames: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const f of frames) {
    const answered = new Promise<void>((r) => ws.once('message', () => r()));
    const t = performance.now();
    ws.send(f);
    await answered;
    out.push(performance.now() - t);
  }
  return out;
}

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;

async function compareOneAtATime(calls: number): Promise<BenchResult> {
  const rounds: Record<'bare' | 'ours', number[]> = { bare: [], ours: [] };
  const all: Record<'bare' | 'ours', number[]> = { bare: [], ours: [] };
  const pinned = pinLoad();
  const pinning = typeof pinned === 'string' ? undefined : pinned;
  const cpus = pinning
    ? `client on CPU ${pinning.load}, servers on CPU ${pinning.server}`
    : `${pinned}: client and server where the scheduler put them`;
  try {
    await oneAtATimeRounds(calls, rounds, all, pinning?.server);
  } finally {
    if (pinning) unpinLoad(pinning);
  }
  const p50 = { bare: pct(all.bare, 0.5), ours: pct(all.ours, 0.5) };
  const µs = (xs: number[]): string => xs.map((x) => (x * 1000).toFixed(0)).join(', ');
  const ratio = p50.ours / p50.bare;
  return {
    name: 'endpoint round trip, one call at a time, p50',
    value: ratio,
    unit: 'x bare ws',
    target: '<= 1.1',
    met: ratio <= 1.1,
    detail: `ours ${(p50.ours * 1000).toFixed(0)} µs, bare ws ${(p50.bare * 1000).toFixed(0)} µs (the median of every round trip of ${P50_SERVERS} fresh servers each, ${calls} sequential Heartbeats to each; each server's median: ours ${µs(rounds.ours)} µs, bare ws ${µs(rounds.bare)} µs; ${cpus})`,
  };
}

/**
 * Fresh servers of each kind for the one-call-at-a-time figure, taken in turns; the figure is the median of all their
 * round trips, each kind's. It was the best of each server's median, of two servers, then three: one lucky server
 * then decided it (one idle run read 1.32x, one 1.19x, where ours' servers read 116-126 µs and bare ws's 97-123 µs).
 * A fresh process's median moves by tens of µs from one to the next (80-150 µs for either kind on this machine),
 * more than the target's margin: the pooled median of five of each reads what a user meets across restarts.
 */
const P50_SERVERS = 5;

/**
 * The round trips to each of P50_SERVERS fresh servers of each kind (on `cpu`, if given): each server's median into
 * `rounds`, every round trip into `all`.
 */
async function oneAtATimeRounds(
  calls: number,
  rounds: Record<'bare' | 'ours', number[]>,
  all: Record<'bare' | 'ours', number[]>,
  cpu: number | undefined,
): Promise<void> {
  for (let round = 0; round < P50_SERVERS; round++)
    for (const kind of ['bare', 'ours'] as const) {
      const server = await ServerProcess.start(kind, cpu);
      try {
        const [ws] = await openClients(server.port, 1);
        await latencies(
          ws!,
          Array.from({ length: 200 }, (_, i) => heartbeat(`w${i}`)),
        );
        const times = await latencies(
          ws!,
          Array.from({ length: calls }, (_, i) => heartbeat(`l${i}`)),
        );
        rounds[kind].push(pct(times, 0.5));
        all[kind].push(...times);
        await closeAll([ws!]);
      } finally {
        server.stop();
      }
    }
}

/** The round trips of a 2.1 charger sending every action it may send once, to a fresh server of that kind. */
async function firstUseRun(kind: 'bare' | 'ours' | 'before', frames: string[]): Promise<number[]> {
  const server = await ServerProcess.start(kind);
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/bench/FIRST`, ['ocpp2.1'], {
      perMessageDeflate: false,
    });
    await new Promise<void>((r, e) => (ws.once('open', () => r()), ws.once('error', e)));
    const times = await latencies(ws, frames);
    ws.terminate();
    return times;
  } finally {
    server.stop();
  }
}

/**
 * A fresh endpoint: a 2.1 charger sends every action it may send once; the slowest answer must stay short. Three
 * fresh endpoints, each beside a fresh bare ws server doing the same (its slowest answer is the machine's noise).
 */
async function firstUseLatency(): Promise<BenchResult> {
  const { actionsSentBy } = await import('../shared/ocpp/actions');
  const { exampleRequest } = await import('../shared/ocpp/examples');
  const frames = actionsSentBy('2.1', 'station').map((a, i) =>
    JSON.stringify([2, `a${i}`, a.name, exampleRequest('2.1', a.name)]),
  );
  const ours: number[][] = [];
  const bare: number[][] = [];
  const before: number[][] = [];
  for (let round = 0; round < 3; round++) {
    bare.push(await firstUseRun('bare', frames));
    ours.push(await firstUseRun('ours', frames));
    if (BASELINE) before.push(await firstUseRun('before', frames));
  }
  const maxes = ours.map((t) => Math.max(...t));
  const max = [...maxes].sort((a, b) => a - b)[1]!;
  const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(1)).join(', ');
  return {
    name: 'first use of every 2.1 charger action on a fresh endpoint, slowest round trip (median of 3 fresh endpoints)',
    value: max,
    unit: 'ms',
    target: '< 50',
    met: max < 50,
    detail:
      `${frames.length} actions; slowest per fresh endpoint ${fmt(maxes)} ms, p50 ${fmt(ours.map((t) => pct(t, 0.5)))} ms; ` +
      `bare ws the same way: slowest ${fmt(bare.map((t) => Math.max(...t)))} ms, p50 ${fmt(bare.map((t) => pct(t, 0.5)))} ms ` +
      `(validators precompiled at build time, readied before the charger was accepted or within 2 s of its arrival)` +
      (BASELINE
        ? `; baseline endpoint the same way: slowest ${fmt(before.map((t) => Math.max(...t)))} ms, p50 ${fmt(before.map((t) => pct(t, 0.5)))} ms`
        : ''),
  };
}

/**
 * Rounds of the fair-share figures: alone and beside alternate; the figure is the median of the rounds' ratios
 * (beside / alone in the same round). It was the best beside over the best alone of 4 rounds: on this machine the
 * server's CPU per good call moved by up to 2x between rounds of one run, idle, and one lucky alone round decided
 * the figure (0.73-1.31x for the same code within 20 minutes). Both are printed.
 */
const BESIDE_ROUNDS = 6;
/** Calls of the good chargers before each measured phase, alone or with the bad peer already sending. */
const BESIDE_WARM = 2000;

/** The bad peer: keeps its pipe full while started; stop() waits until all it sent was answered. */
interface BadPeer {
  start(): void;
  stop(): Promise<void>;
  answers: number;
}

function badPeer(ws: WebSocket, kind: 'heavy' | 'flood'): BadPeer {
  const big = 'A'.repeat(1_000_000 - 100);
  const frame =
    kind === 'heavy'
      ? (id: string) => `[2,"${id}","DataTransfer",{"vendorId":"v","data":"${big}"}]`
      : heartbeat;
  // Heavy: 4 frames in flight; flood: 1,000 in flight; each answer refilled at once (as fast as we admit).
  const window = kind === 'heavy' ? 4 : 1000;
  let on = false;
  let n = 0;
  let inflight = 0;
  let drained: (() => void) | undefined;
  const peer: BadPeer = {
    answers: 0,
    start() {
      on = true;
      for (let i = 0; i < window; i++, inflight++) ws.send(frame(`b${n++}`));
    },
    stop() {
      on = false;
      return new Promise<void>((resolve, reject) => {
        if (inflight === 0) return resolve();
        const timer = setTimeout(() => reject(new Error('the bad peer was not answered')), HARD_LIMIT_MS);
        drained = () => (clearTimeout(timer), resolve());
      });
    },
  };
  ws.on('message', () => {
    peer.answers++;
    inflight--;
    if (on) {
      ws.send(frame(`b${n++}`));
      inflight++;
    } else if (inflight === 0) drained?.();
  });
  return peer;
}

/** One endpoint's side of goodBeside: its clients and what each round measured. */
interface BesideSide {
  kind: ServerKind;
  clients: WebSocket[];
  bad: BadPeer;
  badWs: WebSocket;
  /** The good chargers' calls per second, per round. */
  alone: number[];
  beside: number[];
  /** The server's CPU per good call, µs, per round (beside: the bad peer's frames included). */
  cpuAlone: number[];
  cpuBeside: number[];
  /** The first calls after the bad peer started (the beside phase's warm-up), per second. */
  first: number[];
  badAnswers: number[];
}

/**
 * Good chargers' throughput beside a bad one, as a ratio of their throughput alone: the same server and clients,
 * rounds alternating alone and beside (the bad peer sending throughout a beside phase, and answered in full before
 * the next alone one), each phase measured alike after its own warm-up, the best of each kept. With
 * OCPP_SCOPE_BENCH_BASELINE the baseline endpoint runs in the same rounds.
 */
async function goodBeside(kind: 'heavy' | 'flood', good: number, total: number): Promise<BenchResult> {
  const kinds: ('ours' | 'before')[] = BASELINE ? ['ours', 'before'] : ['ours'];
  const servers = new Map<ServerKind, ServerProcess>();
  const sides = new Map<ServerKind, BesideSide>();
  try {
    for (const k of kinds) {
      const server = await ServerProcess.start(k);
      servers.set(k, server);
      const clients = await openClients(server.port, good);
      const [badWs] = await openClients(server.port, 1);
      sides.set(k, {
        kind: k,
        clients,
        bad: badPeer(badWs!, kind),
        badWs: badWs!,
        alone: [],
        beside: [],
        cpuAlone: [],
        cpuBeside: [],
        first: [],
        badAnswers: [],
      });
    }
    for (const side of sides.values()) {
      // Warm-up of both phases: the bad peer's first frames (its action's first use) are not in any round.
      await throughput(side.clients, 1, BESIDE_WARM, heartbeat);
      side.bad.start();
      await throughput(side.clients, 1, BESIDE_WARM, heartbeat);
      await side.bad.stop();
    }
    for (let round = 0; round < BESIDE_ROUNDS; round++)
      for (const side of sides.values()) {
        await throughput(side.clients, 1, BESIDE_WARM, heartbeat);
        const server = servers.get(side.kind)!;
        let c0 = await server.cpu();
        side.alone.push(await throughput(side.clients, 1, total, heartbeat));
        side.cpuAlone.push(((await server.cpu()) - c0) / total);
        const before = side.bad.answers;
        side.bad.start();
        // The first calls after the bad peer starts, while its slowing sets in: reported, not in the figure.
        side.first.push(await throughput(side.clients, 1, BESIDE_WARM, heartbeat));
        c0 = await server.cpu();
        side.beside.push(await throughput(side.clients, 1, total, heartbeat));
        side.cpuBeside.push(((await server.cpu()) - c0) / total);
        await side.bad.stop();
        side.badAnswers.push(side.bad.answers - before);
        if (process.env['OCPP_SCOPE_BENCH_VERBOSE'])
          console.log(
            `    round ${round}: alone ${side.alone.at(-1)!.toFixed(0)}/s, beside ${side.beside.at(-1)!.toFixed(0)}/s`,
          );
      }
    await closeAll([...sides.values()].flatMap((s) => [...s.clients, s.badWs]));
  } finally {
    for (const server of servers.values()) server.stop();
  }
  const target = kind === 'heavy' ? 0.8 : 0.9;
  const figure = (k: ServerKind): { ratio: number; text: string } => {
    const s = sides.get(k)!;
    const ratio = median(s.alone.map((a, i) => s.beside[i]! / a));
    const best = Math.max(...s.beside) / Math.max(...s.alone);
    const rounds = s.alone.map((a, i) => (s.beside[i]! / a).toFixed(2)).join(', ');
    const f = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');
    const g = (xs: number[]): string => xs.map((x) => x.toFixed(1)).join(', ');
    // Steadier than throughput on a shared machine: how much of the server's work went to the good chargers.
    const cpuRatio = Math.min(...s.cpuAlone) / Math.min(...s.cpuBeside);
    return {
      ratio,
      text:
        `good: ${f(s.alone)}/s alone, ${f(s.beside)}/s beside it (${total} calls a phase, after ${BESIDE_WARM} of warm-up; per-round ratios ${rounds}; best beside / best alone ${best.toFixed(3)}); ` +
        `server CPU per good call ${g(s.cpuAlone)} µs alone, ${g(s.cpuBeside)} µs beside (best alone / best beside ${cpuRatio.toFixed(3)}); ` +
        `first ${BESIDE_WARM} calls after the ${kind} peer started: ${f(s.first)}/s; the ${kind} peer got ${s.badAnswers.join(', ')} answers during those rounds`,
    };
  };
  const ours = figure('ours');
  const before = BASELINE ? figure('before') : undefined;
  return {
    name:
      kind === 'heavy'
        ? `${good} good chargers beside one sending ~1 MB frames, their throughput`
        : `${good} good chargers beside one flooding Heartbeats, their throughput`,
    value: ours.ratio,
    unit: 'x alone',
    target: `>= ${target}`,
    met: ours.ratio >= target,
    detail:
      `median of ${BESIDE_ROUNDS} rounds' ratios; ${ours.text}` +
      (before
        ? `; baseline (${BASELINE}) in the same rounds: ${before.ratio.toFixed(3)}x, ${before.text}`
        : ''),
  };
}

export async function run(): Promise<BenchResult[]> {
  const { DEFAULT_ENDPOINT_SETTINGS } = await import('../electron/engine/endpoint/endpoint');
  const d = DEFAULT_ENDPOINT_SETTINGS;
  console.log(
    `settings: the shipped endpoint defaults (limits ${JSON.stringify(d.limits)}, ping ${d.pingIntervalSec} s, call timeout ${d.callTimeoutSec} s), fair sharing on, validation on; recording off (its default) except where a line says "recorded"`,
  );
  if (SERVER_FLAGS.length > 0)
    console.log(`server processes run with extra Node flags: ${SERVER_FLAGS.join(' ')}`);
  // OCPP_SCOPE_BENCH_ONLY=<word>: only the measurements whose key contains it (heartbeat, meter, 1k, p50,
  // first-use, heavy, flood, memory, station-cpu), for profiling one of them.
  const only = process.env['OCPP_SCOPE_BENCH_ONLY'];
  const all: [string, () => Promise<BenchResult | BenchResult[]>][] = [
    [
      'heartbeat',
      () =>
        compareThroughput(
          'endpoint throughput, 1 connection x 100 in flight, Heartbeat',
          1,
          100,
          20_000,
          heartbeat,
          true,
          0.9,
        ),
    ],
    [
      'meter',
      () =>
        compareThroughput(
          `endpoint throughput, 1 connection x 100 in flight, MeterValues ${METER.length + 30} B (validated, recorded)`,
          1,
          100,
          20_000,
          meterValues,
          true,
          0.8,
          true,
        ),
    ],
    [
      '1k',
      () =>
        compareThroughput(
          'endpoint throughput, 1,000 chargers x 1 in flight, Heartbeat',
          1000,
          1,
          30_000,
          heartbeat,
          false,
          0.85,
        ),
    ],
    ['p50', () => compareOneAtATime(2000)],
    ['first-use', () => firstUseLatency()],
    ['heavy', () => goodBeside('heavy', 100, 20_000)],
    ['flood', () => goodBeside('flood', 100, 20_000)],
    ['memory-1000', () => compareMemory(1000)],
    ['memory-5000', () => compareMemory(5000)],
    ['station-cpu', () => compareStationCpu(3000)],
  ];
  const out: BenchResult[] = [];
  for (const [key, measure] of all) if (!only || key.includes(only)) out.push(...[await measure()].flat());
  return out;
}

// Simulated chargers: N stations of our simulator (electron/engine/simulation, Fleet) booting and heart-beating
// against our endpoint, beside a bare `ws` client loop doing the same frames (BootNotification, then a Heartbeat
// every H seconds). Reported as ratios measured in this run: connect+boot time, client CPU per heartbeat, client
// memory per charger. Each client runs in its own child process (so its CPU and memory are its own); the endpoint
// runs in a third. Size: SIM_BENCH_CHARGERS (default 10,000; set fewer for a quick run), SIM_BENCH_HEARTBEAT_SEC
// (default 10). Memory per charger is the growth from a warmed-up process (50 chargers already running on each
// side), so code, schemas and buffers every process pays once are not counted per charger. Everything is bounded in
// count and time.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './bench-result';

type Role = 'server' | 'sim' | 'bare';
const ROLE = process.env['OCPP_SCOPE_SIM_BENCH_ROLE'] as Role | undefined;
const N = Number(process.env['SIM_BENCH_CHARGERS'] ?? 10_000);
const H = Number(process.env['SIM_BENCH_HEARTBEAT_SEC'] ?? 10);
/** Chargers started before the baseline is taken, on both sides (compiled code and schemas are paid once). */
const WARM = 50;
/** Heartbeats measured per charger (the CPU window). */
const ROUNDS = 2;
// 10,000 chargers on a busy 2-core machine take minutes to connect; the bound only stops a run that hangs.
const HARD_LIMIT_MS = 600_000;

interface ClientReport {
  connectBootMs: number;
  memPerCharger: number;
  cpuUs: number;
  /** Heartbeats the endpoint received per second over the CPU window, divided by what the interval asks for. */
  heartbeatShare: number;
}

function memNow(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const u = process.memoryUsage();
  return u.heapUsed + u.external + u.arrayBuffers;
}

function cpuNow(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

async function serve(): Promise<void> {
  const { ConnectionHub } = await import('../electron/engine/connections/connection-hub');
  const { AutoAnswerBook } = await import('../electron/engine/station/auto-answer');
  const { DEFAULT_ENDPOINT_SETTINGS, Endpoint } = await import('../electron/engine/endpoint/endpoint');
  const hub = new ConnectionHub(undefined, new AutoAnswerBook({ heartbeatIntervalSec: H }));
  let heartbeats = 0;
  hub.stream.subscribe((e) => {
    if (e.kind === 'frame' && e.sender === 'station' && e.msg?.action === 'Heartbeat' && e.msg.type === 2)
      heartbeats++;
  });
  const endpoint = new Endpoint(hub);
  const status = await endpoint.start({
    ...DEFAULT_ENDPOINT_SETTINGS,
    host: '127.0.0.1',
    port: 0,
    pingIntervalSec: 0,
    limits: { maxFrameBytes: 1_048_576, maxFramesPerSec: 0, maxConnections: 1_000_000 },
  });
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'heartbeats') process.send?.({ heartbeats });
  });
  process.send?.({ port: status.port });
}

/** Our simulator: a fleet of N stations, one scheduler. */
async function runSim(port: number, ask: () => Promise<number>): Promise<ClientReport> {
  const { ConnectionHub } = await import('../electron/engine/connections/connection-hub');
  const { Fleet } = await import('../electron/engine/simulation/fleet');
  const hub = new ConnectionHub();
  // What every process pays once (compiled code, the version's schemas, the first buffers) is not per charger.
  const warm = new Fleet(hub, {
    to: `ws://127.0.0.1:${port}/warm`,
    protocol: '1.6',
    id: 'WARM',
    count: WARM,
    simulator: { connectors: 2 },
  });
  await warm.start();
  await until(() => warm.stations().every((s) => s.model?.boot === 'accepted'));
  const base = memNow();
  const fleet = new Fleet(hub, {
    to: `ws://127.0.0.1:${port}/bench`,
    protocol: '1.6',
    id: 'SIM',
    count: N,
    simulator: { connectors: 2 },
  });
  const t0 = performance.now();
  const started = await fleet.start();
  if (started.open !== N) throw new Error(`${N - started.open} simulated chargers did not connect`);
  const stations = fleet.stations();
  await until(() => stations.every((s) => s.model?.boot === 'accepted'));
  const connectBootMs = performance.now() - t0;
  const memPerCharger = (memNow() - base) / N;
  const { cpuUs, heartbeatShare } = await cpuPerHeartbeat(ask);
  await fleet.stop();
  await warm.stop();
  return { connectBootMs, memPerCharger, cpuUs, heartbeatShare };
}

/** The baseline: bare ws clients sending the same frames from one loop. */
async function runBare(port: number, ask: () => Promise<number>): Promise<ClientReport> {
  const { default: WebSocket } = await import('ws');
  const clients: InstanceType<typeof WebSocket>[] = [];
  let ids = 0;
  const boot = JSON.stringify({
    chargePointVendor: 'OCPP Scope',
    chargePointModel: 'Simulated AC 22',
    firmwareVersion: '1.0.0',
  });
  const due: number[] = [];
  const connectAll = async (first: number, count: number, prefix: string): Promise<void> => {
    let next = first;
    const end = first + count;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < end) {
          const i = next++;
          const ws = new WebSocket(`ws://127.0.0.1:${port}/bench/${prefix}-${i + 1}`, ['ocpp1.6'], {
            perMessageDeflate: false,
          });
          clients[i] = ws;
          await new Promise<void>((resolve, reject) => {
            ws.once('error', reject);
            ws.once('open', () => ws.send(`[2,"b${ids++}","BootNotification",${boot}]`));
            ws.once('message', (data) => {
              const answer = JSON.parse(String(data)) as [number, string, { interval: number }];
              due[i] = Date.now() + answer[2].interval * 1000;
              ws.on('message', (d) => JSON.parse(String(d)));
              resolve();
            });
          });
        }
      }),
    );
  };
  // The same warm-up as ours: fixed costs are not per charger.
  await connectAll(N, WARM, 'WARM');
  const base = memNow();
  const t0 = performance.now();
  await connectAll(0, N, 'BARE');
  const connectBootMs = performance.now() - t0;
  const tick = setInterval(() => {
    const now = Date.now();
    for (let i = 0; i < N + WARM; i++) {
      if (due[i]! <= now) {
        due[i] = now + H * 1000;
        clients[i]!.send(JSON.stringify([2, `b${ids++}`, 'Heartbeat', {}]));
      }
    }
  }, 100);
  const memPerCharger = (memNow() - base) / N;
  const { cpuUs, heartbeatShare } = await cpuPerHeartbeat(ask);
  clearInterval(tick);
  for (const ws of clients) ws.terminate();
  return { connectBootMs, memPerCharger, cpuUs, heartbeatShare };
}

/**
 * Client CPU (µs) per heartbeat the endpoint received, over ROUNDS heartbeats per charger; and the share of the
 * heartbeats due in that window that arrived (1.0: none lost or late).
 */
async function cpuPerHeartbeat(
  ask: () => Promise<number>,
): Promise<{ cpuUs: number; heartbeatShare: number }> {
  const h0 = await ask();
  const c0 = cpuNow();
  const t0 = performance.now();
  let h1 = h0;
  await until(async () => {
    h1 = await ask();
    return h1 - h0 >= (N + WARM) * ROUNDS;
  }, 500);
  const seconds = (performance.now() - t0) / 1000;
  return {
    cpuUs: (cpuNow() - c0) / (h1 - h0),
    heartbeatShare: (h1 - h0) / seconds / ((N + WARM) / H),
  };
}

async function until(check: () => boolean | Promise<boolean>, everyMs = 50): Promise<void> {
  const end = Date.now() + HARD_LIMIT_MS;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('the benchmark exceeded its time bound');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

if (ROLE === 'server') await serve();
if (ROLE === 'sim' || ROLE === 'bare') {
  const port = Number(process.env['OCPP_SCOPE_SIM_BENCH_PORT']);
  let waiting: ((n: number) => void) | undefined;
  process.on('message', (m: { heartbeats?: number }) => {
    if (m.heartbeats !== undefined) waiting?.(m.heartbeats);
  });
  // The parent relays the endpoint's heartbeat count.
  const ask = (): Promise<number> =>
    new Promise((resolve) => {
      waiting = resolve;
      process.send?.({ ask: true });
    });
  const report = ROLE === 'sim' ? await runSim(port, ask) : await runBare(port, ask);
  process.send?.({ report });
}

function child(role: Role, env: Record<string, string> = {}): ChildProcess {
  return fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096'],
    env: { ...process.env, ...env, OCPP_SCOPE_SIM_BENCH_ROLE: role },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function message<T>(c: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${key} within the time bound`)), HARD_LIMIT_MS);
    const exit = (code: number | null): void => reject(new Error(`child exited with ${code}`));
    const on = (m: Record<string, unknown>): void => {
      if (!(key in m)) return;
      clearTimeout(timer);
      c.off('message', on);
      c.off('exit', exit);
      resolve(m[key] as T);
    };
    c.on('message', on);
    c.once('exit', exit);
  });
}

async function client(role: 'sim' | 'bare', server: ChildProcess, port: number): Promise<ClientReport> {
  const c = child(role, { OCPP_SCOPE_SIM_BENCH_PORT: String(port) });
  c.on('message', (m: { ask?: boolean }) => {
    if (!m.ask) return;
    void message<number>(server, 'heartbeats').then((heartbeats) => c.send({ heartbeats }));
    server.send({ cmd: 'heartbeats' });
  });
  try {
    return await message<ClientReport>(c, 'report');
  } finally {
    c.kill();
  }
}

export async function run(): Promise<BenchResult[]> {
  const server = child('server');
  try {
    const port = await message<number>(server, 'port');
    const bare = await client('bare', server, port);
    const sim = await client('sim', server, port);
    const setting = `${N} chargers, 1.6, heartbeat every ${H} s, shipped defaults otherwise`;
    const memRatio = sim.memPerCharger / bare.memPerCharger;
    const cpuRatio = sim.cpuUs / bare.cpuUs;
    return [
      {
        name: 'simulator: connect+boot time vs bare ws',
        value: sim.connectBootMs / bare.connectBootMs,
        unit: 'x',
        detail: `${setting}; ours ${(sim.connectBootMs / 1000).toFixed(1)} s, bare ${(bare.connectBootMs / 1000).toFixed(1)} s for all`,
      },
      {
        name: 'simulator: client CPU per heartbeat vs bare ws',
        value: cpuRatio,
        unit: 'x',
        target: '<= 2.0',
        met: cpuRatio <= 2,
        detail: `${setting}; ours ${sim.cpuUs.toFixed(0)} µs, bare ${bare.cpuUs.toFixed(0)} µs per heartbeat`,
      },
      {
        name: 'simulator: heartbeats arriving on time (share of those due)',
        value: sim.heartbeatShare,
        unit: 'x',
        detail: `${setting}; ours ${sim.heartbeatShare.toFixed(3)}, bare ${bare.heartbeatShare.toFixed(3)} (1.000 = none lost or late)`,
      },
      {
        name: 'simulator: client memory per charger vs bare ws',
        value: memRatio,
        unit: 'x',
        target: '<= 2.0',
        met: memRatio <= 2,
        detail: `${setting}; ours ${(sim.memPerCharger / 1024).toFixed(1)} KiB, bare ${(bare.memPerCharger / 1024).toFixed(1)} KiB per charger`,
      },
    ];
  } finally {
    server.kill();
  }
}

// Simulated chargers: N stations of our simulator (electron/engine/simulation, Fleet) booting and heart-beating
// against our endpoint, beside a bare `ws` client loop doing the same frames (BootNotification, then a Heartbeat
// every H seconds). Reported as ratios measured in this run: connect+boot time, client CPU per heartbeat, client
// memory per charger. Each client runs in its own child process (so its CPU and memory are its own); the endpoint
// runs in another (one endpoint process per side, alike: a process may hold 20,000 sockets here). Both clients run
// AT THE SAME TIME (they connect together, then heart-beat side by side), so a load swing on this shared machine
// falls on both: the CPU figure is taken in SIM_BENCH_ROUNDS paired windows of one heartbeat interval each, every
// round printed, and the median of the paired ratios reported (with each side's median). Size: SIM_BENCH_CHARGERS (default 10,000 per side; set fewer
// for a quick run), SIM_BENCH_HEARTBEAT_SEC (default 10). Memory per charger is the growth from a warmed-up process
// (50 chargers already running on each side), so code, schemas and buffers every process pays once are not counted
// per charger. Everything is bounded in count and time.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './bench-result';
import { median } from './median';

type Role = 'server' | 'sim' | 'bare';
const ROLE = process.env['OCPP_SCOPE_SIM_BENCH_ROLE'] as Role | undefined;
const N = Number(process.env['SIM_BENCH_CHARGERS'] ?? 10_000);
const H = Number(process.env['SIM_BENCH_HEARTBEAT_SEC'] ?? 10);
/** Chargers started before the baseline is taken, on both sides (compiled code and schemas are paid once). */
const WARM = 50;
/** Paired CPU windows, one heartbeat interval each. */
const ROUNDS = Number(process.env['SIM_BENCH_ROUNDS'] ?? 5);
// 10,000 chargers on a busy 2-core machine take minutes to connect; the bound only stops a run that hangs.
const HARD_LIMIT_MS = 600_000;

interface ClientReport {
  connectBootMs: number;
  memPerCharger: number;
}

type Side = 'sim' | 'bare';
type Counts = Record<Side, number>;

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
  const heartbeats: Counts = { sim: 0, bare: 0 };
  const side = new Map<string, Side>();
  hub.stream.subscribe((e) => {
    if (e.kind === 'opened') side.set(e.conn, e.connection.url.includes('/sim') ? 'sim' : 'bare');
    else if (e.kind === 'closed') side.delete(e.conn);
    else if (
      e.kind === 'frame' &&
      e.sender === 'station' &&
      e.msg?.action === 'Heartbeat' &&
      e.msg.type === 2
    )
      heartbeats[side.get(e.conn) ?? 'bare']++;
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
    if (m.cmd === 'heartbeats') process.send?.({ heartbeats: { ...heartbeats } });
  });
  process.send?.({ port: status.port });
}

/** Our simulator: a fleet of N stations, one scheduler. */
async function runSim(port: number, measured: (r: ClientReport) => Promise<void>): Promise<void> {
  const { ConnectionHub } = await import('../electron/engine/connections/connection-hub');
  const { Fleet } = await import('../electron/engine/simulation/fleet');
  const hub = new ConnectionHub();
  // What every process pays once (compiled code, the version's schemas, the first buffers) is not per charger.
  const warm = new Fleet(hub, {
    to: `ws://127.0.0.1:${port}/sim-warm`,
    protocol: '1.6',
    id: 'WARM',
    count: WARM,
    simulator: { connectors: 2 },
  });
  await warm.start();
  await until(() => warm.stations().every((s) => s.model?.boot === 'accepted'));
  const base = memNow();
  const fleet = new Fleet(hub, {
    to: `ws://127.0.0.1:${port}/sim`,
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
  await measured({ connectBootMs, memPerCharger });
  await fleet.stop();
  await warm.stop();
}

/** The baseline: bare ws clients sending the same frames from one loop. */
async function runBare(port: number, measured: (r: ClientReport) => Promise<void>): Promise<void> {
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
          const ws = new WebSocket(`ws://127.0.0.1:${port}/bare/${prefix}-${i + 1}`, ['ocpp1.6'], {
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
  await measured({ connectBootMs, memPerCharger });
  clearInterval(tick);
  for (const ws of clients) ws.terminate();
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
  // Once connected, the child reports, then answers CPU samples until the parent says stop.
  const measured = (report: ClientReport): Promise<void> =>
    new Promise((resolve) => {
      process.on('message', (m: { cmd?: string }) => {
        if (m.cmd === 'cpu') process.send?.({ cpu: cpuNow() });
        else if (m.cmd === 'stop') resolve();
      });
      process.send?.({ report });
    });
  await (ROLE === 'sim' ? runSim(port, measured) : runBare(port, measured));
  process.exit(0);
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

interface Sample {
  at: number;
  cpu: Counts;
  heartbeats: Counts;
}

/** Both clients' CPU and the endpoint's heartbeat counts, asked for at the same moment. */
async function sample(sim: ChildProcess, bare: ChildProcess, servers: ChildProcess[]): Promise<Sample> {
  const at = performance.now();
  const cpu = [message<number>(sim, 'cpu'), message<number>(bare, 'cpu')];
  const counted = servers.map((s) => message<Counts>(s, 'heartbeats'));
  sim.send({ cmd: 'cpu' });
  bare.send({ cmd: 'cpu' });
  for (const s of servers) s.send({ cmd: 'heartbeats' });
  const [s, b] = await Promise.all(cpu);
  const heartbeats: Counts = { sim: 0, bare: 0 };
  for (const c of await Promise.all(counted)) {
    heartbeats.sim += c.sim;
    heartbeats.bare += c.bare;
  }
  return { at, cpu: { sim: s!, bare: b! }, heartbeats };
}

interface Round {
  cpuUs: Counts;
  /** Heartbeats the endpoint received per second in the window, divided by what the interval asks for. */
  share: Counts;
}

function round(a: Sample, b: Sample): Round {
  const seconds = (b.at - a.at) / 1000;
  const per = (side: Side): number => (b.cpu[side] - a.cpu[side]) / (b.heartbeats[side] - a.heartbeats[side]);
  const share = (side: Side): number =>
    (b.heartbeats[side] - a.heartbeats[side]) / seconds / ((N + WARM) / H);
  return { cpuUs: { sim: per('sim'), bare: per('bare') }, share: { sim: share('sim'), bare: share('bare') } };
}

export async function run(): Promise<BenchResult[]> {
  // One endpoint per side, alike: a process may hold 20,000 sockets here (ulimit -n), not 2 x 10,050.
  const servers = [child('server'), child('server')];
  try {
    const ports = await Promise.all(servers.map((s) => message<number>(s, 'port')));
    // Both sides connect at once, each to its own endpoint.
    const bareChild = child('bare', { OCPP_SCOPE_SIM_BENCH_PORT: String(ports[0]) });
    const simChild = child('sim', { OCPP_SCOPE_SIM_BENCH_PORT: String(ports[1]) });
    try {
      const [sim, bare] = await Promise.all([
        message<ClientReport>(simChild, 'report'),
        message<ClientReport>(bareChild, 'report'),
      ]);
      // One interval after the last boot every charger on both sides is heart-beating.
      await new Promise((r) => setTimeout(r, H * 1000));
      const rounds: Round[] = [];
      let prev = await sample(simChild, bareChild, servers);
      for (let r = 0; r < ROUNDS; r++) {
        await new Promise((res) => setTimeout(res, H * 1000));
        const next = await sample(simChild, bareChild, servers);
        const one = round(prev, next);
        rounds.push(one);
        prev = next;
        console.log(
          `  simulator round ${r + 1}/${ROUNDS}: ours ${one.cpuUs.sim.toFixed(1)} µs, bare ${one.cpuUs.bare.toFixed(1)} µs per heartbeat, ${(one.cpuUs.sim / one.cpuUs.bare).toFixed(2)}x (heartbeat share ${one.share.sim.toFixed(3)} / ${one.share.bare.toFixed(3)})`,
        );
      }
      return results(sim, bare, rounds);
    } finally {
      await Promise.all([stop(simChild), stop(bareChild)]);
    }
  } finally {
    for (const s of servers) s.kill();
  }
}

/** Asks a client to stop, waits (bounded) for it to finish, then makes sure it is gone. */
async function stop(c: ChildProcess | undefined): Promise<void> {
  if (!c) return;
  if (c.connected) c.send({ cmd: 'stop' });
  if (c.exitCode === null)
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  c.kill();
}

function results(sim: ClientReport, bare: ClientReport, rounds: Round[]): BenchResult[] {
  const simCpu = median(rounds.map((r) => r.cpuUs.sim));
  const bareCpu = median(rounds.map((r) => r.cpuUs.bare));
  const cpuRatio = median(rounds.map((r) => r.cpuUs.sim / r.cpuUs.bare));
  const ratios = rounds.map((r) => (r.cpuUs.sim / r.cpuUs.bare).toFixed(2)).join(', ');
  const simShare = median(rounds.map((r) => r.share.sim));
  const bareShare = median(rounds.map((r) => r.share.bare));
  const setting = `${N} chargers a side, both sides at once (an endpoint process each), 1.6, heartbeat every ${H} s, shipped defaults otherwise`;
  const memRatio = sim.memPerCharger / bare.memPerCharger;
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
      detail: `${setting}; median of ${rounds.length} paired rounds (${ratios}); ours ${simCpu.toFixed(1)} µs, bare ${bareCpu.toFixed(1)} µs per heartbeat (medians)`,
    },
    {
      name: 'simulator: heartbeats arriving on time (share of those due)',
      value: simShare,
      unit: 'x',
      detail: `${setting}; ours ${simShare.toFixed(3)}, bare ${bareShare.toFixed(3)} (medians; 1.000 = none lost or late)`,
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
}

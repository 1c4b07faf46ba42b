// `npm run bench rules`: what the behaviour rules cost on live traffic. Two endpoints in this process, both with the
// shipped endpoint defaults: one as shipped (behaviour rules on), one with the rules off (NOT a default: nothing in
// the product turns them off; it is here only as the baseline). One charger each runs the same transaction session
// (boot, statuses, a started transaction, then MeterValues with a rising register and Heartbeats, 50 calls in
// flight). Paired rounds, the order alternating; the geometric mean of the per-round ratios is reported (the side
// measured second runs slower on this kind of machine, whichever it is: with both orders equally often, the
// geometric mean cancels that, a median does not). Throughput is
// counted per CPU second of this process (client and server alike on both sides, so the difference is the rules):
// on a machine shared with other work, wall-clock rates swing by 2x from one round to the next, CPU time far less.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import WebSocket from 'ws';
import type { BenchResult } from './bench-result';
import { median } from './median';

const CALLS = 3000;
const INFLIGHT = 50;
/** Even: as many rounds with each side first, so the geometric mean cancels an order effect. */
const ROUNDS = 24;
const HARD_LIMIT_MS = 60_000;

interface Side {
  label: string;
  port: number;
  stop(): Promise<void>;
}

async function endpoint(rules: boolean): Promise<Side> {
  const { ConnectionHub, DEFAULT_ENDPOINT_SETTINGS, Endpoint } = await import('../electron/engine/index');
  const hub = new ConnectionHub();
  if (!rules) hub.observers = [];
  const ep = new Endpoint(hub);
  const status = await ep.start({ ...DEFAULT_ENDPOINT_SETTINGS, host: '127.0.0.1', port: 0 });
  if (!status.port) throw new Error(status.error ?? 'endpoint did not start');
  return {
    label: rules ? 'rules on (shipped default)' : 'rules off (non-default baseline)',
    port: status.port,
    stop: async () => {
      await Promise.all(hub.list().map((c) => c.close(1000, 'bench done')));
      await ep.stop();
      hub.dispose();
    },
  };
}

function call(ws: WebSocket, id: string, action: string, payload: object): Promise<unknown[]> {
  return new Promise((resolve) => {
    const on = (d: WebSocket.RawData): void => {
      const m = JSON.parse(String(d)) as unknown[];
      if (m[1] !== id) return;
      ws.off('message', on);
      resolve(m);
    };
    ws.on('message', on);
    ws.send(JSON.stringify([2, id, action, payload]));
  });
}

/** A charger on `port` that booted and started a transaction; returns its socket and the transaction id. */
async function charger(port: number, identity: string): Promise<{ ws: WebSocket; tx: number }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ocpp/${identity}`, ['ocpp1.6'], {
    perMessageDeflate: false,
  });
  await new Promise<void>((r, j) => (ws.once('open', () => r()), ws.once('error', j)));
  const now = (): string => new Date().toISOString();
  await call(ws, 'b', 'BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Rules' });
  for (const [i, status] of ['Available', 'Preparing', 'Charging'].entries())
    await call(ws, `s${i}`, 'StatusNotification', { connectorId: 1, status, errorCode: 'NoError' });
  const started = await call(ws, 'st', 'StartTransaction', {
    connectorId: 1,
    idTag: 'BENCH',
    meterStart: 0,
    timestamp: now(),
  });
  const tx = (started[2] as { transactionId?: number }).transactionId ?? 1;
  return { ws, tx };
}

/**
 * The session's steady part: MeterValues (rising energy) and Heartbeats, `INFLIGHT` calls in flight. Resolves with
 * calls per CPU second of the process.
 */
function throughput(ws: WebSocket, tx: number, round: number): Promise<number> {
  let sent = 0;
  let answered = 0;
  let wh = round * CALLS * 10;
  const at = new Date().toISOString();
  const frame = (): string => {
    const id = `r${round}-${sent++}`;
    if (sent % 2 === 0) return `[2,"${id}","Heartbeat",{}]`;
    wh += 10;
    return JSON.stringify([
      2,
      id,
      'MeterValues',
      {
        connectorId: 1,
        transactionId: tx,
        meterValue: [
          {
            timestamp: at,
            sampledValue: [
              { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
              { value: '11040', measurand: 'Power.Active.Import', unit: 'W' },
            ],
          },
        ],
      },
    ]);
  };
  const cpu0 = process.cpuUsage();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('rules bench round exceeded its bound')), HARD_LIMIT_MS);
    const on = (): void => {
      answered++;
      if (sent < CALLS) ws.send(frame());
      if (answered === CALLS) {
        clearTimeout(timer);
        ws.off('message', on);
        const used = process.cpuUsage(cpu0);
        resolve(CALLS / ((used.user + used.system) / 1e6));
      }
    };
    ws.on('message', on);
    for (let k = 0; k < INFLIGHT; k++) ws.send(frame());
  });
}

// A full collection before each timed run: otherwise the garbage of the side measured first is collected during the
// other's run and charged to it (the rounds' ratios then split by which side went first).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

export async function run(): Promise<BenchResult[]> {
  const on = await endpoint(true);
  const off = await endpoint(false);
  const sides = [on, off];
  const chargers = await Promise.all(sides.map((s, i) => charger(s.port, `BENCH-${i}`)));
  try {
    // Warm-up: both sides, so JIT and lazily loaded schemas are not charged to the first one measured.
    for (const c of chargers) await throughput(c.ws, c.tx, 0);
    const ratios: number[] = [];
    const rates: [number[], number[]] = [[], []];
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      const r: number[] = [0, 0];
      for (const i of order) {
        collect();
        r[i] = await throughput(chargers[i]!.ws, chargers[i]!.tx, round);
      }
      rates[0].push(r[0]!);
      rates[1].push(r[1]!);
      ratios.push(r[0]! / r[1]!);
    }
    const ratio = Math.exp(ratios.reduce((sum, x) => sum + Math.log(x), 0) / ratios.length);
    if (process.env.BENCH_DEBUG) console.log(ratios.map((x) => x.toFixed(2)).join(' '));
    const cost = 1 - ratio;
    return [
      {
        name: `live endpoint throughput per CPU second, behaviour rules on (default) / off (non-default), 1.6 transaction session`,
        value: ratio,
        unit: 'x',
        target: '>= 0.9 (rules cost at most 10%)',
        met: ratio >= 0.9,
        detail:
          `geometric mean of ${ROUNDS} paired rounds (median ${median(ratios).toFixed(3)}) of ${CALLS} calls (MeterValues + Heartbeat, ${INFLIGHT} in flight, one charger, in process); ` +
          `${on.label} ${median(rates[0]).toFixed(0)} calls per CPU s, ${off.label} ${median(rates[1]).toFixed(0)}; cost ${(cost * 100).toFixed(1)}%`,
      },
    ];
  } finally {
    for (const c of chargers) c.ws.terminate();
    for (const s of sides) await s.stop();
  }
}

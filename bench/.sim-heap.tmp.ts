// temporary: heap by constructor, per simulated charger (not committed)
import { fork } from 'node:child_process';
import { writeHeapSnapshot } from 'node:v8';
import { readFileSync } from 'node:fs';
const N = Number(process.env.N ?? 2000);
const server = fork(new URL('./simulator.bench.ts', import.meta.url).pathname, [], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, OCPP_SCOPE_SIM_BENCH_ROLE: 'server', SIM_BENCH_HEARTBEAT_SEC: '10' },
});
const port: number = await new Promise((r) => server.on('message', (m: any) => m.port && r(m.port)));
const { ConnectionHub } = await import('../electron/engine/connections/connection-hub');
const { Fleet } = await import('../electron/engine/simulation/fleet');
const hub = new ConnectionHub();
const until = async (f: () => boolean) => { while (!f()) await new Promise((r) => setTimeout(r, 50)); };
const warm = new Fleet(hub, { to: `ws://127.0.0.1:${port}/sim-warm`, protocol: '1.6', id: 'WARM', count: 50, simulator: { connectors: 2 } } as any);
await warm.start();
await until(() => warm.stations().every((s: any) => s.model?.boot === 'accepted'));
await new Promise((r) => setTimeout(r, 500));
(globalThis as any).gc(); (globalThis as any).gc();
const a = writeHeapSnapshot('/tmp/sim-a.heapsnapshot');
const fleet = new Fleet(hub, { to: `ws://127.0.0.1:${port}/sim`, protocol: '1.6', id: 'SIM', count: N, simulator: { connectors: 2 } } as any);
await fleet.start();
await until(() => fleet.stations().every((s: any) => s.model?.boot === 'accepted'));
await new Promise((r) => setTimeout(r, 500));
(globalThis as any).gc(); (globalThis as any).gc();
const b = writeHeapSnapshot('/tmp/sim-b.heapsnapshot');
function summary(file: string) {
  const s = JSON.parse(readFileSync(file, 'utf8'));
  const f = s.snapshot.meta.node_fields; const types = s.snapshot.meta.node_types[0];
  const nf = f.length; const iType = f.indexOf('type'), iName = f.indexOf('name'), iSize = f.indexOf('self_size');
  const m = new Map<string, [number, number]>();
  for (let i = 0; i < s.nodes.length; i += nf) {
    const t = types[s.nodes[i + iType]]; let name = s.strings[s.nodes[i + iName]];
    const key = t === 'object' || t === 'closure' ? `${t}:${name}` : t === 'string' || t === 'concatenated string' || t === 'sliced string' ? 'string' : `${t}:${t==='code'||t==='hidden'||t==='array' ? String(name).slice(0,40) : ''}`;
    const e = m.get(key) ?? [0, 0]; e[0]++; e[1] += s.nodes[i + iSize]; m.set(key, e);
  }
  return m;
}
const ma = summary(a), mb = summary(b);
const rows: [string, number, number][] = [];
let total = 0;
for (const [k, [c, sz]] of mb) { const [ca, sa] = ma.get(k) ?? [0, 0]; rows.push([k, (c - ca) / N, (sz - sa) / N]); total += sz - sa; }
rows.sort((x, y) => y[2] - x[2]);
console.log('total heap bytes per charger', (total / N).toFixed(0));
for (const r of rows.slice(0, 45)) console.log(r[2].toFixed(1).padStart(8), r[1].toFixed(2).padStart(7), r[0]);
server.kill(); process.exit(0);

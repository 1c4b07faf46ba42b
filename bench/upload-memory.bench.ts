// Serve-mode open (issue 13): the peak memory of the serve host while a browser opens a large capture, measured in
// its own child process for the two ways a file can travel: one openContent message holding the whole file (what
// the page did before) and the chunked upload the page does now (beginUpload / uploadChunk / finishUpload). The
// client runs here, in the parent, so its own copy of the file is not counted. Shipped defaults (1 MiB chunks).
// Size: UPLOAD_BENCH_MB (default 100; the bridge refuses messages over 64 MiB, so the one-message figure is taken
// with that cap lifted in the child: labelled below).
import { spawn } from 'node:child_process';
import { mkdtempSync, openAsBlob, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import type { EngineApi } from '../shared/api';
import { encodeEvent, encodeHeader, makeHeader } from '../shared/capture/format';
import type { SocketFactory } from '../renderer/src/api/bridge-client';
import { createBridgeClient } from '../renderer/src/api/bridge-client';
import { uploadFile } from '../renderer/src/components/upload-file';
import type { BenchResult } from './bench-result';

const self = fileURLToPath(import.meta.url);
const wsFactory: SocketFactory = (url) => new WebSocket(url) as unknown as ReturnType<SocketFactory>;

function writeCapture(path: string, megabytes: number): number {
  const lines: string[] = [encodeHeader(makeHeader('bench', []))];
  let bytes = 0;
  for (let i = 0; bytes < megabytes * 1024 * 1024; i++) {
    const line = encodeEvent({
      kind: 'frame',
      seq: i,
      t: 1_700_000_000_000 + i,
      mono: i,
      conn: `c${i % 8}`,
      sender: i % 2 ? 'csms' : 'station',
      text: `[2,"${i}","DataTransfer",{"vendorId":"bench","data":"${'x'.repeat(300)}"}]`,
      findings: [],
      msg: { type: 2, id: String(i), action: 'DataTransfer' },
    });
    lines.push(line);
    bytes += line.length + 1;
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return lines.length - 1;
}

interface HostReport {
  baselineRssKb: number;
  maxRssKb: number;
  /** RSS once the file is open and indexed: what stays, against the peak on the way. */
  afterRssKb: number;
}

async function measure(mode: 'one-message' | 'chunked', file: string, events: number): Promise<HostReport> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--upload-bench-host', mode], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const r = await lines.next();
    if (r.done) throw new Error('the bench host ended early');
    return r.value;
  };
  const url = await next();
  const api = createBridgeClient(url, wsFactory);
  try {
    const info =
      mode === 'chunked'
        ? await uploadFile(api, Object.assign(await openAsBlob(file), { name: 'bench.ocppcap.jsonl' }))
        : await api.openContent('bench.ocppcap.jsonl', readFileSync(file, 'utf8'), 'utf8');
    await waitIndexed(api, info.id, events);
  } finally {
    api.close();
  }
  child.stdin!.write('report\n');
  const report = JSON.parse(await next()) as HostReport;
  child.stdin!.end();
  return report;
}

async function waitIndexed(api: EngineApi, id: string, events: number): Promise<void> {
  for (let i = 0; i < 6000; i++) {
    const s = (await api.listSources()).find((x) => x.id === id);
    if (s && !s.indexing && s.events >= events) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('indexing did not finish in 5 minutes');
}

export async function run(): Promise<BenchResult[]> {
  const mb = Number(process.env.UPLOAD_BENCH_MB ?? 100);
  const dir = mkdtempSync(join(tmpdir(), 'upload-bench-'));
  try {
    const file = join(dir, 'bench.ocppcap.jsonl');
    const events = writeCapture(file, mb);
    const size = statSync(file).size;
    // UPLOAD_BENCH_ONLY=chunked skips the one-message baseline (it needs about 5x the file in memory).
    const old =
      process.env.UPLOAD_BENCH_ONLY === 'chunked'
        ? { baselineRssKb: 0, maxRssKb: 0, afterRssKb: 0 }
        : await measure('one-message', file, events);
    const now = await measure('chunked', file, events);
    const growth = (r: HostReport): number => (r.maxRssKb - r.baselineRssKb) / 1024;
    const detail = (r: HostReport): string =>
      `host RSS ${Math.round(r.baselineRssKb / 1024)} MB at rest, peak ${Math.round(r.maxRssKb / 1024)} MB ` +
      `(+${Math.round(growth(r))} MB), ${Math.round(r.afterRssKb / 1024)} MB once open and indexed, ` +
      `for a ${Math.round(size / 2 ** 20)} MB capture of ${events} events`;
    return [
      {
        name: 'serve open, one message (before; 64 MiB bridge cap lifted): peak host growth / file size',
        value: growth(old) / (size / 2 ** 20),
        unit: 'x',
        detail: detail(old),
      },
      {
        name: 'serve open, 1 MiB chunks (now): peak host growth / file size',
        value: growth(now) / (size / 2 ** 20),
        unit: 'x',
        detail: detail(now),
      },
      ...(old.maxRssKb > 0
        ? [
            {
              // Side by side in one run: what the host's peak grows by now, against what it grew by before.
              name: 'serve open: peak host growth, chunks / one message',
              value: growth(now) / growth(old),
              unit: 'x',
              target: '<= 0.25',
              met: growth(now) / growth(old) <= 0.25,
            },
          ]
        : []),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function host(mode: string): Promise<void> {
  const { ScopeEngine } = await import('../electron/engine/scope-engine');
  const serve = await import('../electron/host/serve');
  const dir = mkdtempSync(join(tmpdir(), 'upload-bench-host-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  const engine = new ScopeEngine({ dataDir: join(dir, 'data') });
  const handle = await serve.startServe({
    engine,
    rendererRoot: dir,
    ...(mode === 'one-message' ? { maxMessageBytes: 1 << 30 } : {}),
  });
  if (global.gc) global.gc();
  const baselineRssKb = Math.round(process.memoryUsage.rss() / 1024);
  process.stdout.write(handle.bridgeUrl + '\n');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line !== 'report') continue;
    const report: HostReport = {
      baselineRssKb,
      maxRssKb: process.resourceUsage().maxRSS,
      afterRssKb: Math.round(process.memoryUsage.rss() / 1024),
    };
    process.stdout.write(JSON.stringify(report) + '\n');
    break;
  }
  await handle.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

if (process.argv[2] === '--upload-bench-host') await host(process.argv[3]!);

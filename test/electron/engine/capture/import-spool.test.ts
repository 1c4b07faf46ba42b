import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { openSourceFile } from '../../../../electron/engine/capture/open-source';
import { CaptureSources } from '../../../../electron/engine/capture/capture-sources';
import type { EventSource } from '../../../../electron/engine/capture/event-source';
import { harFileEntries } from '../../../../electron/engine/capture/har-file-entries';
import type { FileChunkFeed } from '../../../../electron/engine/capture/file-chunks';
import { spoolHar } from '../../../../electron/engine/capture/import-spool';
import { MemorySource } from '../../../../electron/engine/capture/memory-source';
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import { decodePcap, decodePcapTo } from '../../../../electron/engine/pcap/pcap-import';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { eventsToHar, harEntriesToEvents } from '../../../../shared/capture/har';
import { mutateBytes, mutateText, Rng, seedHar, seedPcap } from '../../../fuzz/corpus';
import { exitWithin, stopChild } from '../../../support/child-process';
import { captureLoopback } from '../pcap/loopback-capture';
import { readPcap, writePcap } from '../pcap/pcap-rewrite';
import { syntheticPcap, wsFrame } from '../pcap/synthetic-pcap';
import { writeBigHar } from './big-import';
import { session } from './fixtures';
import { suiteTempDir } from '../../../support/temp-dirs';

/**
 * pcap and HAR imports spool their events to a private capture file: what a user sees (events, order, findings,
 * connections, statistics) must be exactly what the in-memory import gave, for well-formed and damaged files alike.
 */

const dir = suiteTempDir('import-spool');
const enc = new TextEncoder();

/** The in-memory import, as openSourceFile did it before spooling. */
function inMemory(kind: 'pcap' | 'har', name: string, bytes: Uint8Array): MemorySource {
  if (kind === 'pcap') {
    const d = decodePcap(bytes);
    return new MemorySource('m', 'capture', name, d.events, d.findings, d.connections);
  }
  const har = harFileEntries([bytes]);
  const h = harEntriesToEvents(har.entries, {}, har.problem);
  return new MemorySource('m', 'capture', name, h.events, h.findings, h.connections);
}

async function all(source: EventSource): Promise<ScopeEvent[]> {
  const out: ScopeEvent[] = [];
  for await (const e of source.events()) out.push(e);
  return out;
}

/** A capture file holds JSON: the in-memory events as they read back from one. */
const asJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

let n = 0;
async function expectSameImport(kind: 'pcap' | 'har', bytes: Uint8Array): Promise<ScopeEvent[]> {
  const name = `in-${++n}.${kind}`;
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const memory = inMemory(kind, name, bytes);
  const spooled = await openSourceFile(path, { id: 'm' });
  try {
    await spooled.whenIndexed();
    const events = await all(spooled);
    expect(events).toEqual(asJson(await all(memory)));
    expect(spooled.info()).toEqual(asJson(memory.info()));
    expect(spooled.connections()).toEqual(asJson(memory.connections()));
    expect(spooled.stats()).toEqual(asJson(memory.stats()));
    // Paging and filtering read the spooled file through its index.
    const page = await spooled.query({ withFindings: true }, 0, 50);
    expect(page).toEqual(asJson(await memory.query({ withFindings: true }, 0, 50)));
    return events;
  } finally {
    await spooled.close();
  }
}

function framesOf(texts: string[]): Uint8Array {
  return syntheticPcap(
    texts.map((t, i) => ({
      fromClient: i % 2 === 0,
      bytes: wsFrame(enc.encode(t), { masked: i % 2 === 0 }),
    })),
    40,
  );
}

const CALLS = [
  '[2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]',
  '[3,"1",{"status":"Accepted","currentTime":"2025-01-01T00:00:00.000Z","interval":300}]',
  '[2,"2","Heartbeat",{"extra":1}]',
  '[3,"2",{"currentTime":"2025-01-01T00:00:00.000Z"}]',
  '[2,"3","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging"}]',
  '[4,"3","InternalError","boom",{}]',
  '[2,"4","Heartbeat",{}]',
];

describe('spooled imports read exactly as the in-memory import did', () => {
  const real: { file?: string } = {};

  beforeAll(async () => {
    // A real capture (tcpdump on loopback): two chargers interleaved, one with permessage-deflate.
    const servers = await Promise.all(
      [false, true].map(async (deflate) => {
        const wss = new WebSocketServer({
          host: '127.0.0.1',
          port: 0,
          handleProtocols: () => 'ocpp1.6',
          perMessageDeflate: deflate ? { threshold: 0 } : false,
        });
        await new Promise((r) => wss.once('listening', r));
        wss.on('connection', (s) =>
          s.on('message', (d) => {
            const v = JSON.parse(String(d)) as unknown[];
            s.send(JSON.stringify([3, v[1], { currentTime: '2025-01-01T00:00:00.000Z' }]));
          }),
        );
        return { wss, port: (wss.address() as AddressInfo).port, deflate };
      }),
    );
    const file = join(dir, 'lo.pcap');
    await captureLoopback(
      file,
      servers.map((s) => s.port),
      async () => {
        const clients = await Promise.all(
          servers.map(async (s, k) => {
            const c = new WebSocket(`ws://127.0.0.1:${s.port}/ocpp/CP-${k + 1}`, ['ocpp1.6'], {
              perMessageDeflate: s.deflate ? { threshold: 0 } : false,
            });
            await new Promise((r, j) => {
              c.once('open', r);
              c.once('error', j);
            });
            return c;
          }),
        );
        for (let i = 0; i < 20; i++)
          await Promise.all(
            clients.map(
              (c) =>
                new Promise<void>((resolve) => {
                  c.once('message', () => resolve());
                  c.send(JSON.stringify([2, `h${i}`, 'Heartbeat', {}]));
                }),
            ),
          );
        await Promise.all(
          clients.map(
            (c) =>
              new Promise<void>((resolve) => {
                c.once('close', () => resolve());
                c.close(1000, 'done');
              }),
          ),
        );
      },
    );
    for (const s of servers) s.wss.close();
    real.file = file;
  }, 60_000);

  it('a real two-charger capture (one compressed), with its handshakes, frames, pairs and closes', async () => {
    const events = await expectSameImport('pcap', new Uint8Array(readFileSync(real.file!)));
    expect(events.filter((e) => e.kind === 'opened')).toHaveLength(2);
    expect(events.filter((e) => e.kind === 'frame')).toHaveLength(80);
    expect(events.filter((e) => e.kind === 'closed')).toHaveLength(2);
  });

  it('synthetic pcaps: calls, answers, errors, schema findings; segments cut anywhere', async () => {
    const events = await expectSameImport('pcap', framesOf(CALLS));
    expect(events.filter((e) => e.kind === 'frame')).toHaveLength(CALLS.length);
    expect(events.some((e) => e.kind === 'frame' && e.findings.length > 0)).toBe(true);
    await expectSameImport('pcap', seedPcap());
  });

  it('a pcap whose decode order is not its time order (records stamped out of order) sorts as in memory', async () => {
    const { linkType, recs } = readPcap(framesOf(CALLS));
    // A second interface's packets written late: the upgrade's answer and the first frames carry earlier times.
    for (const [k, r] of recs.entries()) if (k >= 6 && k % 3 === 0) r.usec = Math.max(0, r.usec - 5);
    const bytes = writePcap(linkType, recs);
    const order: number[] = [];
    decodePcapTo(bytes, (e) => order.push(e.t));
    expect(order.some((t, i) => i > 0 && t < order[i - 1]!)).toBe(true);
    await expectSameImport('pcap', bytes);
  });

  it('HAR files: several connections, an entry without an answer, a cut file', async () => {
    await expectSameImport('har', enc.encode(seedHar()));
    const two = [...session('c1', 'CP-1', 30), ...session('c2', 'CP-2', 30, 30)];
    const har = eventsToHar(two);
    const events = await expectSameImport('har', enc.encode(har));
    expect(events.filter((e) => e.kind === 'opened')).toHaveLength(2);
    const cut = await expectSameImport('har', enc.encode(har.slice(0, Math.floor(har.length * 0.7))));
    expect(cut.filter((e) => e.kind === 'opened')).toHaveLength(1);
  });

  it('damaged pcaps and HARs (the fuzz corpus mutations) give the same events and findings', async () => {
    const pcap = seedPcap();
    const har = seedHar();
    for (let seed = 1; seed <= 25; seed++) {
      await expectSameImport('pcap', mutateBytes(pcap, new Rng(seed)));
      await expectSameImport('har', mutateText(har, new Rng(seed)));
    }
  });
});

describe('a damaged pcap keeps what was decoded before the damage', () => {
  it('a file cut inside a packet says so and keeps every frame before the cut', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => CALLS[i % CALLS.length]!);
    const whole = syntheticPcap(
      texts.map((t, i) => ({
        fromClient: i % 2 === 0,
        bytes: wsFrame(enc.encode(t), { masked: i % 2 === 0 }),
      })),
      Number.POSITIVE_INFINITY,
    );
    // The last record (the 40th frame) loses its last 10 bytes.
    const events = await expectSameImport('pcap', whole.subarray(0, whole.length - 10));
    expect(events.filter((e) => e.kind === 'frame')).toHaveLength(39);
    const path = join(dir, 'cut.pcap');
    writeFileSync(path, whole.subarray(0, whole.length - 10));
    const source = await openSourceFile(path, { id: 'cut' });
    try {
      await source.whenIndexed();
      expect(source.info().findings.map((f) => f.code)).toContain('pcap-truncated');
      expect(source.info().events).toBe(events.length);
    } finally {
      await source.close();
    }
  });

  it('a gzip-compressed pcap opens spooled as its content', async () => {
    const path = join(dir, 'calls.pcap.gz');
    writeFileSync(path, gzipSync(framesOf(CALLS)));
    const memory = inMemory('pcap', 'calls.pcap', framesOf(CALLS));
    const source = await openSourceFile(path, { id: 'm' });
    try {
      await source.whenIndexed();
      expect(await all(source)).toEqual(asJson(await all(memory)));
      expect(source.info()).toEqual(asJson(memory.info()));
    } finally {
      await source.close();
    }
  });
});

describe('the spool directory', () => {
  const root = join(dir, 'spool-root');
  beforeAll(() => mkdirSync(root));

  it('holds the spooled capture while the source is open and goes when it closes', async () => {
    const path = join(dir, 'open.pcap');
    writeFileSync(path, framesOf(CALLS));
    const source = await openSourceFile(path, { id: 's', tempRoot: root });
    const made = readdirSync(root);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatch(new RegExp(`^ocpp-scope-open-${process.pid}-`));
    // Only the capture stays: the decode's scratch file is gone once the import is written.
    expect(readdirSync(join(root, made[0]!))).toEqual(['import.ocppcap.jsonl']);
    await source.close();
    expect(readdirSync(root)).toEqual([]);
  });

  it('a read that fails partway (EIO) rejects the import, closes its file and removes its folder', async () => {
    const failRoot = join(dir, 'fail-root');
    mkdirSync(failRoot);
    const text = eventsToHar([...session('c1', 'CP1', 20), ...session('c2', 'CP2', 20)], 'x.har');
    const har = enc.encode(text);
    // The first entry whole, the second begun: the import has written events when the read fails.
    const cut = enc.encode(text.slice(0, text.lastIndexOf('"_webSocketMessages"'))).length;
    const feed = {
      async *chunks(): AsyncGenerator<Uint8Array> {
        yield har.subarray(0, cut);
        throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      },
    } as unknown as FileChunkFeed;
    const spoolFds = (): string[] =>
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          const target = readlinkSync(join('/proc/self/fd', fd));
          return target.startsWith(failRoot) ? [target] : [];
        } catch {
          return [];
        }
      });
    await expect(spoolHar('x.har', feed, { id: 'f', tempRoot: failRoot })).rejects.toThrow('EIO');
    expect(spoolFds()).toEqual([]);
    expect(readdirSync(failRoot)).toEqual([]);
  });

  it('serve mode: pcap and HAR content picked in the browser is spooled too', async () => {
    const sources = new CaptureSources(new EventStream(), { tool: 'test' });
    try {
      const info = await sources.openContent(
        'calls.pcap',
        Buffer.from(framesOf(CALLS)).toString('base64'),
        'base64',
      );
      const memory = inMemory('pcap', 'calls.pcap', framesOf(CALLS));
      const page = await sources.query(info.id, {}, 0, 100);
      expect(page.events).toEqual(asJson(await all(memory)));
      const gz = await sources.openContent(
        'calls.pcap.gz',
        gzipSync(framesOf(CALLS)).toString('base64'),
        'base64',
      );
      expect((await sources.query(gz.id, {}, 0, 100)).events).toEqual(asJson(await all(memory)));
      const har = await sources.openContent('two.har', eventsToHar(session('c1', 'CP-1', 10)), 'utf8');
      expect(har.events).toBeGreaterThan(0);
    } finally {
      await sources.closeAll();
    }
  });
});

describe('the event loop during an import', () => {
  /**
   * Turns the event loop gave other work (a charger's frames, the UI) while the import was still writing its capture:
   * each turn looks at the spooled file, and a size short of its final one means the writing was under way.
   */
  async function turnsWhileWriting(path: string): Promise<{ turns: number; events: number }> {
    const root = mkdtempSync(join(dir, 'turns-'));
    const sizes = new Set<number>();
    let on = true;
    const spin = (): void => {
      if (!on) return;
      for (const d of readdirSync(root)) {
        const f = join(root, d, 'import.ocppcap.jsonl');
        if (existsSync(f)) sizes.add(statSync(f).size);
      }
      setImmediate(spin);
    };
    spin();
    const source = await openSourceFile(path, { id: 't', tempRoot: root }).finally(() => {
      on = false;
    });
    const final = statSync(join(root, readdirSync(root)[0]!, 'import.ocppcap.jsonl')).size;
    await source.whenIndexed();
    const events = source.info().events;
    await source.close();
    return { turns: [...sizes].filter((n) => n < final).length, events };
  }

  it('gets turns while a HAR (after every entry) and a pcap (every 2,000 events) are analysed and written', async () => {
    const conns = Array.from({ length: 20 }, (_, k) => session(`c${k}`, `CP-${k}`, 21, k * 21)).flat();
    const harPath = join(dir, 'turns.har');
    writeFileSync(harPath, eventsToHar(conns));
    const har = await turnsWhileWriting(harPath);
    expect(har.events).toBeGreaterThanOrEqual(20 * 21);
    expect(har.turns).toBeGreaterThanOrEqual(10);
    const pcapPath = join(dir, 'turns.pcap');
    writeFileSync(pcapPath, framesOf(Array.from({ length: 10_000 }, (_, i) => CALLS[i % CALLS.length]!)));
    const pcap = await turnsWhileWriting(pcapPath);
    expect(pcap.events).toBeGreaterThanOrEqual(10_000);
    expect(pcap.turns).toBeGreaterThanOrEqual(3);
  });

  it('gets turns within one entry too: a one-connection HAR of 20,000 messages (every 2,000 messages)', async () => {
    const path = join(dir, 'turns-one.har');
    writeBigHar(path, 1, 20_000);
    const one = await turnsWhileWriting(path);
    expect(one.events).toBe(20_001);
    expect(one.turns).toBeGreaterThanOrEqual(4);
  });
});

describe('bounded memory', () => {
  it('a 200,000-frame pcap opens with every event, holding its index, not its events (peak and retained memory)', async () => {
    const frames = 200_000;
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        join(import.meta.dirname, 'import-memory-child.ts'),
        'pcap',
        'spooled',
        String(frames),
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exit = await exitWithin(child, 60_000);
    if (!exit) await stopChild(child);
    expect(exit?.code, err).toBe(0);
    const r = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
    // Every frame, and the connection's opened event.
    expect(r.frames).toBe(frames);
    expect(r.events).toBe(frames + 1);
    expect(r.findings).toBe(0);
    // Heap held while open: the in-memory import held ~445 bytes an event here, the spooled one holds ~5 (the index
    // is typed arrays, outside the heap: ~45 bytes an event with them).
    expect(r.retained! / frames).toBeLessThan(32);
    // Peak RSS growth during the import: 35-77 MB spooled (varies with load), ~137 MB in memory; the bench measures
    // 1,000,000 frames against the 512 MB target.
    expect(r.peakGrowthKb! / 1024).toBeLessThan(128);
  }, 90_000);
});

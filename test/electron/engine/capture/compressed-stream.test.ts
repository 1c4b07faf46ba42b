import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGzip, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { GunzipReader } from '../../../../electron/engine/capture/compressed';
import type { EventSource } from '../../../../electron/engine/capture/event-source';
import { openSourceFile } from '../../../../electron/engine/capture/open-source';
import type { OpenOptions } from '../../../../electron/engine/capture/open-source';
import type { Finding, ScopeEvent } from '../../../../shared/capture/events';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { eventsToHar } from '../../../../shared/capture/har';
import { syntheticPcapParts, wsFrame } from '../pcap/synthetic-pcap';
import { writeBigHar } from './big-import';
import { session } from './fixtures';
import { suiteTempDir } from '../../../support/temp-dirs';

/**
 * A gzip-compressed pcap, pcapng or HAR is inflated as it is read, into the same streaming import as the plain file
 * (a capture into a private copy read like the plain file): memory holds a few chunks whatever the content's size,
 * the events are the plain file's, and a cut or corrupt file keeps what came before the damage, with a finding.
 */

const dir = suiteTempDir('compressed-stream');
const enc = new TextEncoder();
const MB = 2 ** 20;

const opened: EventSource[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

interface Read {
  name: string;
  events: ScopeEvent[];
  findings: Finding[];
}

async function read(path: string, options: Partial<OpenOptions> = {}): Promise<Read> {
  const source = await openSourceFile(path, { id: 's', ...options });
  opened.push(source);
  await source.whenIndexed();
  const events: ScopeEvent[] = [];
  for await (const e of source.events()) events.push(e);
  const info = source.info();
  return { name: info.name, events, findings: info.findings };
}

const frames = (r: Read): ScopeEvent[] => r.events.filter((e) => e.kind === 'frame');

// A full collection before each sample: what is measured is what the import holds, not garbage the collector has
// not come to yet (V8 lets some 64 MB of dropped Buffers wait).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Growth of the process's memory at its highest while a file was read (MB), sampled at events of the read. */
interface Peak {
  /** Memory outside the heap, Buffers included (where a file's bytes, whole or in chunks, are held). */
  buffers: number;
  heap: number;
  rss: number;
}

/**
 * Reads a compressed file, sampling the process's memory (after a full collection) at every chunk the file is
 * inflated to (4 MB), at every progress report and once every event has been read: on events, never on a timer.
 */
async function readSampled(path: string): Promise<Read & { peak: Peak; samples: number }> {
  const usage = (): { buffers: number; heap: number; rss: number } => {
    gc();
    const m = process.memoryUsage();
    return { buffers: m.external, heap: m.heapUsed, rss: m.rss };
  };
  const before = usage();
  const top = { ...before };
  let samples = 0;
  const sample = (): void => {
    const m = usage();
    samples++;
    top.buffers = Math.max(top.buffers, m.buffers);
    top.heap = Math.max(top.heap, m.heap);
    top.rss = Math.max(top.rss, m.rss);
  };
  // Wrapped by hand: a spy would keep every chunk it returned.
  const inflate = GunzipReader.prototype.read;
  GunzipReader.prototype.read = async function (this: GunzipReader, size: number) {
    const chunk = await inflate.call(this, size);
    sample();
    return chunk;
  };
  let r: Read;
  try {
    r = await read(path, { onProgress: sample });
  } finally {
    GunzipReader.prototype.read = inflate;
  }
  // Once more with every event read (the source streams them from its spooled capture).
  sample();
  return {
    ...r,
    samples,
    peak: {
      buffers: (top.buffers - before.buffers) / MB,
      heap: (top.heap - before.heap) / MB,
      rss: (top.rss - before.rss) / MB,
    },
  };
}

/** Writes `pieces` to `path` (unless `plain` is false) and gzipped to `path`.gz, streamed: never whole in memory. */
async function writeFiles(
  path: string,
  pieces: () => Iterable<Uint8Array>,
  plain = true,
): Promise<{ plain: number; gz: number }> {
  let size = 0;
  function* counted(): Generator<Uint8Array> {
    for (const p of pieces()) {
      size += p.length;
      yield p;
    }
  }
  await Promise.all([
    plain ? pipeline(Readable.from(pieces()), createWriteStream(path)) : undefined,
    pipeline(Readable.from(counted()), createGzip({ level: 1 }), createWriteStream(`${path}.gz`)),
  ]);
  return { plain: size, gz: statSync(`${path}.gz`).size };
}

const CALLS = [
  '[2,"1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]',
  '[3,"1",{"status":"Accepted","currentTime":"2025-01-01T00:00:00.000Z","interval":300}]',
  '[2,"2","Heartbeat",{}]',
  '[3,"2",{"currentTime":"2025-01-01T00:00:00.000Z"}]',
];

const sent = (n: number): { fromClient: boolean; bytes: Uint8Array }[] =>
  Array.from({ length: n }, (_, i) => ({
    fromClient: i % 2 === 0,
    bytes: wsFrame(enc.encode(CALLS[i % CALLS.length]!.replace('"1"', `"${i}"`)), { masked: i % 2 === 0 }),
  }));

/** A pcap of one charger's session of `n` frames. */
function pcap(n: number): Uint8Array {
  return Buffer.concat([...syntheticPcapParts(sent(n), Number.POSITIVE_INFINITY)]);
}

/** One UDP datagram of `bytes` (other traffic a capture holds: passed over by the import), stamped as `like`. */
function udpRecord(bytes: number, like: Uint8Array): Uint8Array {
  const rec = new Uint8Array(16 + 42 + bytes);
  rec.set(like.subarray(0, 8));
  const rv = new DataView(rec.buffer);
  rv.setUint32(8, 42 + bytes, true);
  rv.setUint32(12, 42 + bytes, true);
  const d = rec.subarray(16);
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  v.setUint16(12, 0x0800);
  d[14] = 0x45;
  v.setUint16(16, 28 + bytes);
  d[22] = 64;
  d[23] = 17;
  d.set([10, 0, 0, 1], 26);
  d.set([10, 0, 0, 2], 30);
  v.setUint16(34, 5004);
  v.setUint16(36, 5004);
  v.setUint16(38, 8 + bytes);
  for (let i = 42; i < d.length; i++) d[i] = 0x41 + (i % 23);
  return rec;
}

/**
 * A pcap of one charger's session of 40 frames with `bulk` bytes of other traffic (UDP datagrams) in the middle:
 * half the frames before it, half after, so that the import reads through all of it.
 */
function* pcapWithBulk(bulk: number): Generator<Uint8Array> {
  const parts = [...syntheticPcapParts(sent(40), Number.POSITIVE_INFINITY)];
  // The file header, the handshake's four packets and 20 frames; the bulk; the other 20 frames.
  const middle = 1 + 4 + 20;
  yield* parts.slice(0, middle);
  const datagram = udpRecord(60_000, parts[middle - 1]!);
  for (let n = 0; n < bulk; n += datagram.length) yield datagram;
  yield* parts.slice(middle);
}

/** Two chargers' sessions as a HAR, its text split around where other entries may go between the two. */
function harAround(): [string, string, string] {
  const doc = JSON.parse(eventsToHar([...session('c1', 'CP-1', 20), ...session('c2', 'CP-2', 20, 20)])) as {
    log: { entries: unknown[] };
  };
  const [first, second] = doc.log.entries;
  const [before, after] = JSON.stringify({ ...doc, log: { ...doc.log, entries: ['@'] } }).split('"@"');
  return [`${before}${JSON.stringify(first)}`, `,${JSON.stringify(second)}`, after!];
}

/** A HAR as DevTools saves one with all traffic: two chargers' sessions, and `bulk` bytes of page loads between. */
function* harWithBulk(bulk: number): Generator<Uint8Array> {
  const [head, second, tail] = harAround();
  yield enc.encode(head);
  const body = 'The quick brown fox jumps over the lazy dog. '.repeat(22_000);
  const page = enc.encode(
    `,{"startedDateTime":"2025-01-01T00:00:00.000Z","time":1,"request":{"method":"GET","url":"http://x/app.js",` +
      `"httpVersion":"HTTP/1.1","headers":[]},"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1",` +
      `"headers":[],"content":{"size":${body.length},"mimeType":"text/javascript","text":${JSON.stringify(body)}}}}\n`,
  );
  for (let n = 0; n < bulk; n += page.length) yield page;
  yield enc.encode(`${second}${tail}`);
}

describe('a big compressed file opens in bounded memory, as the plain file does', () => {
  it('a .pcap.gz of 256 MB inflated: the plain file’s events; memory held a few chunks, not the content', async () => {
    const path = join(dir, 'big.pcap');
    const size = await writeFiles(path, () => pcapWithBulk(256 * MB));
    expect(size.plain).toBeGreaterThan(256 * MB);
    expect(size.gz).toBeLessThan(4 * MB);
    const plain = await read(path);
    const gz = await readSampled(`${path}.gz`);
    expect(gz.name).toBe('big.pcap');
    expect(gz.events).toEqual(plain.events);
    expect(gz.findings).toEqual(plain.findings);
    expect(frames(gz)).toHaveLength(40);
    expect(gz.samples).toBeGreaterThanOrEqual(64);
    // The content whole (as the import held it before: inflated in one buffer, up to 1 GB) would be 256 MB.
    expect(gz.peak.buffers).toBeLessThan(32);
    expect(gz.peak.heap).toBeLessThan(16);
    // RSS also keeps what the allocator was given back but has not returned (a loose bound).
    expect(gz.peak.rss).toBeLessThan(128);
  }, 30_000);

  it('a .har.gz of 200 MB inflated: its chargers’ events; memory held a few chunks, not the content', async () => {
    const path = join(dir, 'big.har');
    const size = await writeFiles(path, () => harWithBulk(200 * MB), false);
    expect(size.plain).toBeGreaterThan(200 * MB);
    expect(size.gz).toBeLessThan(4 * MB);
    // The same chargers without the page loads (which hold no WebSocket), read plain.
    const small = join(dir, 'small.har');
    writeFileSync(small, harAround().join(''));
    const plain = await read(small);
    const gz = await readSampled(`${path}.gz`);
    expect(gz.name).toBe('big.har');
    expect(gz.events).toEqual(plain.events);
    expect(gz.findings).toEqual(plain.findings);
    expect(gz.events.filter((e) => e.kind === 'opened')).toHaveLength(2);
    expect(gz.samples).toBeGreaterThanOrEqual(50);
    // The content whole would be 200 MB of bytes, and as much again as text, before its parse.
    expect(gz.peak.buffers).toBeLessThan(40);
    expect(gz.peak.heap).toBeLessThan(16);
    // 60-67 MB measured; the bound leaves room for a busy machine's allocator and is still under the content's size.
    expect(gz.peak.rss).toBeLessThan(160);
  }, 30_000);
});

describe('a compressed file reads as the same file uncompressed', () => {
  async function bothWays(name: string, bytes: Uint8Array, gz = gzipSync(bytes)): Promise<Read> {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    writeFileSync(`${path}.gz`, gz);
    const plain = await read(path);
    const compressed = await read(`${path}.gz`);
    expect(compressed).toEqual(plain);
    return plain;
  }

  it('pcap, pcapng and HAR (several chunks long), and gzip members one after the other', async () => {
    // Frames before and after 6 MB of other traffic: the content crosses the 4 MB chunks it is inflated to.
    const p = await bothWays('calls.pcap', Buffer.concat([...pcapWithBulk(6 * MB)]));
    expect(frames(p)).toHaveLength(40);
    const ng = join(dir, 'calls.pcapng');
    expect(spawnSync('editcap', ['-F', 'pcapng', join(dir, 'calls.pcap'), ng]).status).toBe(0);
    expect(frames(await bothWays('calls.pcapng', readFileSync(ng)))).toHaveLength(40);
    const har = Buffer.concat([...harWithBulk(6 * MB)]);
    const h = await bothWays('pages.har', har);
    expect(h.events.filter((e) => e.kind === 'opened')).toHaveLength(2);
    // pigz, or rotated files joined: each part its own gzip member, read as one content.
    const cut = [0, 1000, 2 * MB + 7, 5 * MB, har.length];
    const members = Buffer.concat(cut.slice(1).map((end, i) => gzipSync(har.subarray(cut[i], end))));
    const m = await bothWays('members.har', har, members);
    expect([m.events, m.findings]).toEqual([h.events, h.findings]);
  });
});

describe('a damaged compressed file keeps what came before the damage', () => {
  const damage = (r: Read): Finding | undefined => r.findings.find((f) => f.code === 'capture-read-failed');

  /** The frames read are the first ones of the whole file's, exactly; how many. */
  function expectPrefix(part: Read, whole: Read): number {
    const got = frames(part);
    expect(got).toEqual(frames(whole).slice(0, got.length));
    return got.length;
  }

  it('a cut .pcap.gz: the frames before the cut, and a finding that says the gzip data ends there', async () => {
    const bytes = pcap(3000);
    writeFileSync(join(dir, 'cut-whole.pcap'), bytes);
    const reference = await read(join(dir, 'cut-whole.pcap'));
    const gz = gzipSync(bytes);
    const path = join(dir, 'cut.pcap.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const r = await read(path);
    const kept = expectPrefix(r, reference);
    expect(kept).toBeGreaterThan(1000);
    expect(kept).toBeLessThan(3000);
    expect(r.findings[0]).toEqual({
      code: 'capture-read-failed',
      severity: 'error',
      message:
        'cut.pcap.gz: the gzip data is damaged (unexpected end of file). The events before the damage are kept.',
    });
    // The decode says where the pcap itself was cut.
    expect(r.findings.map((f) => f.code)).toContain('pcap-truncated');
  });

  it('a cut .har.gz: the connections before the cut, and the finding', async () => {
    // Ten connections one after the other (each over before the next starts): their frames in file order.
    writeBigHar(join(dir, 'cut-whole.har'), 10, 900);
    const bytes = readFileSync(join(dir, 'cut-whole.har'));
    const reference = await read(join(dir, 'cut-whole.har'));
    const gz = gzipSync(bytes);
    const path = join(dir, 'cut.har.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.55)));
    const r = await read(path);
    const kept = expectPrefix(r, reference);
    expect(kept).toBeGreaterThan(2700);
    expect(kept).toBeLessThan(frames(reference).length);
    expect(damage(r)?.message).toMatch(
      /^cut\.har\.gz: the gzip data is damaged \(unexpected end of file\)\./,
    );
    expect(r.findings[0]).toEqual(damage(r));
  });

  it('corrupt data in the middle: what came before it, and the finding; never a crash', async () => {
    const bytes = pcap(3000);
    writeFileSync(join(dir, 'flip-whole.pcap'), bytes);
    const reference = await read(join(dir, 'flip-whole.pcap'));
    const gz = Buffer.from(gzipSync(bytes));
    for (let i = gz.length >> 1; i < gz.length - 8; i += 7) gz[i] = gz[i]! ^ 0x5a;
    const path = join(dir, 'flip.pcap.gz');
    writeFileSync(path, gz);
    const r = await read(path);
    // Deflate finds corruption some way after it: what it inflated before is kept as the file's.
    expect(frames(r).length).toBeGreaterThan(500);
    expect(frames(r).length).toBeLessThan(3000);
    expect(frames(r).slice(0, 500)).toEqual(frames(reference).slice(0, 500));
    expect(damage(r)?.message).toMatch(/^flip\.pcap\.gz: the gzip data is damaged \(.+\)\./);
  });

  it('a cut capture .gz: its copy is read like the plain file, with the finding; the copy goes on close', async () => {
    const root = join(dir, 'spool-root');
    mkdirSync(root);
    const text = encodeCapture(makeHeader('t'), session('c1', 'CP-1', 400));
    const gz = gzipSync(text);
    const path = join(dir, 'cut.ocppcap.jsonl.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.7)));
    const source = await openSourceFile(path, { id: 'c', tempRoot: root });
    try {
      await source.whenIndexed();
      const events: ScopeEvent[] = [];
      for await (const e of source.events()) events.push(e);
      expect(events.length).toBeGreaterThan(100);
      expect(events.length).toBeLessThan(400);
      expect(events).toEqual(session('c1', 'CP-1', 400).slice(0, events.length));
      const codes = source.info().findings.map((f) => f.code);
      expect(codes[0]).toBe('capture-read-failed');
      expect(readdirSync(root)).toHaveLength(1);
    } finally {
      await source.close();
    }
    expect(readdirSync(root)).toEqual([]);
  });

  it('damage before any content is an unreadable file, as before, and leaves nothing behind', async () => {
    const root = join(dir, 'spool-root-2');
    mkdirSync(root);
    const gz = gzipSync(pcap(10));
    for (const [name, bytes] of [
      ['header.pcap.gz', gz.subarray(0, 10)],
      ['bad.pcap.gz', Buffer.concat([gz.subarray(0, 10), Buffer.alloc(64, 0xff)])],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      await expect(openSourceFile(path, { id: 'x', tempRoot: root })).rejects.toMatchObject({
        name: 'OpenError',
        code: 'unreadable',
        message: expect.stringMatching(
          new RegExp(`^${name.replace(/\./g, '\\.')}: the gzip data is damaged \\(`),
        ),
      });
    }
    expect(readdirSync(root)).toEqual([]);
  });
});

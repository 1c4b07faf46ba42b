import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decompress } from '../../../../electron/engine/capture/compressed';
import { OpenError, openSourceData, openSourceFile } from '../../../../electron/engine/capture/open-source';
import { runInspect } from '../../../../electron/host/commands/inspect';
import { testIo } from '../../host/commands/cli-test-io';
import { seedCapture, seedHar, seedPcap } from '../../../fuzz/corpus';
import { suiteTempDir } from '../../../support/temp-dirs';

/** Compressed captures as people keep them, and compressed files made to hurt: bombs, damage, nesting. */

const dir = suiteTempDir('compressed');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

async function frames(name: string, data: Uint8Array): Promise<number> {
  const s = openSourceData(name, data, 'x');
  await s.whenIndexed();
  return (await s.query({}, 0, 1000)).events.filter((e) => e.kind === 'frame').length;
}

function openError(f: () => unknown): OpenError {
  try {
    f();
  } catch (e) {
    if (e instanceof OpenError) return e;
    throw e;
  }
  throw new Error('expected an OpenError');
}

describe('compressed files', () => {
  it('gzip-compressed pcap, capture and HAR open as their content, by content whatever the name', async () => {
    for (const [name, raw] of [
      ['a.pcap', seedPcap()],
      ['a.ocppcap.jsonl', enc(seedCapture())],
      ['a.har', enc(seedHar())],
    ] as const) {
      const n = await frames(name, raw);
      expect(n, name).toBeGreaterThan(3);
      expect(await frames(`${name}.gz`, gzipSync(raw)), name).toBe(n);
      expect(await frames('download', gzipSync(raw)), name).toBe(n);
    }
    const path = join(dir, 'rotated.pcap.gz');
    writeFileSync(path, gzipSync(seedPcap()));
    const file = await openSourceFile(path, { id: 'f' });
    expect(file.info().events).toBeGreaterThan(3);
    await file.close?.();
    const io = testIo();
    expect(await runInspect([path], io.io)).toBe(0);
  });

  it('other compressions are named, with the command that opens them', () => {
    const cases: [string, number[], RegExp][] = [
      ['a.pcapng.zst', [0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0], /zstd-compressed.*zstd -d a\.pcapng\.zst/],
      ['a.pcap.xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0], /xz-compressed.*xz -d/],
      ['a.zip', [0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0], /zip-compressed.*unzip a\.zip/],
      ['a.har.bz2', [0x42, 0x5a, 0x68, 0x39, 0, 0, 0, 0], /bzip2-compressed.*bunzip2/],
    ];
    for (const [name, bytes, message] of cases) {
      const e = openError(() => openSourceData(name, Uint8Array.from(bytes), 'x'));
      expect(e.code, name).toBe('unknown-format');
      expect(e.message, name).toMatch(message);
    }
  });

  it('on disk: other compressions and a file compressed twice are refused alike; a bomb is read as it inflates', async () => {
    const zst = join(dir, 'a.pcapng.zst');
    writeFileSync(zst, Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
    await expect(openSourceFile(zst, { id: 'z' })).rejects.toMatchObject({
      code: 'unknown-format',
      message: expect.stringMatching(/zstd-compressed.*zstd -d a\.pcapng\.zst/),
    });
    const twice = join(dir, 'x.pcap.gz.gz');
    writeFileSync(twice, gzipSync(gzipSync(seedPcap())));
    await expect(openSourceFile(twice, { id: 't' })).rejects.toMatchObject({
      code: 'unknown-format',
      message: expect.stringMatching(/holds another compressed file/),
    });
    // 1 GB of zeros in 1 MB: not a pcap, said at once, and the rest is never inflated (in memory the bound refuses it).
    const bomb = join(dir, 'bomb.pcap.gz');
    const piece = gzipSync(new Uint8Array(64 * 1024 * 1024));
    writeFileSync(bomb, Buffer.concat(Array.from({ length: 16 }, () => piece)));
    const source = await openSourceFile(bomb, { id: 'b' });
    try {
      expect(source.info().events).toBe(0);
      expect(source.info().findings.map((f) => f.code)).toEqual(['pcap-not-a-capture']);
    } finally {
      await source.close();
    }
  });

  it('a gzip bomb stops at the bound, as too large, without inflating past it', () => {
    const bomb = gzipSync(new Uint8Array(16 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const d = decompress('bomb.pcap.gz', bomb, 'gzip', 1024 * 1024);
    expect(d).toMatchObject({ ok: false, code: 'too-large' });
    expect(!d.ok && d.message).toMatch(/decompresses to more than 1 MB; decompress it first \(gunzip/);
  });

  it('damaged gzip is unreadable with a reason; a truncated one too; never a crash', () => {
    const good = gzipSync(seedPcap());
    const flipped = Uint8Array.from(good);
    for (let i = 20; i < flipped.length - 8; i += 7) flipped[i] = flipped[i]! ^ 0x5a;
    for (const [what, data] of [
      ['flipped', flipped],
      ['truncated', good.subarray(0, good.length >> 1)],
      ['header only', good.subarray(0, 10)],
    ] as const) {
      const e = openError(() => openSourceData('x.pcap.gz', data, 'x'));
      expect(e.code, what).toBe('unreadable');
      expect(e.message, what).toMatch(/gzip data is damaged/);
    }
  });

  it('compressed twice (or a file that inflates to itself) is refused after one level', () => {
    const twice = gzipSync(gzipSync(seedPcap()));
    const e = openError(() => openSourceData('x.pcap.gz.gz', twice, 'x'));
    expect(e.code).toBe('unknown-format');
    expect(e.message).toMatch(/holds another compressed file/);
  });
});

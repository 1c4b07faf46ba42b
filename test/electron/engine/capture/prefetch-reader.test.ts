import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrefetchReader } from '../../../../electron/engine/capture/prefetch-reader';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prefetch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads the whole file through the reader in steps of `want`, as the capture index does. */
async function readAll(path: string, chunk: number, want: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const reader = new PrefetchReader(fh, chunk);
    const parts: Buffer[] = [];
    const into = Buffer.alloc(want);
    for (let guard = 0; guard < 1_000_000; guard++) {
      const n = await reader.read(into, 0, want);
      if (n === 0) break;
      parts.push(Buffer.from(into.subarray(0, n)));
    }
    // At the end it stays at the end.
    expect(await reader.read(into, 0, want)).toBe(0);
    await reader.stop();
    return Buffer.concat(parts);
  } finally {
    await fh.close();
  }
}

describe('PrefetchReader (one chunk read ahead)', () => {
  it('gives back every byte in order, whatever the chunk size and the read size', async () => {
    const bytes = randomBytes(100_003);
    const path = join(dir, 'data.bin');
    await writeFile(path, bytes);
    for (const [chunk, want] of [
      [4096, 4096],
      [4096, 1000],
      [1000, 4096],
      [7, 3],
      [100_003, 100_003],
      [200_000, 50_000],
    ] as const) {
      expect((await readAll(path, chunk, want)).equals(bytes), `chunk ${chunk}, want ${want}`).toBe(true);
    }
  });

  it('reads an empty file as the end at once', async () => {
    const path = join(dir, 'empty.bin');
    await writeFile(path, '');
    expect((await readAll(path, 1024, 1024)).length).toBe(0);
  });

  it('surfaces a read failure at the read that needs the bytes, and stop() after it does not throw', async () => {
    const path = join(dir, 'closed.bin');
    await writeFile(path, randomBytes(10_000));
    const fh = await open(path, 'r');
    const reader = new PrefetchReader(fh, 1024);
    const into = Buffer.alloc(1024);
    expect(await reader.read(into, 0, 1024)).toBe(1024);
    await fh.close();
    // The chunk read ahead before the close may still arrive; the one after it cannot.
    const outcomes: string[] = [];
    for (let i = 0; i < 2 && !outcomes.includes('failed'); i++) {
      outcomes.push(
        await reader.read(into, 0, 1024).then(
          (n) => `read ${n}`,
          () => 'failed',
        ),
      );
    }
    expect(outcomes).toContain('failed');
    await expect(reader.stop()).resolves.toBeUndefined();
  });

  it('stop() waits for the read under way, so the file can be closed after it', async () => {
    const path = join(dir, 'stop.bin');
    await writeFile(path, randomBytes(50_000));
    const fh = await open(path, 'r');
    const reader = new PrefetchReader(fh, 4096);
    await reader.stop();
    await fh.close();
    expect(await reader.read(Buffer.alloc(16), 0, 16)).toBe(0);
  });
});

import { openSync, closeSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { CaptureFile } from '../../../../electron/engine/capture/capture-file';
import { readAt, readAtSync, readFully } from '../../../../electron/engine/capture/read-fully';
import { cleanupsAfterEach } from '../../../support/cleanups';
import { session } from './fixtures';
import { suiteTempDir } from '../../../support/temp-dirs';

const cleanups = cleanupsAfterEach();
const dir = suiteTempDir('read-fully');
const bytes = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 7) & 0xff));
const path = join(dir, 'bytes.bin');
writeFileSync(path, bytes);

/** A file handle whose reads return at most `most` bytes each, as a network file system may. */
function shortReads(fh: FileHandle, most: number): { reads: () => number } {
  let reads = 0;
  const read = fh.read.bind(fh) as (
    b: Uint8Array,
    o: number,
    l: number,
    p: number,
  ) => ReturnType<FileHandle['read']>;
  Object.assign(fh, {
    read: (b: Uint8Array, o: number, l: number, p: number) => {
      reads++;
      return read(b, o, Math.min(l, most), p);
    },
  });
  return { reads: () => reads };
}

describe('reading N bytes at a position until done', () => {
  it('reads on past short reads to the size asked, and stops at the end of the file', async () => {
    const fh = await open(path, 'r');
    cleanups.push(() => fh.close());
    const counted = shortReads(fh, 333);
    expect(await readAt(fh, 100, 5000)).toEqual(bytes.subarray(100, 5100));
    expect(counted.reads()).toBe(Math.ceil(5000 / 333));
    expect(await readAt(fh, 9000, 5000)).toEqual(bytes.subarray(9000));
    expect(await readAt(fh, 20_000, 10)).toHaveLength(0);
    const buf = Buffer.alloc(50);
    expect(await readFully(fh, buf, 40, 9_980)).toBe(20);
    expect(buf.subarray(0, 20)).toEqual(bytes.subarray(9_980));
    const fd = openSync(path, 'r');
    cleanups.push(async () => closeSync(fd));
    expect(readAtSync(fd, 100, 5000)).toEqual(bytes.subarray(100, 5100));
    expect(readAtSync(fd, 9000, 5000)).toEqual(bytes.subarray(9000));
  });

  it('a recording read back with short reads gives the events as written, not the unread rest of a buffer', async () => {
    const events = session('c1', 'CP-1', 200);
    const capture = join(dir, 'short.jsonl');
    writeFileSync(capture, encodeCapture(makeHeader('test'), events));
    const f = await CaptureFile.open(capture);
    cleanups.push(() => f.close());
    await f.whenIndexed();
    const whole = await f.query({}, 0, 200);
    const counted = shortReads((f as unknown as { fh: FileHandle }).fh, 97);
    const before = counted.reads();
    const page = await f.query({}, 0, 200);
    expect(counted.reads() - before).toBeGreaterThan(1);
    expect(page.events).toEqual(whole.events);
    expect(page.events).toHaveLength(200);
    expect(f.info().findings).toEqual([]);
    const matched = await f.query({ text: 'Heartbeat' }, 0, 200);
    expect(matched.total).toBeGreaterThan(0);
    expect(matched.events.every((e) => JSON.stringify(e).includes('Heartbeat'))).toBe(true);
  });
});

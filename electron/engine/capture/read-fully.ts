import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * Reads buf[0, length) from the file at `position` on, until it is full or the file ends: one read may return fewer
 * bytes than asked (a network or FUSE file system, a file being written to) without the file having ended. Returns
 * how many bytes were read.
 */
export async function readFully(
  fh: FileHandle,
  buf: Uint8Array,
  length: number,
  position: number,
): Promise<number> {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** Up to `size` bytes of the file from `position` (fewer at its end). */
export async function readAt(fh: FileHandle, position: number, size: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(size);
  return buf.subarray(0, await readFully(fh, buf, size, position));
}

/** readAt for a file opened synchronously (fd), for readers that cannot wait. */
export function readAtSync(fd: number, position: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let got = 0;
  while (got < size) {
    const n = readSync(fd, buf, got, size - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

import { closeSync, openSync, readSync } from 'node:fs';

/** How much of a file is read at a time by the streaming imports (pcap, HAR). */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * A file's bytes, chunk by chunk, each chunk a fresh buffer (a reader may keep slices of it). The file stays open
 * until the iteration ends or is abandoned. Reading is synchronous: the decoders that consume it are too.
 */
export function* fileChunks(path: string, chunkBytes = CHUNK_BYTES): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(chunkBytes);
      let n = 0;
      while (n < chunkBytes) {
        const got = readSync(fd, buf, n, chunkBytes - n, null);
        if (got === 0) break;
        n += got;
      }
      if (n === 0) return;
      yield n === chunkBytes ? buf : buf.subarray(0, n);
      if (n < chunkBytes) return;
    }
  } finally {
    closeSync(fd);
  }
}

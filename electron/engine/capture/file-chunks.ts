import { closeSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { LateChunks } from '../pcap/byte-cursor';
import { readAt, readAtSync } from './read-fully';

/** How much of a file is read at a time by the streaming imports (pcap, HAR). */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * A file's bytes, chunk by chunk, each chunk a fresh buffer (a reader may keep slices of it), read synchronously:
 * for the decode in one go (decodePcap, the reference the tests and benchmarks compare with), which cannot wait.
 * The engine's imports read through FileChunkFeed instead, so the event loop is never held by the disk.
 */
export function* fileChunks(path: string, chunkBytes = CHUNK_BYTES): Generator<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    for (let position = 0; ;) {
      const chunk = readAtSync(fd, position, chunkBytes);
      if (chunk.length === 0) return;
      yield chunk;
      if (chunk.length < chunkBytes) return;
      position += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A file's chunks (the same ones fileChunks gives) read asynchronously on libuv's thread pool, one chunk ahead of
 * the decoder: while it works on a chunk, the next one is being read. A decoder that runs in steps takes chunks
 * as from any iterable; one asked for before it has arrived is not handed (`hungry` says so), and the decoder's
 * driver awaits `fed()` before its next step. At most two chunks are held here at a time. Close it when done.
 */
export class FileChunkFeed implements LateChunks {
  private ready: Uint8Array | undefined;
  private reading: Promise<void> | undefined;
  private ended = false;
  private failed: { error: unknown } | undefined;
  private position = 0;
  private wanted = false;

  private constructor(
    private readonly fh: FileHandle,
    private readonly chunkBytes: number,
  ) {
    this.readAhead();
  }

  static async open(path: string, chunkBytes = CHUNK_BYTES): Promise<FileChunkFeed> {
    return new FileChunkFeed(await open(path, 'r'), chunkBytes);
  }

  /** True after a chunk was asked for that has not arrived yet (the file has not ended). */
  get hungry(): boolean {
    return this.wanted && !this.ended;
  }

  [Symbol.iterator](): Iterator<Uint8Array> {
    return { next: () => this.take() };
  }

  /** The chunks, each once it has been read: for a decoder that is handed its input (the HAR reader). */
  async *chunks(): AsyncGenerator<Uint8Array, void, void> {
    for (;;) {
      await this.fed();
      const r = this.take();
      if (r.done) return;
      yield r.value;
    }
  }

  /** Resolves once the next chunk has arrived or the file has ended; rejects when reading failed. */
  async fed(): Promise<void> {
    while (this.reading && !this.ready) await this.reading;
    if (this.failed) throw this.failed.error;
  }

  /** Waits for a read still under way, then closes the file. */
  async close(): Promise<void> {
    this.ended = true;
    await this.reading;
    await this.fh.close();
  }

  private take(): IteratorResult<Uint8Array, undefined> {
    if (this.failed) throw this.failed.error;
    const c = this.ready;
    if (c) {
      this.ready = undefined;
      this.wanted = false;
      this.readAhead();
      return { done: false, value: c };
    }
    this.wanted = true;
    return { done: true, value: undefined };
  }

  private readAhead(): void {
    if (this.ended || this.reading || this.ready) return;
    this.reading = this.read().then(
      (chunk) => {
        this.reading = undefined;
        if (chunk) this.ready = chunk;
        // A short chunk is the file's last: no read after it (fileChunks ends the same way).
        if (!chunk || chunk.length < this.chunkBytes) this.ended = true;
      },
      (error: unknown) => {
        this.reading = undefined;
        this.ended = true;
        this.failed = { error };
      },
    );
  }

  /** The next chunk: a full one, or what is left at the end of the file; undefined past the end. */
  private async read(): Promise<Uint8Array | undefined> {
    const chunk = await readAt(this.fh, this.position, this.chunkBytes);
    this.position += chunk.length;
    return chunk.length === 0 ? undefined : chunk;
  }
}

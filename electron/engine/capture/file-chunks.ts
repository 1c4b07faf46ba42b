import { closeSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Finding } from '../../../shared/capture/events';
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
 * Where a feed's bytes come from: a file read at its offsets, or a compressed file inflated as it is read (see
 * GunzipReader in compressed.ts).
 */
export interface ChunkReader {
  /** The next `size` bytes in a fresh buffer: fewer only where the content ends (none past its end). */
  read(size: number): Promise<Uint8Array>;
  /** Why the content ended early (a compressed file damaged there), once it has ended; undefined if it did not. */
  problem(): Finding | undefined;
  close(): Promise<void>;
}

/** A file's bytes, read at its offsets. */
class FileReader implements ChunkReader {
  private position = 0;

  constructor(private readonly fh: FileHandle) {}

  async read(size: number): Promise<Uint8Array> {
    const chunk = await readAt(this.fh, this.position, size);
    this.position += chunk.length;
    return chunk;
  }

  problem(): undefined {
    return undefined;
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

/**
 * A file's chunks (the same ones fileChunks gives) read asynchronously on libuv's thread pool, one chunk ahead of
 * the decoder: while it works on a chunk, the next one is being read. A decoder that runs in steps takes chunks
 * as from any iterable; one asked for before it has arrived is not handed (`hungry` says so), and the decoder's
 * driver awaits `fed()` before its next step. At most two chunks are held here at a time. Close it when done.
 * The bytes may also be a compressed file's content, inflated as it is read (FileChunkFeed.of(GunzipReader)): the
 * same chunks, the same imports, whatever the size.
 */
export class FileChunkFeed implements LateChunks {
  private ready: Uint8Array | undefined;
  private reading: Promise<void> | undefined;
  private ended = false;
  private failed: { error: unknown } | undefined;
  private wanted = false;

  private constructor(
    private readonly reader: ChunkReader,
    private readonly chunkBytes: number,
  ) {
    this.readAhead();
  }

  static async open(path: string, chunkBytes = CHUNK_BYTES): Promise<FileChunkFeed> {
    return new FileChunkFeed(new FileReader(await open(path, 'r')), chunkBytes);
  }

  /** The chunks `reader` gives (the feed closes it). */
  static of(reader: ChunkReader, chunkBytes = CHUNK_BYTES): FileChunkFeed {
    return new FileChunkFeed(reader, chunkBytes);
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

  /** The next chunk once it has arrived, left for the decoder (what the content is told by); undefined at the end. */
  async peek(): Promise<Uint8Array | undefined> {
    await this.fed();
    return this.ready;
  }

  /** Resolves once the next chunk has arrived or the file has ended; rejects when reading failed. */
  async fed(): Promise<void> {
    while (this.reading && !this.ready) await this.reading;
    if (this.failed) throw this.failed.error;
  }

  /** Why the bytes ended before the content did (a damaged compressed file), once they have ended. */
  problem(): Finding | undefined {
    return this.reader.problem();
  }

  /** Waits for a read still under way, then closes the file. */
  async close(): Promise<void> {
    this.ended = true;
    await this.reading;
    await this.reader.close();
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
    this.reading = this.reader.read(this.chunkBytes).then(
      (chunk) => {
        this.reading = undefined;
        if (chunk.length > 0) this.ready = chunk;
        // A short chunk is the file's last: no read after it (fileChunks ends the same way).
        if (chunk.length < this.chunkBytes) this.ended = true;
      },
      (error: unknown) => {
        this.reading = undefined;
        this.ended = true;
        this.failed = { error };
      },
    );
  }
}

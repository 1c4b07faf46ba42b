import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { UploadTicket } from '../../../shared/api';
import type { ApiErrorCode } from '../../../shared/api-bridge';
import { formatBytes } from '../../../shared/units';
import type { EventSource } from './event-source';
import { openOwnedFile } from './open-source';
import type { OpenOptions } from './open-source';
import { privateSpoolPath } from './spool-dir';

/**
 * Files picked in the browser (serve mode) arrive in chunks, each written to a private temporary file before the
 * next is asked for: memory holds one chunk, whatever the file's size. The finished file opens like any file on
 * disk (a capture is indexed from it; the source owns the file and removes it on close). An upload that is
 * cancelled, abandoned (no chunk for `idleMs`) or fails leaves nothing behind: no source, no file.
 */

/** Raw bytes per chunk: small enough that a chunk (and its base64 form, a third larger) is nothing in memory. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;
/** The largest file the browser can open. Captures, HAR and pcap (compressed or not) stream from disk. */
export const UPLOAD_MAX_BYTES = 4 * 1024 * 1024 * 1024;
/** Uploads in progress at once (each is a file on disk until it finishes or is cancelled). */
export const UPLOAD_MAX_OPEN = 4;
/** An upload with no chunk for this long is given up (the page went away without closing its connection). */
export const UPLOAD_IDLE_MS = 60_000;

export class UploadError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export interface UploadSpoolOptions {
  maxBytes?: number;
  chunkBytes?: number;
  maxOpen?: number;
  idleMs?: number;
  /** Where the private temporary folders are made (default: the system's temporary folder). */
  tempRoot?: string;
}

interface Upload {
  name: string;
  size: number;
  received: number;
  dir: string;
  path: string;
  file: FileHandle;
  /** The chunk being written: one at a time, in order (the client waits for each reply: that is the backpressure). */
  writing: Promise<void> | undefined;
  idle: NodeJS.Timeout;
}

export class UploadSpool {
  private readonly uploads = new Map<string, Upload>();
  private readonly maxBytes: number;
  private readonly chunkBytes: number;
  private readonly maxOpen: number;
  private readonly idleMs: number;
  private readonly tempRoot: string | undefined;

  constructor(options: UploadSpoolOptions = {}) {
    this.maxBytes = options.maxBytes ?? UPLOAD_MAX_BYTES;
    this.chunkBytes = options.chunkBytes ?? UPLOAD_CHUNK_BYTES;
    this.maxOpen = options.maxOpen ?? UPLOAD_MAX_OPEN;
    this.idleMs = options.idleMs ?? UPLOAD_IDLE_MS;
    this.tempRoot = options.tempRoot;
  }

  /** Uploads in progress (tests; the host's status). */
  get open(): number {
    return this.uploads.size;
  }

  async begin(name: string, size: number): Promise<UploadTicket> {
    if (size > this.maxBytes)
      throw new UploadError(
        'too-large',
        `${name}: ${formatBytes(size)} is over the ${formatBytes(this.maxBytes)} a browser can open here; ` +
          'open it in the desktop app or with `ocpp-scope inspect` / `convert`, which read it from disk.',
      );
    if (size === 0) throw new UploadError('empty', `${name}: the file is empty.`);
    if (this.uploads.size >= this.maxOpen)
      throw new UploadError(
        'failed',
        `${name}: ${this.maxOpen} files are being opened already; wait for one to finish.`,
      );
    const { dir, path } = await privateSpoolPath(name, this.tempRoot);
    let file: FileHandle;
    try {
      file = await open(path, 'wx', 0o600);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    const uploadId = `upload-${randomBytes(12).toString('hex')}`;
    const upload: Upload = {
      name,
      size,
      received: 0,
      dir,
      path,
      file,
      writing: undefined,
      idle: this.idleTimer(uploadId),
    };
    this.uploads.set(uploadId, upload);
    return { uploadId, chunkBytes: this.chunkBytes, maxBytes: this.maxBytes };
  }

  /** Appends the next chunk (base64) at `offset`, which must be where the previous one ended. */
  async chunk(uploadId: string, offset: number, data: string): Promise<{ received: number }> {
    const u = this.get(uploadId);
    if (u.writing) return this.fail(uploadId, 'a chunk was sent before the previous one was answered');
    if (offset !== u.received)
      return this.fail(uploadId, `a chunk at byte ${offset} arrived where byte ${u.received} was expected`);
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length === 0 || bytes.length > this.chunkBytes)
      return this.fail(uploadId, `a chunk of ${bytes.length} bytes (1 to ${this.chunkBytes} expected)`);
    if (u.received + bytes.length > u.size)
      return this.fail(uploadId, `more than the ${u.size} bytes announced arrived`);
    u.idle.refresh();
    const write = u.file.write(bytes, 0, bytes.length, offset).then(() => undefined);
    u.writing = write;
    try {
      await write;
    } catch (error) {
      return this.fail(uploadId, `writing the temporary copy failed (${(error as Error).message})`);
    } finally {
      u.writing = undefined;
    }
    u.received += bytes.length;
    return { received: u.received };
  }

  /** All bytes are in: the file opens as a source that owns it. */
  async finish(uploadId: string, options: OpenOptions): Promise<EventSource> {
    const u = this.get(uploadId);
    if (u.writing) return this.fail(uploadId, 'finished while a chunk was still being written');
    if (u.received !== u.size)
      return this.fail(uploadId, `finished after ${u.received} of the ${u.size} bytes announced`);
    this.uploads.delete(uploadId);
    clearTimeout(u.idle);
    try {
      await u.file.close();
    } catch (error) {
      await rm(u.dir, { recursive: true, force: true });
      throw error;
    }
    return openOwnedFile(u.dir, u.path, {
      ...options,
      ...(this.tempRoot ? { tempRoot: this.tempRoot } : {}),
    });
  }

  /** Drops an upload and its temporary file; an unknown or finished id is not an error (the page may retry). */
  async cancel(uploadId: string): Promise<void> {
    const u = this.uploads.get(uploadId);
    if (!u) return;
    this.uploads.delete(uploadId);
    clearTimeout(u.idle);
    await u.writing?.catch(() => undefined);
    await u.file.close().catch(() => undefined);
    await rm(u.dir, { recursive: true, force: true });
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.uploads.keys()].map((id) => this.cancel(id)));
  }

  private get(uploadId: string): Upload {
    const u = this.uploads.get(uploadId);
    if (!u)
      throw new UploadError(
        'not-found',
        'That upload is not in progress (it finished, was cancelled, or waited too long for its next chunk).',
      );
    return u;
  }

  private async fail(uploadId: string, why: string): Promise<never> {
    const name = this.uploads.get(uploadId)?.name ?? uploadId;
    await this.cancel(uploadId);
    throw new UploadError('failed', `${name}: upload stopped: ${why}.`);
  }

  private idleTimer(uploadId: string): NodeJS.Timeout {
    const t = setTimeout(() => void this.cancel(uploadId), this.idleMs);
    t.unref();
    return t;
  }
}

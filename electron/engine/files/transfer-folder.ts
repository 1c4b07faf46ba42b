import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Writable } from 'node:stream';
import { identityFolder, inside, safeFileName } from './safe-names';
import type { TransferRun } from './transfer-run';

/** 1 GiB: larger than any diagnostics archive seen in the field, small enough not to fill a laptop by accident. */
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

export class TooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
    this.name = 'TooLargeError';
  }
}

/** A file at the top level of the transfer folder that can be served as firmware. */
export interface FolderFile {
  name: string;
  size: number;
  modifiedMs: number;
}

/**
 * Counts and hashes an upload into its run, refuses bytes past the limit, and writes to `<name>.part` so that a
 * half-received file never looks finished; `commit` renames it, `discard` removes it.
 */
export class UploadSink extends Writable {
  private readonly file: WriteStream;
  private received = 0;

  constructor(
    readonly partPath: string,
    readonly finalPath: string,
    private readonly limit: number,
    private readonly run: TransferRun,
  ) {
    super();
    this.file = createWriteStream(partPath, { flags: 'wx' });
    this.file.on('error', (error) => this.destroy(error));
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.received += chunk.length;
    if (this.received > this.limit) {
      callback(new TooLargeError(this.limit));
      return;
    }
    this.run.add(chunk);
    if (this.file.write(chunk)) callback();
    else this.file.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.file.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.file.closed) this.file.destroy();
    callback(error);
  }

  /** Renames the finished file into place; the final name is the one stored (it may differ from the asked one). */
  async commit(): Promise<string> {
    await rename(this.partPath, this.finalPath);
    return this.finalPath;
  }

  async discard(): Promise<void> {
    if (!this.file.closed) await new Promise<void>((r) => this.file.close(() => r()));
    await unlink(this.partPath).catch(() => undefined);
  }
}

/**
 * The transfer folder: uploads land in one sub-folder per charger identity; firmware is served from its top level.
 * Every path is built from sanitized names and checked to lie inside the folder before it is touched.
 */
export class TransferFolder {
  constructor(
    readonly root: string,
    readonly maxUploadBytes: number = DEFAULT_MAX_UPLOAD_BYTES,
  ) {}

  async ensure(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  /** A new file name in the charger's folder: the asked name, or `name-2.ext`, `name-3.ext`... when it is taken. */
  async openUpload(identity: string | undefined, rawName: string, run: TransferRun): Promise<UploadSink> {
    const folder = inside(this.root, join(this.root, identityFolder(identity)));
    if (!folder) throw new Error('the charger folder lies outside the transfer folder');
    await mkdir(folder, { recursive: true });
    const name = safeFileName(rawName) ?? `upload-${new Date().toISOString().replace(/[:.]/g, '-')}.bin`;
    const ext = extname(name);
    const stem = name.slice(0, name.length - ext.length);
    for (let i = 1; i < 1000; i++) {
      const candidate = i === 1 ? name : `${stem}-${i}${ext}`;
      const finalPath = inside(this.root, join(folder, candidate));
      if (!finalPath) break;
      if (await exists(finalPath)) continue;
      const partPath = `${finalPath}.part`;
      if (await exists(partPath)) continue;
      return new UploadSink(partPath, finalPath, this.maxUploadBytes, run);
    }
    throw new Error(`no free name for ${name}`);
  }

  /** The path of a top-level file that may be served, or undefined (no such file, not a file, outside). */
  async servable(rawName: string): Promise<{ path: string; size: number; modifiedMs: number } | undefined> {
    const name = safeFileName(rawName);
    if (name === undefined || name !== rawName) return undefined;
    const path = inside(this.root, join(this.root, name));
    if (!path) return undefined;
    try {
      const s = await stat(path);
      return s.isFile() ? { path, size: s.size, modifiedMs: s.mtimeMs } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Regular files at the top level (what can be offered as firmware), sorted by name; `.part` files left out. */
  async listFiles(): Promise<FolderFile[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return [];
    }
    const out: FolderFile[] = [];
    for (const name of names.sort()) {
      if (name.endsWith('.part') || safeFileName(name) !== name) continue;
      const f = await this.servable(name);
      if (f) out.push({ name, size: f.size, modifiedMs: f.modifiedMs });
      if (out.length >= 1000) break;
    }
    return out;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** SHA-256 (hex) of a file, streamed (firmware can be hundreds of MB). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

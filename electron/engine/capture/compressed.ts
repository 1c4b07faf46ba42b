import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { Finding } from '../../../shared/capture/events';
import type { ChunkReader } from './file-chunks';
import { readAt } from './read-fully';

/**
 * Compressed files as people keep captures (tcpdump rotations, Wireshark's .pcapng.gz, a zipped capture sent by a
 * colleague): gzip is opened as its content; other compressions get a sentence saying which one, and how to open
 * it. A file on disk is inflated as it is read (GunzipReader: a few megabytes held, whatever the size; a damaged
 * file keeps what came before the damage); content already in memory is inflated whole, within a bound on the
 * decompressed size (a small file can inflate to gigabytes on purpose).
 */

export type Compression = 'gzip' | 'zstd' | 'xz' | 'bzip2' | 'zip' | '7z';

const MAGIC: [Compression, number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
];

export function sniffCompression(head: Uint8Array): Compression | undefined {
  return MAGIC.find(([, m]) => head.length >= m.length && m.every((b, i) => head[i] === b))?.[0];
}

const TOOL: Record<Exclude<Compression, 'gzip'>, string> = {
  zstd: 'zstd -d',
  xz: 'xz -d',
  bzip2: 'bunzip2',
  zip: 'unzip',
  '7z': '7z x',
};

/** Why a compressed file other than gzip is not opened, and the command that opens it. */
export function notGzip(name: string, kind: Exclude<Compression, 'gzip'>): string {
  return `${name} is ${kind}-compressed; decompress it first (${TOOL[kind]} ${name}) and open what it holds.`;
}

/** The name of a compressed file's content: without its compression suffix. */
export function innerName(name: string): string {
  return name.replace(/\.(gz|gzip|tgz)$/i, '') || name;
}

/** What a damaged gzip file is told by (an error when nothing came before the damage, else in a finding). */
function damaged(name: string, e: unknown): string {
  return `${name}: the gzip data is damaged (${(e as Error).message}).`;
}

export type Decompressed =
  | { ok: true; name: string; data: Uint8Array }
  | { ok: false; code: 'too-large' | 'unreadable' | 'unknown-format'; message: string };

/** The content of a compressed file, named without its compression suffix; or why it cannot be opened. */
export function decompress(
  name: string,
  data: Uint8Array,
  kind: Compression,
  maxBytes: number,
): Decompressed {
  if (kind !== 'gzip') return { ok: false, code: 'unknown-format', message: notGzip(name, kind) };
  try {
    const inner = gunzipSync(data, { maxOutputLength: maxBytes });
    return { ok: true, name: innerName(name), data: inner };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
      return {
        ok: false,
        code: 'too-large',
        message: `${name} decompresses to more than ${Math.round(maxBytes / 2 ** 20)} MB; decompress it first (gunzip ${name}).`,
      };
    return { ok: false, code: 'unreadable', message: damaged(name, e) };
  }
}

/** Compressed bytes read from the file at a time. */
const READ_BYTES = 1024 * 1024;
/**
 * Compressed bytes handed to zlib at a time: what one piece inflates to is held at once, and deflate inflates at
 * most about 1,032 times (a bomb's 16 KB gives 16.5 MB; a capture's, 50 to 200 KB).
 */
const PIECE_BYTES = 16 * 1024;

/**
 * A gzip file's content read as it is inflated, in chunks of the size asked for (a FileChunkFeed's reader: the
 * imports and the capture copy read a compressed file as they read a plain one). Memory holds a megabyte of the
 * compressed file and what one piece of it inflated to, never the whole content: a file of any size opens. Several
 * gzip members one after the other (pigz, rotated logs joined) read as one content, as gunzip reads them. Damage
 * (a cut file, corrupt data) ends the content where it is, keeping what came before it: `damage` says what
 * happened (the error, when nothing came before it) and `problem` gives it as a finding.
 */
export class GunzipReader implements ChunkReader {
  private readonly z = createGunzip({ chunkSize: 64 * 1024 });
  /** Inflated bytes not handed yet. */
  private readonly out: Buffer[] = [];
  private outBytes = 0;
  /** Compressed bytes read from the file, not handed to zlib yet. */
  private input: Buffer = Buffer.alloc(0);
  private position = 0;
  private inputEnded = false;
  private done = false;
  private error: Error | undefined;
  /** Resolves when the content has ended: zlib's end, or its error. */
  private readonly settled: Promise<void>;

  private constructor(
    private readonly fh: FileHandle,
    private readonly name: string,
  ) {
    this.z.on('data', (c: Buffer) => {
      this.out.push(c);
      this.outBytes += c.length;
    });
    this.settled = new Promise((resolve) => {
      this.z.once('end', resolve);
      this.z.on('error', (e) => {
        this.error ??= e;
        resolve();
      });
    });
  }

  static async open(path: string): Promise<GunzipReader> {
    return new GunzipReader(await open(path, 'r'), basename(path));
  }

  /** The damage, as an error says it (`name: the gzip data is damaged (why).`), once the content has ended there. */
  get damage(): string | undefined {
    return this.error && damaged(this.name, this.error);
  }

  problem(): Finding | undefined {
    const damage = this.damage;
    if (!damage) return undefined;
    return {
      code: 'capture-read-failed',
      severity: 'error',
      message: `${damage} The events before the damage are kept.`,
    };
  }

  async read(size: number): Promise<Uint8Array> {
    while (this.outBytes < size && !this.done) await this.step();
    return this.take(size);
  }

  close(): Promise<void> {
    this.done = true;
    this.z.destroy();
    return this.fh.close();
  }

  /** Hands zlib the next piece of the file (all that piece inflates to has arrived when it resolves), or its end. */
  private async step(): Promise<void> {
    if (this.input.length === 0 && !this.inputEnded) {
      this.input = await readAt(this.fh, this.position, READ_BYTES);
      this.position += this.input.length;
      if (this.input.length < READ_BYTES) this.inputEnded = true;
    }
    if (this.input.length === 0) {
      this.z.end();
      await this.settled;
      this.done = true;
      return;
    }
    const piece = this.input.subarray(0, PIECE_BYTES);
    this.input = this.input.subarray(piece.length);
    // A write that fails may never call back: the error settles it.
    await Promise.race([new Promise<void>((resolve) => this.z.write(piece, () => resolve())), this.settled]);
    if (this.error) this.done = true;
  }

  /** Up to `size` inflated bytes, in a fresh buffer (a reader may keep slices of it). */
  private take(size: number): Buffer {
    const n = Math.min(size, this.outBytes);
    const chunk = Buffer.allocUnsafe(n);
    for (let at = 0; at < n;) {
      const c = this.out[0]!;
      const k = Math.min(c.length, n - at);
      chunk.set(k === c.length ? c : c.subarray(0, k), at);
      if (k === c.length) this.out.shift();
      else this.out[0] = c.subarray(k);
      at += k;
    }
    this.outBytes -= n;
    return chunk;
  }
}

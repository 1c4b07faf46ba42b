import { readFile, stat } from 'node:fs/promises';
import { MAX_CRL_BYTES, parseCrl, refused, type ParsedCrl } from './crl';

/** A file read and parsed, as it was when read (its version: device, inode, size, mtime and ctime). */
interface Held {
  version: string;
  parsed: Promise<ParsedCrl>;
  bytes: number;
}

/**
 * CRL files read from disk, each kept parsed while the file stays as it was: the simulator dialogs check their
 * fields as the user types (simulator-settings-check.ts), and a CA's list of a few MB was read and parsed again at
 * every keystroke. A file whose size, mtime or ctime (or inode: a file replaced by rename) has changed is read again;
 * a file that is gone or cannot be read is told so at once, never answered from what was kept. Holds the last few
 * files read, together at most MAX_CRL_BYTES of file (the newest is always kept).
 */
export class CrlFiles {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly read: (path: string) => Promise<Uint8Array> = (path) => readFile(path),
    private readonly maxFiles = 4,
  ) {}

  /** The file's serials, or a sentence saying why not (never throws), with what parseCrl read (for crl-checks.ts). */
  async load(path: string): Promise<ParsedCrl> {
    let version: string;
    let size: number;
    try {
      const info = await stat(path, { bigint: true });
      if (!info.isFile()) return refused(`${path} is not a file`);
      size = Number(info.size);
      if (size > MAX_CRL_BYTES)
        return refused(`${path} is ${size} bytes, more than the ${MAX_CRL_BYTES} read`);
      version = `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
    } catch (e) {
      return cannotRead(path, e);
    }
    const held = this.held.get(path);
    this.held.delete(path);
    if (held?.version === version) {
      this.held.set(path, held);
      return held.parsed;
    }
    // Kept while it is read, so that checks typed in quick succession read the file once.
    const read = this.readParsed(path);
    const entry: Held = { version, parsed: read.then((r) => r.parsed), bytes: size };
    this.held.set(path, entry);
    this.trim();
    const r = await read;
    // A file that could not be read this time is tried again next time.
    if (!r.readable && this.held.get(path) === entry) this.held.delete(path);
    return r.parsed;
  }

  private async readParsed(path: string): Promise<{ parsed: ParsedCrl; readable: boolean }> {
    try {
      const parsed = parseCrl(await this.read(path));
      return {
        parsed: parsed.result.ok ? parsed : refused(`${path} is no CRL: ${parsed.result.reason}`),
        readable: true,
      };
    } catch (e) {
      return { parsed: cannotRead(path, e), readable: false };
    }
  }

  /** Lets go of the oldest files beyond maxFiles or MAX_CRL_BYTES together (the newest stays). */
  private trim(): void {
    let bytes = 0;
    for (const h of this.held.values()) bytes += h.bytes;
    for (const [path, h] of this.held) {
      if (this.held.size <= 1 || (this.held.size <= this.maxFiles && bytes <= MAX_CRL_BYTES)) break;
      this.held.delete(path);
      bytes -= h.bytes;
    }
  }
}

function cannotRead(path: string, e: unknown): ParsedCrl {
  const code = (e as NodeJS.ErrnoException).code;
  return refused(`cannot read ${path}${code ? ` (${code})` : ''}`);
}

const files = new CrlFiles();

/** A CRL file read (or kept from the last read, while unchanged) and parsed: see CrlFiles.load. */
export function loadParsedCrl(path: string): Promise<ParsedCrl> {
  return files.load(path);
}

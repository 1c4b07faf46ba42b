import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CliIo } from '../cli-context';

/**
 * `-` as a file name means stdin (input) or stdout (output), as in every Unix tool. Readers need a file (captures are
 * indexed with random access; pcap needs reassembly), so stdin is spooled to a private temporary file first: memory
 * stays flat whatever the size. The file is named `stdin`, so the source is called that.
 */
export const STDIO = '-';

export interface Spooled {
  path: string;
  /** Removes the temporary file (safe to call twice). */
  dispose: () => Promise<void>;
}

async function privateDir(): Promise<{ dir: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ocpp-scope-'));
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

export async function spoolStdin(io: CliIo): Promise<Spooled> {
  const { dir, dispose } = await privateDir();
  const path = join(dir, 'stdin');
  try {
    await pipeline(io.stdin, createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await dispose();
    throw error;
  }
  return { path, dispose };
}

/**
 * A temporary file to write into, a function that copies it to stdout and removes it, and one that only removes it
 * (when writing it failed, so there is nothing to copy).
 */
export async function stdoutFile(
  io: CliIo,
  name: string,
): Promise<{ path: string; flush: () => Promise<void>; dispose: () => Promise<void> }> {
  const { dir, dispose } = await privateDir();
  const path = join(dir, name);
  const flush = async (): Promise<void> => {
    try {
      for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
        if (io.signal.aborted) break;
        io.stdout.write(chunk as string);
      }
    } finally {
      await dispose();
    }
  };
  return { path, flush, dispose };
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { EventSource } from './event-source';
import { openSourceFile } from './open-source';
import type { OpenOptions } from './open-source';

/**
 * Capture content that arrived whole (a file picked in the browser in serve mode) is written to a private temporary
 * file and opened from there like any capture: the index streams it (about 30 bytes an event) instead of every
 * event staying in memory for as long as the source is open. The file is removed when the source closes.
 */
export async function openSpooled(
  name: string,
  bytes: Uint8Array,
  options: OpenOptions,
): Promise<EventSource> {
  const { dir, path } = await privateSpoolPath(name);
  try {
    await writeFile(path, bytes, { mode: 0o600 });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return openOwnedFile(dir, path, options);
}

/** A fresh private directory (removed by its owner) and the file name inside it, after the name the user gave. */
export async function privateSpoolPath(
  name: string,
  root = tmpdir(),
): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(root, 'ocpp-scope-open-'));
  // The source is named after the file: keep the name, but never let it leave the private directory.
  const safe = basename(name).replace(/[^\w.@+-]/g, '_') || 'capture.ocppcap.jsonl';
  return { dir, path: join(dir, safe) };
}

/**
 * Opens a file in a private directory the source then owns: the directory goes when the source closes, or at once
 * when the file does not open (nothing half-opened is left on disk).
 */
export async function openOwnedFile(dir: string, path: string, options: OpenOptions): Promise<EventSource> {
  try {
    const source = await openSourceFile(path, options);
    const close = source.close.bind(source);
    source.close = async () => {
      try {
        await close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };
    return source;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

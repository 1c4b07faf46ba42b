import { rm, writeFile } from 'node:fs/promises';
import type { EventSource } from './event-source';
import { openOwnedFile } from './open-source';
import type { OpenOptions } from './open-source';
import { privateSpoolPath } from './spool-dir';

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
  const { dir, path } = await privateSpoolPath(name, options.tempRoot);
  try {
    await writeFile(path, bytes, { mode: 0o600 });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return openOwnedFile(dir, path, options);
}

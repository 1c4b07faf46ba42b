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
  const dir = await mkdtemp(join(tmpdir(), 'ocpp-scope-open-'));
  // The source is named after the file: keep the name, but never let it leave the private directory.
  const safe = basename(name).replace(/[^\w.@+-]/g, '_') || 'capture.ocppcap.jsonl';
  const path = join(dir, safe);
  try {
    await writeFile(path, bytes, { mode: 0o600 });
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

import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * Private temporary directories for files the tool reads from a copy it owns (an upload, content picked in the
 * browser, the capture an import is spooled to). Each is removed by its owner when its source closes; one left by a
 * process that died (a crash, kill -9) is swept by the next start (sweepSpoolDirs). The directory's name carries the
 * process id, so a sweep never takes the directory of a process still running.
 */

const PREFIX = 'ocpp-scope-open-';

/** A fresh private directory (removed by its owner) and the file name inside it, after the name the user gave. */
export async function privateSpoolPath(
  name: string,
  root = tmpdir(),
): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(root, `${PREFIX}${process.pid}-`));
  // The source is named after the file: keep the name, but never let it leave the private directory.
  const safe = basename(name).replace(/[^\w.@+-]/g, '_') || 'capture.ocppcap.jsonl';
  return { dir, path: join(dir, safe) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists (another user's).
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A directory untouched this long may be swept (a process id seen from another pid namespace proves nothing). */
const SWEEP_AGE_MS = 60 * 60 * 1000;

/**
 * Removes the spool directories of processes that are gone (this user's only, untouched for an hour); returns how
 * many. Directories of an older version (no process id in the name) are left alone: whose they are cannot be told.
 */
export async function sweepSpoolDirs(root = tmpdir(), now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return 0;
  }
  const uid = process.getuid?.();
  let swept = 0;
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(PREFIX.length))?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    const dir = join(root, name);
    try {
      const s = await stat(dir);
      if (!s.isDirectory() || (uid !== undefined && s.uid !== uid)) continue;
      if (now - s.mtimeMs < SWEEP_AGE_MS) continue;
      await rm(dir, { recursive: true, force: true });
      swept++;
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return swept;
}

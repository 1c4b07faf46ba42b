import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Reads a JSON file: its value, 'missing', or 'corrupt' (unreadable or not JSON). Never throws. */
export function readJsonFile(path: string): { value: unknown } | 'missing' | 'corrupt' {
  if (!existsSync(path)) return 'missing';
  try {
    return { value: JSON.parse(readFileSync(path, 'utf8')) as unknown };
  } catch {
    return 'corrupt';
  }
}

/** Writes through a temporary file and a rename, so a crash mid-write leaves the old file, not half a new one. */
export function writeJsonFile(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
  renameSync(tmp, path);
}

/** Moves a bad file aside (name.corrupt-<time>.json) so the user's data is never silently lost. */
export function backupFile(path: string, now: Date = new Date()): string | undefined {
  const backup = path.replace(/\.json$/, '') + `.corrupt-${now.toISOString().replace(/[:.]/g, '-')}.json`;
  try {
    renameSync(path, backup);
    return backup;
  } catch {
    return undefined;
  }
}

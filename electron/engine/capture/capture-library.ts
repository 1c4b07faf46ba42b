import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { CaptureEntry, CaptureLibrary } from '../../../shared/api';
import { CAPTURE_EXTENSION } from '../../../shared/capture/format';
import { findHeaderLine } from '../../../shared/capture/capture-line-rules';
import { readAt } from './read-fully';
import { MAX_IDENTITIES, skimHeader, skimLines, type CaptureCounts, type SkimCounts } from './capture-counts';

/**
 * The recordings in the capture folder, for the captures library: listing with bounded work per file (the header
 * line, and the first and last CHUNK bytes for the chargers and findings; a larger file is counted whole once in
 * the background, see capture-counts.ts), renaming and deleting inside the folder only (a page cannot touch files
 * of its choice through these).
 */

/** Bytes read at each end of a file: a file up to twice this is read whole, a larger one is counted in the background. */
export const CHUNK = 256 * 1024;
/** Files listed at most, newest first. */
export const MAX_ENTRIES = 500;

const CAPTURE_NAME = /\.(ocppcap\.jsonl|jsonl|ndjson)$/i;

export class LibraryError extends Error {
  constructor(
    readonly code: 'not-found' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'LibraryError';
  }
}

/** `path` resolved, when it is a capture directly inside `folder`; else why not. */
export function insideFolder(folder: string, path: string): string {
  const full = resolve(path);
  if (dirname(full) !== resolve(folder) || !CAPTURE_NAME.test(full))
    throw new LibraryError('failed', `${path} is not a recording in the capture folder ${folder}.`);
  return full;
}

async function readRange(path: string, start: number, length: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    return (await readAt(fh, start, length)).toString('utf8');
  } finally {
    await fh.close();
  }
}

/**
 * A recording as listed: exact when read whole (up to 2 * CHUNK) or counted before with the same size and time;
 * else from both ends, `counting`, with the full count queued on `counts`.
 */
export async function describeCapture(path: string, counts: CaptureCounts): Promise<CaptureEntry> {
  const st = await stat(path);
  const known = counts.lookup(path, st.size, st.mtimeMs);
  if (known) return known;
  const entry: CaptureEntry = {
    path,
    name: basename(path),
    size: st.size,
    modifiedMs: st.mtimeMs,
    identities: [],
    findings: { error: 0, warning: 0, info: 0 },
    counting: st.size > 2 * CHUNK,
  };
  const acc: SkimCounts = { identities: new Set<string>(), findings: entry.findings };
  const head = await readRange(path, 0, Math.min(st.size, CHUNK));
  const found = findHeaderLine(head);
  if (!found && st.size > head.length) {
    // Only blank lines in the head: the header comes later, and what follows it is read by its version. The full
    // count finds both (whatever the file's size); until then the listing says it is counting.
    entry.counting = true;
    counts.count(entry);
    return entry;
  }
  const first = found ?? { line: '', end: head.length };
  const header = skimHeader(first.line, acc);
  if (header.ok) entry.created = Date.parse(header.value.created);
  else entry.problem = header.reason;
  // Only whole lines count: a line cut at a chunk's edge could show half a finding.
  const headLines = st.size > CHUNK ? head.slice(0, head.lastIndexOf('\n') + 1) : head;
  const version = header.ok ? header.value.version : 1;
  skimLines(headLines.slice(first.end), acc, version);
  if (st.size > CHUNK) {
    const from = Math.max(CHUNK, st.size - CHUNK);
    const tail = await readRange(path, from, st.size - from);
    skimLines(from > CHUNK ? tail.slice(tail.indexOf('\n') + 1) : tail, acc, version);
  }
  entry.identities = [...acc.identities].slice(0, MAX_IDENTITIES);
  if (entry.counting) counts.count(entry);
  else counts.remember(entry);
  return entry;
}

export async function listCaptures(folder: string, counts: CaptureCounts): Promise<CaptureLibrary> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { dir: folder, entries: [], truncated: false };
    throw new LibraryError('failed', `Could not read ${folder}: ${(e as Error).message}`);
  }
  const stats: { path: string; mtime: number }[] = [];
  for (const n of names.filter((n) => CAPTURE_NAME.test(n))) {
    const path = join(folder, n);
    const st = await stat(path).catch(() => undefined);
    if (st?.isFile()) stats.push({ path, mtime: st.mtimeMs });
  }
  stats.sort((a, b) => b.mtime - a.mtime);
  const entries: CaptureEntry[] = [];
  for (const { path } of stats.slice(0, MAX_ENTRIES)) {
    // A file removed or unreadable meanwhile is left out; the next listing is the truth.
    const e = await describeCapture(path, counts).catch(() => undefined);
    if (e) entries.push(e);
  }
  counts.retain(entries.map((e) => e.path));
  return { dir: folder, entries, truncated: stats.length > MAX_ENTRIES };
}

/** A new file name typed by a person: no folders, no hidden files, the capture extension kept or added. */
export function cleanCaptureName(name: string): string {
  const n = name.trim();
  if (
    n === '' ||
    n.includes('/') ||
    n.includes('\\') ||
    n.includes(sep) ||
    n.startsWith('.') ||
    n.length > 200
  )
    throw new LibraryError(
      'failed',
      `"${name}" is not a file name (no folders, not hidden, at most 200 characters).`,
    );
  if (/[<>:"|?*]/.test(n) || [...n].some((c) => c.charCodeAt(0) < 0x20))
    throw new LibraryError('failed', `"${name}" has characters a file name cannot hold on every system.`);
  return CAPTURE_NAME.test(n) ? n : `${n}${CAPTURE_EXTENSION}`;
}

export async function renameCapture(
  folder: string,
  path: string,
  name: string,
  counts: CaptureCounts,
): Promise<CaptureEntry> {
  const from = insideFolder(folder, path);
  const to = join(resolve(folder), cleanCaptureName(name));
  if (to === from) return describeCapture(from, counts);
  if (
    await stat(to).then(
      () => true,
      () => false,
    )
  )
    throw new LibraryError('failed', `${basename(to)} already exists; choose another name.`);
  try {
    await rename(from, to);
  } catch (e) {
    throw new LibraryError(
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not-found' : 'failed',
      `Could not rename ${basename(from)}: ${(e as Error).message}`,
    );
  }
  counts.moved(from, to);
  return describeCapture(to, counts);
}

export async function deleteCapture(folder: string, path: string): Promise<void> {
  const full = insideFolder(folder, path);
  try {
    await rm(full);
  } catch (e) {
    throw new LibraryError(
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not-found' : 'failed',
      `Could not delete ${basename(full)}: ${(e as Error).message}`,
    );
  }
}

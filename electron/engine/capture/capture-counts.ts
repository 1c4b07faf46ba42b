import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { CaptureEntry } from '../../../shared/api';
import type { Severity } from '../../../shared/capture/events';
import { parseHeaderLine, VERBATIM_VERSION } from '../../../shared/capture/format';
import { VERBATIM_HEAD, verbatimSpanOfString } from '../../../shared/capture/verbatim-line';
import { findHeaderLine } from '../../../shared/capture/capture-line-rules';

/**
 * Exact chargers and findings of a recording of any size for the captures library: a large file is read once, in a
 * stream and in the background, and the result is kept by path, size and modification time, so a listing of
 * unchanged files reads none of them. Until the count is in, the listing says `counting` and shows what both ends
 * of the file hold.
 */

/** Identities listed at most per recording. */
export const MAX_IDENTITIES = 50;
/** A "line" longer than this (a file with no newlines) is skimmed as it is and dropped, so memory stays bounded. */
const MAX_LINE = 8 * 1024 * 1024;

export interface SkimCounts {
  identities: Set<string>;
  findings: Record<Severity, number>;
}

/** A whole file's count: its skim and its header as read (undefined for an empty file). */
export interface FileCounts extends SkimCounts {
  header?: ReturnType<typeof parseHeaderLine>;
}

/**
 * Counts what whole lines show: `opened` identities and each line's findings by severity (a cheap text skim). In a
 * version-2 file a frame's text may be in its line verbatim, quotes unescaped: such a line is skimmed without it, as
 * a frame's text that names a severity or an identity is not a finding or a charger.
 */
export function skimLines(text: string, into: SkimCounts, version = 1): void {
  if (version < VERBATIM_VERSION || !text.includes(VERBATIM_HEAD)) {
    skimText(text, into);
    return;
  }
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.startsWith(VERBATIM_HEAD)) skimText(line, into);
    else {
      // A damaged one is skipped by the reader too: nothing of it is counted.
      const span = verbatimSpanOfString(line);
      if (span.ok) skimText(line.slice(0, span.keyAt), into);
    }
  }
}

function skimText(text: string, into: SkimCounts): void {
  for (const m of text.matchAll(/"identity":"((?:[^"\\]|\\.){0,200})"/g)) {
    // Only the first MAX_IDENTITIES are ever listed: a file naming millions of chargers must not fill memory.
    if (m[1] && into.identities.size < MAX_IDENTITIES) into.identities.add(m[1].replace(/\\(.)/g, '$1'));
  }
  for (const m of text.matchAll(/"severity":"(error|warning|info)"/g)) into.findings[m[1] as Severity]++;
}

/**
 * Reads the header line (as findHeaderLine finds it): its connection identities are counted (the first
 * MAX_IDENTITIES), its parse returned.
 */
export function skimHeader(line: string, into: SkimCounts): ReturnType<typeof parseHeaderLine> {
  const parsed = parseHeaderLine(line);
  if (parsed.ok)
    for (const c of parsed.value.connections)
      if (c.identity && into.identities.size < MAX_IDENTITIES) into.identities.add(c.identity);
  return parsed;
}

/** The header's connection identities and every following line's skim, over the first `size` bytes of the file. */
export async function countCapture(path: string, size: number): Promise<FileCounts> {
  const into: FileCounts = { identities: new Set(), findings: { error: 0, warning: 0, info: 0 } };
  if (size === 0) return into;
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let header = true;
  let atStart = true;
  let version = 1;
  const take = (text: string, last = false): void => {
    if (header) {
      const first = findHeaderLine(text, atStart);
      atStart = false;
      // Only blank lines so far (a file may start with more of them than one read holds): the header comes later.
      if (!first && !last) return;
      const h = skimHeader(first?.line ?? '', into);
      into.header = h;
      if (h.ok) version = h.value.version;
      header = false;
      if (!first) return;
      text = text.slice(first.end + 1);
    }
    skimLines(text, into, version);
  };
  for await (const chunk of createReadStream(path, { start: 0, end: size - 1, highWaterMark: 256 * 1024 })) {
    const text = rest + decoder.write(chunk as Buffer);
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      rest = text;
      if (rest.length > MAX_LINE) {
        take(rest);
        rest = '';
      }
      continue;
    }
    take(text.slice(0, cut + 1));
    rest = text.slice(cut + 1);
  }
  take(rest + decoder.end(), true);
  return into;
}

interface Counted {
  size: number;
  modifiedMs: number;
  entry: CaptureEntry;
}

/** The library's memory of exact descriptions, and the one background count that runs at a time. */
export class CaptureCounts {
  private readonly exact = new Map<string, Counted>();
  private readonly queued = new Map<string, CaptureEntry>();
  private running: Promise<void> | undefined;

  /** `live`: the files being recorded now, which change under any count and are not counted in the background. */
  constructor(private readonly live: () => string[] = () => []) {}

  /** The exact description of `path` if it is unchanged (same size and modification time) since it was counted. */
  lookup(path: string, size: number, modifiedMs: number): CaptureEntry | undefined {
    const hit = this.exact.get(path);
    return hit && hit.size === size && hit.modifiedMs === modifiedMs ? { ...hit.entry } : undefined;
  }

  /** Keeps an exact description (a small file read whole) so the next listing need not read it. */
  remember(entry: CaptureEntry): void {
    this.exact.set(entry.path, { size: entry.size, modifiedMs: entry.modifiedMs, entry: { ...entry } });
  }

  /** Queues the full count of a large file whose bounded description (`counting`) the listing shows meanwhile. */
  count(entry: CaptureEntry): void {
    if (this.live().some((f) => resolve(f) === resolve(entry.path))) return;
    this.queued.set(entry.path, entry);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      // A count queued after the drain's last look, before this callback ran, would otherwise wait for a listing.
      const next = this.queued.values().next();
      if (!next.done) this.count(next.value);
    });
  }

  /** Resolves when no count is queued or running (tests, and a caller that wants to wait for exact counts). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Forgets files no longer listed (deleted, renamed elsewhere), so memory follows the folder. */
  retain(paths: Iterable<string>): void {
    const keep = new Set(paths);
    for (const p of this.exact.keys()) if (!keep.has(p)) this.exact.delete(p);
  }

  /** A rename keeps the counts: same bytes under a new name. */
  moved(from: string, to: string): void {
    const hit = this.exact.get(from);
    this.exact.delete(from);
    if (hit)
      this.exact.set(to, { ...hit, entry: { ...hit.entry, path: to, name: to.split(/[\\/]/).pop()! } });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const next = this.queued.entries().next();
      if (next.done) return;
      const [path, entry] = next.value;
      this.queued.delete(path);
      if (this.lookup(path, entry.size, entry.modifiedMs)) continue;
      try {
        // Kept under the size and time it had when listed: a file changed meanwhile misses and is counted again.
        const counts = await countCapture(path, entry.size);
        const counted: CaptureEntry = {
          ...entry,
          identities: [...counts.identities].slice(0, MAX_IDENTITIES),
          findings: counts.findings,
          counting: false,
        };
        // The header as the whole file shows it (the listing's head may not have reached it: blank lines first).
        const h = counts.header;
        if (h?.ok) {
          counted.created = Date.parse(h.value.created);
          delete counted.problem;
        } else if (h) counted.problem = h.reason;
        this.remember(counted);
      } catch {
        // Removed or unreadable meanwhile: the next listing says so, or counts again.
      }
    }
  }
}

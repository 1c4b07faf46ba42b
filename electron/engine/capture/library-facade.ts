import { resolve } from 'node:path';
import type { CaptureEntry, CaptureLibrary, ReplayStatus } from '../../../shared/api';
import { DEFAULT_IGNORE_RULES, parseIgnoreRules } from '../../../shared/capture/ignore-rules';
import { compareSources } from './capture-compare';
import { CaptureCounts } from './capture-counts';
import type { EventSource } from './event-source';
import { deleteCapture, insideFolder, LibraryError, listCaptures, renameCapture } from './capture-library';
import { openSourceFile } from './open-source';

/**
 * The captures-library part of EngineApi (listCaptures, renameCapture, deleteCapture, revealCapture, diffCaptures):
 * every path must be a recording directly inside the capture folder, and the file being recorded is left alone.
 */
export interface LibraryFacadeDeps {
  folder: string;
  /** The files the recorder is writing now. */
  recording: () => string[];
  /** Shows a file in the system's file manager (Electron); absent in serve mode. */
  reveal?: (path: string) => void;
}

export class LibraryFacade {
  /** Exact counts of the recordings, kept by path, size and time; large files are counted in the background. */
  readonly counts: CaptureCounts;

  constructor(private readonly deps: LibraryFacadeDeps) {
    this.counts = new CaptureCounts(deps.recording);
  }

  list(): Promise<CaptureLibrary> {
    return listCaptures(this.deps.folder, this.counts);
  }

  /** Whether `path` is a recording of the folder (the engine lets the page open those). */
  holds(path: string): boolean {
    try {
      insideFolder(this.deps.folder, path);
      return true;
    } catch {
      return false;
    }
  }

  private notRecording(path: string, what: string): void {
    const full = insideFolder(this.deps.folder, path);
    if (this.deps.recording().some((f) => resolve(f) === full))
      throw new LibraryError('failed', `${what} is being recorded now; stop recording first.`);
  }

  async rename(path: string, name: string): Promise<CaptureEntry> {
    this.notRecording(path, 'This capture');
    return renameCapture(this.deps.folder, path, name, this.counts);
  }

  async delete(path: string): Promise<void> {
    this.notRecording(path, 'This capture');
    return deleteCapture(this.deps.folder, path);
  }

  async reveal(path: string): Promise<{ revealed: boolean; path: string }> {
    const full = insideFolder(this.deps.folder, path);
    if (!this.deps.reveal) return { revealed: false, path: full };
    this.deps.reveal(full);
    return { revealed: true, path: full };
  }

  async diff(first: string, second: string, ignore?: string[]): Promise<ReplayStatus> {
    const rules = parseIgnoreRules(ignore ?? DEFAULT_IGNORE_RULES);
    if (!rules.ok) throw new LibraryError('failed', `Ignore rules: ${rules.error}`);
    const opened: EventSource[] = [];
    try {
      for (const [i, p] of [first, second].entries())
        opened.push(await openSourceFile(insideFolder(this.deps.folder, p), { id: `diff-${i + 1}` }));
      return await compareSources(opened[0]!, opened[1]!, { ignore: rules.rules });
    } finally {
      for (const s of opened) await s.close().catch(() => undefined);
    }
  }
}

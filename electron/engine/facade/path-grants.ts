import { resolve } from 'node:path';
import { EngineError } from './engine-error';

/**
 * What a page may read, write or serve: only paths the user chose in a native dialog or the main process / CLI
 * granted, so a compromised or hostile page cannot name files of its choice. One place holds all three lists.
 */
export class PathGrants {
  private readonly saves = new Set<string>();
  /** Paths the renderer may open: chosen in the native dialog or handed over by the main process (argv, drop). */
  private readonly opens = new Set<string>();
  /** Folders the file server may use: the default one, and any the main process or CLI grants. */
  private readonly dirs = new Set<string>();

  grantSave(path: string): void {
    this.saves.add(path);
  }

  grantOpen(path: string): void {
    this.opens.add(resolve(path));
  }

  grantDir(dir: string): void {
    this.dirs.add(resolve(dir));
  }

  requireSave(path: string): void {
    if (!this.saves.has(path))
      throw new EngineError(
        'failed',
        'Files can only be saved where you chose to save them; choose the file first.',
      );
  }

  /** Granted paths and the recent captures (the user opened them before) may be opened. */
  requireOpen(path: string, recent: readonly string[]): void {
    const full = resolve(path);
    if (this.opens.has(full) || recent.some((p) => resolve(p) === full)) return;
    throw new EngineError(
      'failed',
      'Only files chosen in the file dialog, recent captures or files given to the app can be opened; choose the file first.',
    );
  }

  /** Returns the resolved folder, or fails naming the folders that may be used. */
  requireDir(dir: string, defaultDir: string): string {
    const full = resolve(dir);
    if (!this.dirs.has(full))
      throw new EngineError('failed', `The file server may only use ${defaultDir} or a folder you chose.`);
    return full;
  }
}

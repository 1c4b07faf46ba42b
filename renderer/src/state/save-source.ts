import type { MenuCommand, ScopeApi } from '../../../shared/api';
import type { Store } from './store';

/**
 * The one export-and-save flow: the File menu (Save, Save As, exports), its shortcuts and the Captures panel's Export
 * button all run the engine's exportSource, then (Electron) the native save dialog and saveFile, or (serve mode) a
 * download; saveText is the same last step for any other text the UI makes (reports).
 */

export interface SavePlan {
  format: 'capture' | 'har';
  redact: boolean;
  /** Always ask where (Save As, exports); Save asks only the first time for a source. */
  ask: boolean;
}

export const SAVE_PLAN: Record<MenuCommand, SavePlan> = {
  save: { format: 'capture', redact: false, ask: false },
  'save-as': { format: 'capture', redact: false, ask: true },
  'export-capture-redacted': { format: 'capture', redact: true, ask: true },
  'export-har': { format: 'har', redact: false, ask: true },
  'export-har-redacted': { format: 'har', redact: true, ask: true },
};

export interface SaveTarget {
  /** Electron: a native dialog and a file written by the engine. Otherwise the browser downloads the file. */
  electron: boolean;
  download(name: string, data: string, type: string): void;
}

export type ExportedSource = Awaited<ReturnType<ScopeApi['exportSource']>>;

const MEDIA_TYPE: Record<SavePlan['format'], string> = {
  capture: 'application/x-ndjson',
  har: 'application/json',
};

/** Where each source was saved last, so Save writes there again without asking. */
const savedTo = new WeakMap<Store, Map<string, string>>();

/**
 * Saves text: to `path` when given, else where the user picks in the native dialog; in serve mode, a download.
 * Returns where it went (a path or the file name), or undefined when the user cancelled or writing failed (toasted).
 */
export async function saveText(
  store: Store,
  target: SaveTarget,
  file: { name: string; data: string; type: string; path?: string },
): Promise<string | undefined> {
  if (!target.electron) {
    target.download(file.name, file.data, file.type);
    return file.name;
  }
  const path =
    file.path ?? (await store.run('Choosing where to save', () => store.api.chooseFile('save', file.name)));
  if (!path) return undefined;
  const saved = await store.run('Saving', async () => {
    await store.api.saveFile(path, file.data);
    return true;
  });
  return saved ? path : undefined;
}

/** Exports a source as the plan says and saves it; returns the export (its redaction report) even when not saved. */
export async function exportAndSave(
  store: Store,
  sourceId: string,
  plan: SavePlan,
  target: SaveTarget,
): Promise<ExportedSource | undefined> {
  const out = await store.run('Exporting', () => store.api.exportSource(sourceId, plan.format, plan.redact));
  if (!out) return undefined;
  let paths = savedTo.get(store);
  if (!paths) savedTo.set(store, (paths = new Map()));
  const where = await saveText(store, target, {
    name: out.name,
    data: out.data,
    type: MEDIA_TYPE[plan.format],
    path: plan.ask ? undefined : paths.get(sourceId),
  });
  if (!where) return out;
  if (target.electron && !plan.redact && plan.format === 'capture') paths.set(sourceId, where);
  const redacted = plan.redact ? ' (passwords and keys redacted)' : '';
  store.toast(`${target.electron ? 'Saved' : 'Downloaded'} ${where}${redacted}`, 'ok');
  return out;
}

/** A File menu command (or its shortcut) on the source the log shows. */
export async function saveActiveSource(
  store: Store,
  command: MenuCommand,
  target: SaveTarget,
): Promise<void> {
  const sourceId = store.getState().activeSource;
  if (!sourceId) {
    store.toast('Nothing to save yet.', 'info');
    return;
  }
  await exportAndSave(store, sourceId, SAVE_PLAN[command], target);
}

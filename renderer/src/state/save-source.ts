import type { MenuCommand } from '../../../shared/api';
import type { Store } from './store';

/**
 * Save, Save As and the exports of the source the log shows, for the File menu and its shortcuts: the engine's
 * exportSource, then (Electron) the native save dialog and saveFile, or (serve mode) a download, as the Captures
 * panel's Export button does.
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

/** Where each source was saved last, so Save writes there again without asking. */
const savedTo = new WeakMap<Store, Map<string, string>>();

export async function saveActiveSource(
  store: Store,
  command: MenuCommand,
  target: SaveTarget,
): Promise<void> {
  const plan = SAVE_PLAN[command];
  const sourceId = store.getState().activeSource;
  if (!sourceId) {
    store.toast('Nothing to save yet.', 'info');
    return;
  }
  const out = await store.run('Exporting', () => store.api.exportSource(sourceId, plan.format, plan.redact));
  if (!out) return;
  const redacted = plan.redact ? ' (passwords and keys redacted)' : '';
  if (!target.electron) {
    target.download(out.name, out.data, plan.format === 'har' ? 'application/json' : 'application/x-ndjson');
    store.toast(`Downloaded ${out.name}${redacted}`, 'ok');
    return;
  }
  let paths = savedTo.get(store);
  if (!paths) savedTo.set(store, (paths = new Map()));
  const known = plan.ask ? undefined : paths.get(sourceId);
  const path =
    known ?? (await store.run('Choosing where to save', () => store.api.chooseFile('save', out.name)));
  if (!path) return;
  try {
    await store.api.saveFile(path, out.data);
  } catch (err) {
    store.toast(`Saving failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
    return;
  }
  if (!plan.redact && plan.format === 'capture') paths.set(sourceId, path);
  store.toast(`Saved ${path}${redacted}`, 'ok');
}

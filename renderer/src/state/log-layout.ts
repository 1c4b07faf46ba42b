import type { AppSettings, KeepaliveHiding } from '../../../shared/api';
import { layoutFrom, type ColumnLayout } from '../logic/columns';
import { useStore } from './hooks';
import type { Store } from './store';

/**
 * The log's view settings that live in the settings file (so they survive a restart, as a packet list's columns do):
 * the column layout and the keepalive switch. Saved through the engine like every other setting.
 */

export function useColumnLayout(): ColumnLayout {
  const stored = useStore((s) => s.settings?.logColumns);
  return layoutFrom(stored);
}

async function saveSettings(store: Store, what: string, patch: Partial<AppSettings>): Promise<void> {
  const settings = store.getState().settings;
  if (!settings) return;
  // Shown at once; the engine's answer (the settings as stored) replaces it when it comes.
  store.set({ settings: { ...settings, ...patch } });
  await store.run(what, async () =>
    store.set({ settings: await store.api.saveSettings({ ...settings, ...patch }) }),
  );
}

export function saveColumnLayout(store: Store, layout: ColumnLayout): Promise<void> {
  return saveSettings(store, 'Saving the columns', {
    logColumns: { hidden: [...layout.hidden], widths: { ...layout.widths } },
  });
}

export async function setKeepaliveHiding(store: Store, hiding: KeepaliveHiding): Promise<void> {
  await saveSettings(store, 'Saving the keepalive switch', { hideKeepalives: hiding });
  store.setSearch(store.getState().search);
}

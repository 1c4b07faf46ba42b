import type { SourceInfo } from '../../../shared/api';
import type { Store } from '../state/store';
import { uploadFile } from './upload-file';

export function isElectron(): boolean {
  return typeof window !== 'undefined' && window.ocppScope !== undefined;
}

/** Opens files the user picked or dropped (serve mode): sent to the engine in chunks, which reads them from disk. */
export async function openBrowserFiles(store: Store, files: FileList | File[]): Promise<void> {
  for (const file of Array.from(files)) {
    const abort = new AbortController();
    const opening = { name: file.name, sent: 0, total: file.size, cancel: () => abort.abort() };
    store.set({ opening });
    const source = await store.run(`Opening ${file.name}`, () =>
      uploadFile(store.api, file, (sent) => store.set({ opening: { ...opening, sent } }), abort.signal).catch(
        (error: unknown) => {
          if (abort.signal.aborted) return undefined;
          throw error;
        },
      ),
    );
    store.set({ opening: undefined });
    if (source) shown(store, source);
    if (abort.signal.aborted) {
      store.toast(`Opening ${file.name} was cancelled; nothing of it was kept.`, 'info');
      return;
    }
  }
}

export async function openPath(store: Store, path: string): Promise<void> {
  const source = await store.run(`Opening ${path}`, () => store.api.openFile(path));
  if (source) shown(store, source);
}

/** Electron: the native dialog. Serve mode: the hidden file input (clicked synchronously, as browsers require). */
export async function chooseAndOpen(store: Store, input: HTMLInputElement | null): Promise<void> {
  if (isElectron()) {
    const path = await store.run('Choosing a file', () => store.api.chooseFile('open'));
    if (path) await openPath(store, path);
    return;
  }
  input?.click();
}

function shown(store: Store, source: SourceInfo): void {
  const sources = store.getState().sources.filter((s) => s.id !== source.id);
  store.set({ sources: [...sources, source] });
  store.setActiveSource(source.id);
  // The engine remembers opened paths as recent captures: read them back for the Captures panel.
  store.api.getSettings().then(
    (settings) => store.set({ settings }),
    () => undefined,
  );
  if (source.findings.length > 0)
    store.toast(`${source.name}: ${source.findings.length} problem(s) while reading; see Captures.`, 'info');
}

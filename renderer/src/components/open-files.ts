import type { SourceInfo } from '../../../shared/api';
import type { Store } from '../state/store';

/** Binary captures (pcap, pcapng) travel as base64; capture lines and HAR as text. */
export function isBinaryCapture(name: string, head: Uint8Array): boolean {
  if (/\.(pcap|pcapng|cap)$/i.test(name)) return true;
  const magic = [...head.slice(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return ['a1b2c3d4', 'd4c3b2a1', 'a1b23c4d', '4d3cb2a1', '0a0d0d0a'].includes(magic);
}

function base64(bytes: Uint8Array): string {
  let out = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) out += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(out);
}

export function isElectron(): boolean {
  return typeof window !== 'undefined' && window.ocppScope !== undefined;
}

/** Opens files the user picked or dropped (serve mode): the content goes to the engine, which reads it. */
export async function openBrowserFiles(store: Store, files: FileList | File[]): Promise<void> {
  for (const file of Array.from(files)) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const binary = isBinaryCapture(file.name, bytes);
    const data = binary ? base64(bytes) : new TextDecoder().decode(bytes);
    const source = await store.run(`Opening ${file.name}`, () =>
      store.api.openContent(file.name, data, binary ? 'base64' : 'utf8'),
    );
    if (source) shown(store, source);
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

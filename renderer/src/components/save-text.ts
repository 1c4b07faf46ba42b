import type { Store } from '../state/store';
import { download } from './endpoint-panel';
import { isElectron } from './open-files';

/**
 * Saves text the UI made (an export, a report): the native save dialog on the desktop, a browser download in serve
 * mode. Returns where it went (a path or the file name), or undefined when the user cancelled or it failed.
 */
export async function saveText(
  store: Store,
  name: string,
  data: string,
  type: string,
): Promise<string | undefined> {
  if (!isElectron()) {
    download(name, data, type);
    return name;
  }
  const path = await store.run('Choosing where to save', () => store.api.chooseFile('save', name));
  if (!path) return undefined;
  const saved = await store.run('Saving', async () => {
    await store.api.saveFile(path, data);
    return true;
  });
  return saved ? path : undefined;
}

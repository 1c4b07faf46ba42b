import { saveText as saveTextTo, type SaveTarget } from '../state/save-source';
import type { Store } from '../state/store';
import { download } from './endpoint-panel';
import { isElectron } from './open-files';

/** Where this window saves: the native dialog in Electron, a browser download in serve mode. */
export function windowSaveTarget(): SaveTarget {
  return { electron: isElectron(), download };
}

/**
 * Saves text the UI made (a report) through the one save flow (state/save-source.ts). Returns where it went (a path
 * or the file name), or undefined when the user cancelled or it failed.
 */
export function saveText(
  store: Store,
  name: string,
  data: string,
  type: string,
): Promise<string | undefined> {
  return saveTextTo(store, windowSaveTarget(), { name, data, type });
}

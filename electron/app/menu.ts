import type { MenuItemConstructorOptions } from 'electron';

/** What the File menu does; the main process wires these to the dialog and the engine. */
export interface FileMenuActions {
  open(): void;
  /** Recent captures, newest first (AppSettings.recentCaptures). */
  recent: readonly string[];
  openPath(path: string): void;
}

function fileMenu(mac: boolean, file: FileMenuActions | undefined): MenuItemConstructorOptions {
  const quit: MenuItemConstructorOptions = mac ? { role: 'close' } : { role: 'quit' };
  if (!file) return { label: 'File', submenu: [quit] };
  const recent: MenuItemConstructorOptions[] =
    file.recent.length > 0
      ? file.recent.slice(0, 10).map((path) => ({ label: path, click: () => file.openPath(path) }))
      : [{ label: 'No recent captures', enabled: false }];
  return {
    label: 'File',
    submenu: [
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => file.open() },
      { label: 'Open Recent', submenu: recent },
      { type: 'separator' },
      { role: 'close', label: 'Close Window' },
      ...(mac ? [] : [{ type: 'separator' as const }, quit]),
    ],
  };
}

/**
 * The application menu: a File menu (open, open recent, close) and the usual roles (so copy, paste, zoom and full
 * screen work as people expect), nothing clever.
 */
export function menuTemplate(
  platform: NodeJS.Platform,
  file?: FileMenuActions,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push({ role: 'appMenu' });
  template.push(
    fileMenu(mac, file),
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] },
  );
  return template;
}

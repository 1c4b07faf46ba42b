import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/api';

/** What the File menu does; the main process wires these to the dialog and the engine. */
export interface FileMenuActions {
  open(): void;
  /** Recent captures, newest first (AppSettings.recentCaptures). */
  recent: readonly string[];
  openPath(path: string): void;
  /** Save, Save As and the exports: the window carries them out with the same engine calls as its buttons. */
  command(command: MenuCommand): void;
}

/** Save and export items: label, accelerator, command. */
const SAVE_ITEMS: { label: string; accelerator?: string; command: MenuCommand }[] = [
  { label: 'Save Capture', accelerator: 'CmdOrCtrl+S', command: 'save' },
  { label: 'Save Capture As…', accelerator: 'CmdOrCtrl+Shift+S', command: 'save-as' },
];
const EXPORT_ITEMS: { label: string; accelerator?: string; command: MenuCommand }[] = [
  { label: 'Redacted Capture…', accelerator: 'CmdOrCtrl+E', command: 'export-capture-redacted' },
  { label: 'HAR…', command: 'export-har' },
  { label: 'Redacted HAR…', accelerator: 'CmdOrCtrl+Shift+E', command: 'export-har-redacted' },
];

const item = (i: { label: string; accelerator?: string }): MenuItemConstructorOptions =>
  i.accelerator ? { label: i.label, accelerator: i.accelerator } : { label: i.label };

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
      ...SAVE_ITEMS.map((i) => ({ ...item(i), click: () => file.command(i.command) })),
      {
        label: 'Export',
        submenu: EXPORT_ITEMS.map((i) => ({ ...item(i), click: () => file.command(i.command) })),
      },
      { type: 'separator' },
      { role: 'close', label: 'Close Window' },
      ...(mac ? [] : [{ type: 'separator' as const }, quit]),
    ],
  };
}

/**
 * The application menu: a File menu (open, open recent, save, export, close) and the usual roles (so copy, paste, zoom and full
 * screen work as people expect), nothing clever.
 */
export interface MenuOptions {
  /** Development builds only: a packaged app has no DevTools entry (nor its shortcut, which the role carries). */
  devTools?: boolean;
}

export function menuTemplate(
  platform: NodeJS.Platform,
  file?: FileMenuActions,
  options: MenuOptions = {},
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
        ...(options.devTools ? [{ role: 'toggleDevTools' } as const] : []),
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

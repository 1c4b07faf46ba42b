import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, screen, session, shell } from 'electron';
import type { WebContents } from 'electron';
import { join } from 'node:path';
import { ScopeEngine } from '../engine';
import {
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  APP_START_URL,
  createAppProtocolHandler,
  isAppUrl,
  isExternalLink,
} from './app-protocol';
import { contentSecurityPolicy } from '../common/csp';
import { registerIpcHandlers } from './ipc';
import { MENU_CHANNEL, NOTICES_CHANNEL } from './ipc-channels';
import { launchFiles } from './launch-files';
import type { FileMenuActions } from './menu';
import { menuTemplate } from './menu';
import { UserActivation } from './user-activation';
import { loadedSettingsNotice, SettingsStore } from '../common/settings-store';
import { windowOptions } from './window-options';
import { loadWindowState, saveWindowState } from './window-state';

/**
 * The Electron main process: one instance, one window, the renderer from app://renderer/ under a strict CSP, the
 * contract over typed IPC, and the engine running in this process. Everything else lives in the engine.
 */

const CAPTURE_FILTERS = [
  { name: 'Captures, HAR and pcap', extensions: ['jsonl', 'ocppcap', 'har', 'pcap', 'pcapng'] },
  { name: 'All files', extensions: ['*'] },
];

let mainWindow: BrowserWindow | undefined;

/** How long quitting waits for the engine to close before the app exits anyway. */
export const QUIT_GRACE_MS = 3000;

async function closeWithin(engine: ScopeEngine, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  try {
    await Promise.race([engine.close().catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

function ourContents(): WebContents | undefined {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : undefined;
}

/**
 * No page may navigate, open windows or attach webviews; http(s) links go to the OS browser, and only right after a
 * user action on the window (see user-activation.ts).
 */
function lockDown(contents: WebContents): void {
  const activation = new UserActivation();
  contents.on('input-event', (_event, input) => activation.note(input.type));
  const openOutside = (url: string): void => {
    if (isExternalLink(url) && activation.consume()) void shell.openExternal(url);
  };
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openOutside(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
}

async function chooseFile(purpose: 'open' | 'save', suggestedName?: string): Promise<string | undefined> {
  const parent = mainWindow;
  if (purpose === 'open') {
    const options = { properties: ['openFile' as const], filters: CAPTURE_FILTERS };
    const result = parent
      ? await dialog.showOpenDialog(parent, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? undefined : result.filePaths[0];
  }
  const options = suggestedName ? { defaultPath: suggestedName } : {};
  const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? undefined : result.filePath;
}

function createWindow(userData: string, appPath: string): BrowserWindow {
  const bounds = loadWindowState(
    userData,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new BrowserWindow(windowOptions(join(appPath, 'dist', 'app', 'preload.cjs'), bounds));
  if (bounds.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    saveWindowState(userData, { ...window.getNormalBounds(), maximized: window.isMaximized() });
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  void window.loadURL(APP_START_URL);
  return window;
}

export function startApp(): void {
  // A second copy would fight over the endpoint port and the settings file: hand over to the first one.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

  // Files the OS hands over before the engine exists (macOS 'open-file' at launch) wait here.
  const pending: string[] = launchFiles(process.argv.slice(1), process.cwd());
  let openNow: ((paths: string[]) => void) | undefined;
  const openFiles = (paths: string[]): void => (openNow ? openNow(paths) : void pending.push(...paths));
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFiles([path]);
  });
  app.on('second-instance', (_event, argv: string[], workingDirectory: string) => {
    openFiles(launchFiles(argv.slice(1), workingDirectory));
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));

  void app.whenReady().then(() => {
    const userData = app.getPath('userData');
    const appPath = app.getAppPath();
    const csp = contentSecurityPolicy();

    protocol.handle(APP_SCHEME, createAppProtocolHandler(join(appPath, 'dist', 'renderer')));
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
    });
    // Clipboard writes (copy a URL) are the only permission the UI needs: requests and checks alike.
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
      callback(permission === 'clipboard-sanitized-write');
    });
    session.defaultSession.setPermissionCheckHandler(
      (_contents, permission) => permission === 'clipboard-sanitized-write',
    );

    const store = new SettingsStore(userData);
    const loaded = store.load();
    const notice = loadedSettingsNotice(loaded);
    if (notice) console.warn(`OCPP Scope: ${notice}`);
    const engine = new ScopeEngine({
      dataDir: userData,
      settings: { load: () => store.get(), save: (s) => store.save(s) },
      chooseFile,
      reveal: (path) => shell.showItemInFolder(path),
    });
    registerIpcHandlers(ipcMain, engine, ourContents);
    engine.onNotices((notices) => ourContents()?.send(NOTICES_CHANNEL, notices));

    openNow = (paths) => {
      for (const path of paths) {
        engine.allowOpen(path);
        void engine.openFile(path).then(setMenu, (error: unknown) => {
          console.warn(`OCPP Scope: ${path} could not be opened: ${(error as Error).message}`);
        });
      }
    };
    const setMenu = (): void => {
      const file: FileMenuActions = {
        open: () => void chooseFile('open').then((path) => path !== undefined && openNow?.([path])),
        recent: store.get().recentCaptures,
        openPath: (path) => openNow?.([path]),
        command: (command) => ourContents()?.send(MENU_CHANNEL, command),
      };
      Menu.setApplicationMenu(
        Menu.buildFromTemplate(menuTemplate(process.platform, file, { devTools: !app.isPackaged })),
      );
    };
    setMenu();
    openNow(pending.splice(0));
    mainWindow = createWindow(userData, appPath);

    app.on('activate', () => {
      if (!mainWindow) mainWindow = createWindow(userData, appPath);
    });
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });
    // Quit waits (boundedly) for the engine: sockets close with 1001 and the recorder flushes its last events.
    let quitting = false;
    app.on('before-quit', (event) => {
      if (quitting) return;
      quitting = true;
      event.preventDefault();
      void closeWithin(engine, QUIT_GRACE_MS).then(() => app.exit(0));
    });
  });
}

startApp();

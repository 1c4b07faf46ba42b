/**
 * A stand-in for the `electron` module (the runtime cannot run here): it records what the main process and the
 * preload register, so the tests can check the wiring and then act as Electron would (fire events, call handlers).
 */
import { EventEmitter } from 'node:events';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

export class FakeWebContents extends EventEmitter {
  readonly mainFrame = { url: 'app://renderer/index.html' };
  readonly sent: [string, unknown][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
}

export function createFakeElectron() {
  let lockAnswer = true;
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  const record = {
    singleInstanceLock: 0,
    quit: 0,
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    headerHooks: [] as ((
      details: { responseHeaders: Record<string, string[]> },
      cb: (r: unknown) => void,
    ) => void)[],
    permissionHandler: undefined as
      undefined | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
    permissionCheck: undefined as undefined | ((wc: unknown, permission: string) => boolean),
    exits: [] as (number | undefined)[],
    windows: [] as { options: Record<string, unknown>; url?: string; webContents: FakeWebContents }[],
    ipcHandlers: new Map<string, Handler>(),
    menu: undefined as unknown,
    externalOpened: [] as string[],
    exposed: new Map<string, unknown>(),
    invoked: [] as unknown[][],
    rendererListeners: new Map<string, (event: unknown, payload: unknown) => void>(),
    userData: '',
    appPath: '',
    /** The event a call from our own window's main frame carries. */
    trustedEvent: (): unknown => {
      const wc = record.windows[0]?.webContents;
      return { sender: wc, senderFrame: wc?.mainFrame };
    },
    /** Lets the test set paths first, as Electron only knows them once ready. */
    resolveReady: () => resolveReady(),
    setLock: (value: boolean) => {
      lockAnswer = value;
    },
  };
  const appEvents = new EventEmitter();

  const app = Object.assign(appEvents, {
    requestSingleInstanceLock: () => {
      record.singleInstanceLock++;
      return lockAnswer;
    },
    quit: () => {
      record.quit++;
    },
    exit: (code?: number) => {
      record.exits.push(code);
    },
    whenReady: () => ready,
    getPath: (_name: string) => record.userData,
    getAppPath: () => record.appPath,
  });

  class BrowserWindow extends EventEmitter {
    readonly webContents = new FakeWebContents();
    constructor(readonly options: Record<string, unknown>) {
      super();
      record.windows.push({ options, webContents: this.webContents });
      // Electron fires web-contents-created for every new WebContents.
      appEvents.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string): Promise<void> {
      record.windows.find((w) => w.webContents === this.webContents)!.url = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    isMaximized() {
      return false;
    }
    getNormalBounds() {
      return { x: 10, y: 20, width: 1000, height: 700 };
    }
    maximize() {}
    restore() {}
    focus() {}
    show() {}
  }

  const electron = {
    app,
    BrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => record.privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
        record.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: (hook: (typeof record.headerHooks)[number]) => record.headerHooks.push(hook),
        },
        setPermissionRequestHandler: (h: typeof record.permissionHandler) => {
          record.permissionHandler = h;
        },
        setPermissionCheckHandler: (h: typeof record.permissionCheck) => {
          record.permissionCheck = h;
        },
      },
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    ipcMain: {
      handle: (channel: string, handler: Handler) => record.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => record.ipcHandlers.delete(channel),
    },
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: unknown) => {
        record.menu = menu;
      },
    },
    shell: {
      openExternal: async (url: string) => {
        record.externalOpened.push(url);
      },
    },
    dialog: {
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true }),
    },
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => record.exposed.set(key, api),
    },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        record.invoked.push([channel, ...args]);
        const handler = record.ipcHandlers.get(channel);
        if (!handler)
          return { ok: false, error: { code: 'unknown-method', message: `no handler for ${channel}` } };
        return handler(record.trustedEvent(), ...args);
      },
      on: (channel: string, listener: (event: unknown, payload: unknown) => void) =>
        record.rendererListeners.set(channel, listener),
    },
  };
  return { electron, record };
}

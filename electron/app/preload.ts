import { contextBridge, ipcRenderer } from 'electron';
import type { ApiMethod, EngineNotice, MenuCommand, ScopeApi } from '../../shared/api';
import { API_METHODS, MENU_COMMANDS } from '../../shared/api';
import type { ApiReply } from '../../shared/api-bridge';
import { unwrapReply } from '../../shared/api-bridge';
import { callChannel, MENU_CHANNEL, NOTICES_CHANNEL } from './ipc-channels';

/**
 * The renderer's only door to the engine: exactly the contract's methods and one subscription, as window.ocppScope.
 * No ipcRenderer, no generic invoke, no Node objects cross the bridge.
 */

type Listener = (notices: EngineNotice[]) => void;
const listeners = new Set<Listener>();

ipcRenderer.on(NOTICES_CHANNEL, (_event, notices: EngineNotice[]) => {
  for (const listener of listeners) {
    try {
      listener(notices);
    } catch (error) {
      console.error('A notice listener failed:', error);
    }
  }
});

const menuListeners = new Set<(command: MenuCommand) => void>();
const isMenuCommand = (c: unknown): c is MenuCommand => (MENU_COMMANDS as readonly unknown[]).includes(c);

ipcRenderer.on(MENU_CHANNEL, (_event, command: unknown) => {
  if (!isMenuCommand(command)) return;
  for (const listener of menuListeners) listener(command);
});

function method(name: ApiMethod) {
  return async (...args: unknown[]): Promise<unknown> => {
    const reply = (await ipcRenderer.invoke(callChannel(name), ...args)) as ApiReply;
    const result = unwrapReply(reply);
    return result === null ? undefined : result;
  };
}

export function buildPreloadApi(): ScopeApi {
  const api: Record<string, unknown> = {};
  for (const name of API_METHODS) api[name] = method(name);
  api.subscribe = (listener: Listener) => {
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a function');
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };
  api.onMenuCommand = (listener: (command: MenuCommand) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onMenuCommand needs a function');
    menuListeners.add(listener);
    return () => {
      menuListeners.delete(listener);
    };
  };
  return api as unknown as ScopeApi;
}

contextBridge.exposeInMainWorld('ocppScope', buildPreloadApi());

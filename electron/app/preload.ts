import { contextBridge, ipcRenderer } from 'electron';
import type { ApiMethod, EngineNotice, ScopeApi } from '../../shared/api';
import { API_METHODS } from '../../shared/api';
import type { ApiReply } from '../../shared/api-bridge';
import { unwrapReply } from '../../shared/api-bridge';
import { callChannel, NOTICES_CHANNEL } from './ipc-channels';

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
  return api as unknown as ScopeApi;
}

contextBridge.exposeInMainWorld('ocppScope', buildPreloadApi());

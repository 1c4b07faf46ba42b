import { createContext, useContext, useRef, useSyncExternalStore } from 'react';
import type { ScopeApi } from '../../../shared/api';
import type { Store, UiState } from './store';

export const StoreContext = createContext<Store | null>(null);

export function useStoreInstance(): Store {
  const store = useContext(StoreContext);
  if (!store) throw new Error('StoreContext is missing');
  return store;
}

export function useApi(): ScopeApi {
  return useStoreInstance().api;
}

/** Equal by identity, or arrays/objects whose members are equal by identity (a selector that filters or maps). */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Reads one slice of the store; the component re-renders only when that slice changes. A selector may derive a new
 * array or object: the previous result is kept while it is shallowly equal, so React sees a stable snapshot.
 */
export function useStore<T>(selector: (s: UiState) => T): T {
  const store = useStoreInstance();
  const last = useRef<{ value: T } | undefined>(undefined);
  const snapshot = (): T => {
    const next = selector(store.getState());
    if (last.current && shallowEqual(last.current.value, next)) return last.current.value;
    last.current = { value: next };
    return next;
  };
  return useSyncExternalStore(store.subscribe, snapshot);
}

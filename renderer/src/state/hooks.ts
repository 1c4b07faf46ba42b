import { createContext, useContext, useSyncExternalStore } from 'react';
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

/** Reads one slice of the store; the component re-renders only when that slice changes (by identity). */
export function useStore<T>(selector: (s: UiState) => T): T {
  const store = useStoreInstance();
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()));
}

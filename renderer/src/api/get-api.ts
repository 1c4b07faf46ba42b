import type { ScopeApi } from '../../../shared/api';
import { bridgeUrlOf, createBridgeClient } from './bridge-client';

export { ApiError } from '../../../shared/api-bridge';
export type { ApiErrorCode } from '../../../shared/api-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in serve mode. */
    ocppScope?: ScopeApi;
  }
}

let cached: ScopeApi | undefined;

/**
 * The contract for the UI: the Electron preload's API when the page runs in the app, else a client of the serve
 * host's bridge (token from the page URL). Nothing else in the renderer knows which one it got.
 */
export function getApi(): ScopeApi {
  if (cached) return cached;
  if (window.ocppScope) return (cached = window.ocppScope);
  const url = bridgeUrlOf(window.location);
  if (!url) {
    throw new Error(
      'This page was opened without its access token; open the address that `ocpp-scope serve` printed.',
    );
  }
  return (cached = createBridgeClient(url, (u) => new WebSocket(u)));
}

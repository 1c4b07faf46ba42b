import { afterEach, describe, expect, it, vi } from 'vitest';
import { bridgeUrlOf } from '../../../../renderer/src/api/bridge-client';

describe('bridgeUrlOf', () => {
  it('derives the bridge from the page address and its token', () => {
    expect(bridgeUrlOf({ protocol: 'http:', host: '127.0.0.1:5173', pathname: '/AbC-_12/' })).toBe(
      'ws://127.0.0.1:5173/AbC-_12/bridge',
    );
    expect(bridgeUrlOf({ protocol: 'https:', host: 'localhost:1', pathname: '/t0k/index.html' })).toBe(
      'wss://localhost:1/t0k/bridge',
    );
    expect(bridgeUrlOf({ protocol: 'http:', host: '127.0.0.1:1', pathname: '/' })).toBeUndefined();
  });
});

describe('getApi', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('uses the preload API when the app provides one', async () => {
    const preload = { marker: 'preload' };
    vi.stubGlobal('window', {
      ocppScope: preload,
      location: { protocol: 'app:', host: 'renderer', pathname: '/index.html' },
    });
    const { getApi } = await import('../../../../renderer/src/api/get-api');
    expect(getApi()).toBe(preload);
  });

  it('falls back to the bridge with the token from the page URL', async () => {
    const opened: string[] = [];
    class FakeSocket {
      readyState = 0;
      constructor(url: string) {
        opened.push(url);
      }
      addEventListener() {}
      send() {}
      close() {}
    }
    vi.stubGlobal('window', { location: { protocol: 'http:', host: '127.0.0.1:4000', pathname: '/tok3n/' } });
    vi.stubGlobal('WebSocket', FakeSocket);
    const { getApi } = await import('../../../../renderer/src/api/get-api');
    const api = getApi();
    expect(typeof api.send).toBe('function');
    void api.listSources().catch(() => {});
    expect(opened).toEqual(['ws://127.0.0.1:4000/tok3n/bridge']);
    expect(getApi()).toBe(api);
  });

  it('says how to fix a page opened without its token', async () => {
    vi.stubGlobal('window', { location: { protocol: 'http:', host: '127.0.0.1:4000', pathname: '/' } });
    const { getApi } = await import('../../../../renderer/src/api/get-api');
    expect(() => getApi()).toThrow(/without its access token/);
  });
});

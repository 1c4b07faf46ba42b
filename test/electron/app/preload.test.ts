import { describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../../shared/api';
import type { EngineNotice, ScopeApi } from '../../../shared/api';
import { ApiError } from '../../../shared/api-bridge';
import type { createFakeElectron } from './fake-electron';

const fake = vi.hoisted(() => ({ current: undefined as undefined | ReturnType<typeof createFakeElectron> }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  fake.current = createFakeElectron();
  return fake.current.electron;
});

async function loadPreload() {
  await import('../../../electron/app/preload');
  const { record } = fake.current!;
  return { record, api: record.exposed.get('ocppScope') as ScopeApi };
}

describe('preload', () => {
  it('exposes exactly the contract methods and subscribe, under window.ocppScope only', async () => {
    const { record, api } = await loadPreload();
    expect([...record.exposed.keys()]).toEqual(['ocppScope']);
    expect(Object.keys(api).sort()).toEqual([...API_METHODS, 'subscribe', 'onMenuCommand'].sort());
    for (const key of Object.keys(api))
      expect(typeof (api as unknown as Record<string, unknown>)[key]).toBe('function');
  });

  it('sends each method on its own channel and unwraps the reply', async () => {
    const { record, api } = await loadPreload();
    record.ipcHandlers.set('ocpp-scope:call:send', async (_e, ...args) => ({
      ok: true,
      result: { seq: 7, findings: [], args },
    }));
    record.ipcHandlers.set('ocpp-scope:call:disconnect', async () => ({ ok: true, result: null }));
    record.ipcHandlers.set('ocpp-scope:call:openFile', async () => ({
      ok: false,
      error: { code: 'failed', message: 'no such file' },
    }));
    expect(await api.send('c1', 'x')).toEqual({ seq: 7, findings: [], args: ['c1', 'x'] });
    expect(await api.disconnect('c1')).toBeUndefined();
    await expect(api.openFile('/nope')).rejects.toThrow(new ApiError('failed', 'no such file'));
    expect(record.invoked.map((c) => c[0])).toEqual([
      'ocpp-scope:call:send',
      'ocpp-scope:call:disconnect',
      'ocpp-scope:call:openFile',
    ]);
  });

  it('passes the File menu’s commands to the window, and nothing that is not one', async () => {
    const { record, api } = await loadPreload();
    const got: string[] = [];
    const stop = api.onMenuCommand!((c) => got.push(c));
    const push = record.rendererListeners.get('ocpp-scope:menu')!;
    push({}, 'save');
    push({}, 'export-har-redacted');
    push({}, 'rm -rf');
    push({}, { command: 'save' });
    stop();
    push({}, 'save-as');
    expect(got).toEqual(['save', 'export-har-redacted']);
  });

  it('delivers pushed notices to every subscriber until it unsubscribes', async () => {
    const { record, api } = await loadPreload();
    const a: EngineNotice[][] = [];
    const b: EngineNotice[][] = [];
    const stopA = api.subscribe((n) => a.push(n));
    api.subscribe((n) => b.push(n));
    const push = record.rendererListeners.get('ocpp-scope:notices')!;
    const batch: EngineNotice[] = [{ type: 'endpoint', status: { running: false, urls: [] } }];
    push({}, batch);
    stopA();
    push({}, batch);
    expect(a).toEqual([batch]);
    expect(b).toEqual([batch, batch]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ScopeApi } from '../../../../shared/api';
import { Store } from '../../../../renderer/src/state/store';
import { saveActiveSource } from '../../../../renderer/src/state/save-source';

/** An engine that exports and saves, recording the calls the File menu makes (the same as the Export button). */
function fakeEngine(choose: (string | undefined)[]) {
  const calls: unknown[][] = [];
  const api = {
    exportSource: async (id: string, format: string, redact: boolean) => {
      calls.push(['exportSource', id, format, redact]);
      return { name: `${id}.${format}`, data: `data of ${id}` };
    },
    chooseFile: async (purpose: string, name: string) => {
      calls.push(['chooseFile', purpose, name]);
      return choose.shift();
    },
    saveFile: async (path: string, data: string) => {
      calls.push(['saveFile', path, data]);
    },
  } as unknown as ScopeApi;
  const store = new Store(api);
  store.set({ activeSource: 'live' });
  return { store, calls };
}

const electron = { electron: true, download: () => undefined };

describe('Save, Save As and exports of the shown source', () => {
  it('Save asks where the first time, then writes there again; Save As always asks', async () => {
    const { store, calls } = fakeEngine(['/caps/a.ocppcap.jsonl', '/caps/b.ocppcap.jsonl']);
    await saveActiveSource(store, 'save', electron);
    await saveActiveSource(store, 'save', electron);
    await saveActiveSource(store, 'save-as', electron);
    expect(calls).toEqual([
      ['exportSource', 'live', 'capture', false],
      ['chooseFile', 'save', 'live.capture'],
      ['saveFile', '/caps/a.ocppcap.jsonl', 'data of live'],
      ['exportSource', 'live', 'capture', false],
      ['saveFile', '/caps/a.ocppcap.jsonl', 'data of live'],
      ['exportSource', 'live', 'capture', false],
      ['chooseFile', 'save', 'live.capture'],
      ['saveFile', '/caps/b.ocppcap.jsonl', 'data of live'],
    ]);
  });

  it('exports redacted captures and HAR (plain or redacted), asking each time; a cancelled dialog writes nothing', async () => {
    const { store, calls } = fakeEngine(['/x/r.jsonl', undefined, '/x/r.har']);
    await saveActiveSource(store, 'export-capture-redacted', electron);
    await saveActiveSource(store, 'export-har', electron);
    await saveActiveSource(store, 'export-har-redacted', electron);
    expect(calls.filter((c) => c[0] !== 'chooseFile')).toEqual([
      ['exportSource', 'live', 'capture', true],
      ['saveFile', '/x/r.jsonl', 'data of live'],
      ['exportSource', 'live', 'har', false],
      ['exportSource', 'live', 'har', true],
      ['saveFile', '/x/r.har', 'data of live'],
    ]);
    expect(store.getState().toasts.map((t) => t.text)).toEqual([
      'Saved /x/r.jsonl (passwords and keys redacted)',
      'Saved /x/r.har (passwords and keys redacted)',
    ]);
  });

  it('in serve mode downloads instead of asking for a path', async () => {
    const { store, calls } = fakeEngine([]);
    const downloads: string[][] = [];
    await saveActiveSource(store, 'export-har', {
      electron: false,
      download: (name, data, type) => downloads.push([name, data, type]),
    });
    expect(calls).toEqual([['exportSource', 'live', 'har', false]]);
    expect(downloads).toEqual([['live.har', 'data of live', 'application/json']]);
  });
});

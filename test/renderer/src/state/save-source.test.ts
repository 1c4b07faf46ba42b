import { describe, expect, it } from 'vitest';
import type { ScopeApi } from '../../../../shared/api';
import { Store } from '../../../../renderer/src/state/store';
import { exportAndSave, saveActiveSource } from '../../../../renderer/src/state/save-source';

/** An engine that exports and saves, recording the calls the File menu makes (the same as the Export button). */
function fakeEngine(choose: (string | undefined)[]) {
  const calls: unknown[][] = [];
  const api = {
    exportSource: async (id: string, format: string, redact: boolean) => {
      calls.push(['exportSource', id, format, redact]);
      const redaction = redact ? [{ rule: 'basic-auth', description: 'Basic auth passwords', count: 2 }] : [];
      return { name: `${id}.${format}`, data: `data of ${id}`, redaction };
    },
    chooseFile: async (purpose: string, name: string) => {
      calls.push(['chooseFile', purpose, name]);
      return choose.shift();
    },
    saveFile: async (path: string, data: string) => {
      calls.push(['saveFile', path, data]);
      if (path.startsWith('/read-only/')) throw new Error('EACCES: permission denied');
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

  it("the Captures panel's Export runs the same flow on the source it picked: redaction report, toast, Save reuses the path", async () => {
    const { store, calls } = fakeEngine(['/x/other.jsonl']);
    const out = await exportAndSave(
      store,
      'other',
      { format: 'capture', redact: false, ask: true },
      electron,
    );
    expect(out?.name).toBe('other.capture');
    const redacted = await exportAndSave(
      store,
      'live',
      { format: 'har', redact: true, ask: true },
      {
        electron: false,
        download: () => undefined,
      },
    );
    expect(redacted?.redaction).toEqual([
      { rule: 'basic-auth', description: 'Basic auth passwords', count: 2 },
    ]);
    store.set({ activeSource: 'other' });
    await saveActiveSource(store, 'save', electron);
    expect(calls).toEqual([
      ['exportSource', 'other', 'capture', false],
      ['chooseFile', 'save', 'other.capture'],
      ['saveFile', '/x/other.jsonl', 'data of other'],
      ['exportSource', 'live', 'har', true],
      ['exportSource', 'other', 'capture', false],
      ['saveFile', '/x/other.jsonl', 'data of other'],
    ]);
    expect(store.getState().toasts.map((t) => t.text)).toEqual([
      'Saved /x/other.jsonl',
      'Downloaded live.har (passwords and keys redacted)',
      'Saved /x/other.jsonl',
    ]);
  });

  it('a file that cannot be written is one error toast, no "Saved" toast, and Save asks again next time', async () => {
    const { store, calls } = fakeEngine(['/read-only/a.jsonl', '/caps/a.jsonl']);
    await saveActiveSource(store, 'save', electron);
    await saveActiveSource(store, 'save', electron);
    expect(calls.filter((c) => c[0] === 'chooseFile')).toHaveLength(2);
    expect(store.getState().toasts.map((t) => [t.text, t.tone])).toEqual([
      ['Saving failed: EACCES: permission denied', 'error'],
      ['Saved /caps/a.jsonl', 'ok'],
    ]);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppSettings, EngineNotice, ReplayStatus } from '../../../shared/api';
import { defaultAppSettings } from '../../../shared/api-defaults';
import { ScopeEngine } from '../../../electron/engine/scope-engine';
import { nextCharger } from '../../../electron/engine/replay/engine-links';
import { endpointSettings, recordSession, runCharger } from './replay/ocpp-session';
import { testTempDir } from '../../support/temp-dirs';

describe('ScopeEngine', () => {
  const dataDir = () => testTempDir('scope-engine');

  it('keeps settings through the given backend and refuses invalid ones', async () => {
    let stored: AppSettings = { ...defaultAppSettings(), theme: 'dark' };
    const engine = new ScopeEngine({
      dataDir: dataDir(),
      settings: { load: () => stored, save: (s) => (stored = s) },
    });
    try {
      expect((await engine.getSettings()).theme).toBe('dark');
      await engine.saveSettings({ ...stored, theme: 'light' });
      expect(stored.theme).toBe('light');
      await expect(
        engine.saveSettings({ ...stored, recentCaptures: [1] as unknown as string[] }),
      ).rejects.toThrow(/not saved/);
    } finally {
      await engine.close();
    }
  });

  it('writes files only where the native dialog said, and has no dialog in serve mode', async () => {
    const dir = dataDir();
    const target = join(dir, 'export.har');
    const withDialog = new ScopeEngine({ dataDir: dir, chooseFile: async () => target });
    const serveMode = new ScopeEngine({ dataDir: dir });
    try {
      await expect(withDialog.saveFile(join(dir, 'other.txt'), 'x')).rejects.toThrow(/choose the file first/);
      expect(await withDialog.chooseFile('save', 'export.har')).toBe(target);
      await withDialog.saveFile(target, 'data');
      expect(await serveMode.chooseFile('open')).toBeUndefined();
    } finally {
      await withDialog.close();
      await serveMode.close();
    }
  });

  it('pushes live events in batches and flushes what is pending on close', async () => {
    const engine = new ScopeEngine({ dataDir: dataDir(), noticeIntervalMs: 10_000 });
    const batches: EngineNotice[][] = [];
    engine.onNotices((b) => batches.push(b));
    engine.stream.emit({ kind: 'note', conn: '', source: 'user', text: 'before close' });
    expect(batches).toHaveLength(0);
    await engine.close();
    expect(
      batches
        .flat()
        .some(
          (n) => n.type === 'events' && n.events.some((e) => e.kind === 'note' && e.text === 'before close'),
        ),
    ).toBe(true);
  });

  it('says clearly what is missing instead of pretending', async () => {
    const engine = new ScopeEngine({ dataDir: dataDir() });
    try {
      await expect(engine.disconnect('nope')).rejects.toThrow('There is no connection "nope".');
      await expect(engine.pauseReplay()).rejects.toThrow('No replay has been started.');
      await expect(
        engine.startReplay({
          sourceId: 'nope',
          side: 'station',
          target: 'ws://127.0.0.1:1/',
          speed: 0,
          shiftTimestamps: false,
        }),
      ).rejects.toThrow(/no open source/);
      await expect(engine.closeSource('live')).rejects.toThrow(/cannot be closed/);
    } finally {
      await engine.close();
    }
  });
});

describe('recent captures', () => {
  it('puts a file that opened at the top of the recent list, once, and keeps the list in the settings', async () => {
    const dir = testTempDir('scope-recent');
    const { writeFileSync } = await import('node:fs');
    const { encodeCapture, makeHeader } = await import('../../../shared/capture/format');
    const a = join(dir, 'a.ocppcap.jsonl');
    const b = join(dir, 'b.ocppcap.jsonl');
    for (const f of [a, b]) writeFileSync(f, encodeCapture(makeHeader('test'), []));
    let stored: AppSettings = defaultAppSettings();
    const engine = new ScopeEngine({
      dataDir: dir,
      settings: { load: () => stored, save: (s) => (stored = s) },
    });
    try {
      // As the main process does for a file the user dropped or named: the renderer alone cannot open any path.
      engine.allowOpen(a);
      engine.allowOpen(b);
      await engine.openFile(a);
      await engine.openFile(b);
      await engine.openFile(a);
      expect(stored.recentCaptures).toEqual([a, b]);
      expect((await engine.getSettings()).recentCaptures).toEqual([a, b]);
      await expect(engine.openFile(join(dir, 'missing.jsonl'))).rejects.toThrow();
      expect(stored.recentCaptures).toEqual([a, b]);
    } finally {
      await engine.close();
    }
  });
});

describe('replay through the facade', () => {
  it('plays the CSMS side for a charger on the endpoint: every charger CALL is answered once, from the recording', async () => {
    const file = await recordSession(testTempDir('replay-rec'));
    const engine = new ScopeEngine({ dataDir: testTempDir('scope-engine-replay') });
    try {
      const policiesBefore = engine.hub.answers.listPolicies();
      const status = await engine.startEndpoint(endpointSettings());
      engine.allowOpen(file);
      const source = await engine.openFile(file);
      let go!: () => void;
      const gate = new Promise<void>((r) => (go = r));
      const connected = nextCharger(engine.stream, engine.hub);
      const charger = runCharger(`ws://127.0.0.1:${status.port}/ocpp`, gate);
      const conn = await connected;
      const finished = new Promise<ReplayStatus>((resolve) =>
        engine.onNotices((batch) => {
          for (const n of batch) if (n.type === 'replay' && n.status.state === 'done') resolve(n.status);
        }),
      );
      const started = await engine.startReplay({
        sourceId: source.id,
        side: 'csms',
        target: conn.id,
        speed: 0,
        shiftTimestamps: false,
      });
      expect(started.state).toBe('running');
      go();
      const { transactionId } = await charger;
      const final = await finished;
      expect(transactionId).toBe(7); // the recorded answer, not the auto-answer's own transaction id
      expect(final.report.every((i) => i.outcome === 'matched')).toBe(true);
      const answers = await engine.queryEvents(
        'live',
        { connection: conn.id, sender: 'csms', messageType: 3 },
        0,
        100,
      );
      expect(answers.total).toBe(6); // six charger CALLs, six answers: auto-answer stayed out of it
      await expect(engine.pauseReplay()).resolves.toMatchObject({ state: 'done' });
      expect(engine.hub.answers.listPolicies()).toEqual(policiesBefore);
    } finally {
      await engine.close();
    }
  });
});

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore, loadedSettingsNotice } from '../../../electron/common/settings-store';
import { OLD_DEFAULT_MAX_FRAMES_PER_SEC, SETTINGS_VERSION } from '../../../electron/common/settings-merge';
import { defaultAppSettings } from '../../../shared/api-defaults';
import { testTempDir } from '../../support/temp-dirs';

const dir = (): string => testTempDir('settings');

describe('SettingsStore', () => {
  it('starts with the safe defaults when there is no file', () => {
    const store = new SettingsStore(dir());
    expect(store.load()).toEqual({ settings: defaultAppSettings() });
  });

  it('saves and loads back', () => {
    const d = dir();
    const s = defaultAppSettings();
    s.theme = 'dark';
    s.endpoint.port = 8180;
    new SettingsStore(d).save(s);
    expect(new SettingsStore(d).load().settings).toEqual(s);
  });

  it('refuses to save invalid settings and keeps the file as it was', () => {
    const d = dir();
    const store = new SettingsStore(d);
    store.save(defaultAppSettings());
    const bad = { ...defaultAppSettings(), theme: 'neon' } as unknown as ReturnType<
      typeof defaultAppSettings
    >;
    expect(() => store.save(bad)).toThrow(/settings.theme/);
    expect(JSON.parse(readFileSync(store.path, 'utf8')).theme).toBe('system');
  });

  it('moves a corrupt file aside and falls back to the defaults', () => {
    const d = dir();
    writeFileSync(join(d, 'settings.json'), '{"endpoint": {"port": 9');
    const loaded = new SettingsStore(d).load();
    expect(loaded.settings).toEqual(defaultAppSettings());
    expect(loaded.recovered?.reason).toContain('not valid JSON');
    expect(loaded.recovered?.backup && existsSync(loaded.recovered.backup)).toBe(true);
    expect(readdirSync(d).some((f) => f.startsWith('settings.corrupt-'))).toBe(true);
    expect(existsSync(join(d, 'settings.json'))).toBe(false);
  });

  it('a file with one wrong field keeps every other setting, keeps a copy, and says what was dropped', () => {
    const d = dir();
    const s = defaultAppSettings();
    s.endpoint.passwords = { CP1: 'pw' };
    s.station.url = 'ws://csms.example/CP1';
    writeFileSync(join(d, 'settings.json'), JSON.stringify({ ...s, endpoint: { ...s.endpoint, port: 'x' } }));
    const loaded = new SettingsStore(d).load();
    expect(loaded.recovered).toBeUndefined();
    expect(loaded.settings.endpoint.passwords).toEqual({ CP1: 'pw' });
    expect(loaded.settings.station.url).toBe('ws://csms.example/CP1');
    expect(loaded.settings.endpoint.port).toBe(defaultAppSettings().endpoint.port);
    expect(loaded.adjusted?.dropped.join()).toContain('settings.endpoint.port');
    expect(loaded.adjusted?.backup && readFileSync(loaded.adjusted.backup, 'utf8')).toContain('"port":"x"');
    expect(loadedSettingsNotice(loaded)).toMatch(/1 setting\(s\) did not fit.*every other setting was kept/);
    expect(existsSync(join(d, 'settings.json'))).toBe(true);
  });

  it('writes its version, and a version 1 file (none written) loads unchanged', () => {
    const d = dir();
    const store = new SettingsStore(d);
    store.save(defaultAppSettings());
    expect(JSON.parse(readFileSync(store.path, 'utf8')).version).toBe(SETTINGS_VERSION);
    const { timeZone: _none, ...v1 } = defaultAppSettings();
    writeFileSync(store.path, JSON.stringify({ ...v1, theme: 'light' }));
    const loaded = new SettingsStore(d).load();
    expect(loaded).toEqual({ settings: { ...defaultAppSettings(), theme: 'light' } });
  });

  describe('the old default frames-per-second limit (settings version 3)', () => {
    /** settings.json as version 2 wrote it, with `maxFramesPerSec` as given. */
    function oldFile(d: string, maxFramesPerSec: number) {
      const s = defaultAppSettings();
      s.endpoint.passwords = { CP1: 'pw' };
      s.endpoint.limits = { ...s.endpoint.limits, maxFramesPerSec };
      writeFileSync(join(d, 'settings.json'), JSON.stringify({ version: 2, ...s }));
      return s;
    }

    it('an old file with 200 loads with no limit (0), quietly, and the migrated settings round-trip', () => {
      const d = dir();
      const old = oldFile(d, OLD_DEFAULT_MAX_FRAMES_PER_SEC);
      const store = new SettingsStore(d);
      const loaded = store.load();
      const want = structuredClone(old);
      want.endpoint.limits.maxFramesPerSec = 0;
      // Not an adjustment to report or keep a copy of: the file held the old default, not a choice.
      expect(loaded).toEqual({ settings: want });
      expect(loadedSettingsNotice(loaded)).toBeUndefined();
      expect(readdirSync(d)).toEqual(['settings.json']);

      store.save(loaded.settings);
      const written = JSON.parse(readFileSync(store.path, 'utf8'));
      expect(written.version).toBe(SETTINGS_VERSION);
      expect(written.endpoint.limits.maxFramesPerSec).toBe(0);
      expect(new SettingsStore(d).load()).toEqual({ settings: want });
    });

    it('an old file with 50 keeps 50, and so does the file saved from it', () => {
      const d = dir();
      const old = oldFile(d, 50);
      const store = new SettingsStore(d);
      expect(store.load()).toEqual({ settings: old });
      store.save(store.get());
      expect(new SettingsStore(d).load()).toEqual({ settings: old });
    });

    it('a current file is unchanged by loading, 200 included', () => {
      const d = dir();
      const s = defaultAppSettings();
      s.endpoint.limits = { ...s.endpoint.limits, maxFramesPerSec: 200 };
      const store = new SettingsStore(d);
      store.save(s);
      const text = readFileSync(store.path, 'utf8');
      expect(new SettingsStore(d).load()).toEqual({ settings: s });
      expect(readFileSync(store.path, 'utf8')).toBe(text);
    });
  });
});

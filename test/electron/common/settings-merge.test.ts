import { describe, expect, it } from 'vitest';
import {
  migrateAndMerge,
  OLD_DEFAULT_MAX_FRAMES_PER_SEC,
  SETTINGS_VERSION,
} from '../../../electron/common/settings-merge';
import { defaultAppSettings } from '../../../shared/api-defaults';
import { validateAppSettings } from '../../../shared/api-validate';

/** What a user set up over weeks: the settings a reset would destroy. */
function configured() {
  const s = defaultAppSettings();
  s.endpoint.port = 8180;
  s.endpoint.securityProfile = 1;
  s.endpoint.passwords = { CP1: 'secret-1', CP2: 'secret-2' };
  s.endpoint.acceptAnyPassword = false;
  s.station.url = 'wss://csms.example/ocpp/CP9';
  s.station.basicAuth = { username: 'CP9', password: 'pw' };
  s.autoAnswer = [{ version: '1.6', action: 'Authorize', mode: 'callerror', errorCode: 'InternalError' }];
  s.theme = 'dark';
  return s;
}

describe('migrateAndMerge: settings merged with the defaults field by field', () => {
  it('a version 1 file (no version, no timeZone) keeps every setting and gains the new default', () => {
    const { timeZone: _gone, ...v1 } = configured();
    const merged = migrateAndMerge(v1);
    expect(merged.fromVersion).toBe(1);
    expect(merged.dropped).toEqual([]);
    expect(merged.settings).toEqual({ ...configured(), timeZone: 'local' });
    expect(SETTINGS_VERSION).toBeGreaterThan(1);
  });

  it('a missing field takes its default and nothing else changes', () => {
    const stored = configured() as unknown as Record<string, Record<string, unknown>>;
    delete stored.endpoint!.pingIntervalSec;
    delete stored.endpoint!.limits;
    delete stored.theme;
    const merged = migrateAndMerge({ version: 2, ...stored });
    expect(merged.dropped).toEqual([]);
    const want = configured();
    want.theme = 'system';
    expect(merged.settings).toEqual(want);
  });

  it('an unknown or wrong field is dropped with its path; the passwords, URL and auto-answer survive', () => {
    const stored = configured() as unknown as Record<string, Record<string, unknown>>;
    stored.endpoint!.port = 'eighty';
    stored.endpoint!.colour = 'blue';
    (stored.endpoint!.passwords as Record<string, unknown>).CP3 = 42;
    stored.station!.basicAuth = { username: 'CP9', password: 'pw', realm: 'x' };
    stored.futureFeature = { on: true };
    const merged = migrateAndMerge(stored);
    expect(validateAppSettings(merged.settings)).toEqual({ ok: true });
    expect(merged.settings.endpoint.port).toBe(defaultAppSettings().endpoint.port);
    expect(merged.settings.endpoint.passwords).toEqual({ CP1: 'secret-1', CP2: 'secret-2' });
    expect(merged.settings.endpoint.securityProfile).toBe(1);
    expect(merged.settings.station.url).toBe('wss://csms.example/ocpp/CP9');
    expect(merged.settings.station.basicAuth).toEqual({ username: 'CP9', password: 'pw' });
    expect(merged.settings.autoAnswer).toEqual(configured().autoAnswer);
    const text = merged.dropped.join('\n');
    for (const path of ['endpoint.port', 'colour', 'CP3', 'realm', 'futureFeature'])
      expect(text).toContain(path);
    expect(merged.dropped).toHaveLength(5);
  });

  it('keeps the log layout and keepalive switch; a bad column width goes alone', () => {
    const stored = {
      version: 2,
      ...configured(),
      logColumns: { hidden: ['id'], widths: { type: 180, rtt: -5 } },
      hideKeepalives: 'pings',
    };
    const merged = migrateAndMerge(stored);
    expect(merged.settings.logColumns).toEqual({ hidden: ['id'], widths: { type: 180 } });
    expect(merged.settings.hideKeepalives).toBe('pings');
    expect(merged.dropped).toEqual([expect.stringContaining('logColumns.widths.rtt')]);
    expect(merged.settings.endpoint.passwords).toEqual(configured().endpoint.passwords);
  });

  it('a list keeps the items that fit', () => {
    const stored = configured() as unknown as Record<string, unknown>;
    stored.autoAnswer = [
      { version: '1.6', action: 'Authorize', mode: 'hold' },
      { version: '9.9', action: 'Heartbeat', mode: 'auto' },
      { version: '2.0.1', action: 'Heartbeat', mode: 'auto' },
    ];
    const merged = migrateAndMerge(stored);
    expect(merged.settings.autoAnswer.map((p) => p.version)).toEqual(['1.6', '2.0.1']);
    expect(merged.dropped).toEqual([expect.stringContaining('autoAnswer[1].version')]);
  });

  it('a value that is not an object at all gives the defaults and says so', () => {
    const merged = migrateAndMerge([1, 2]);
    expect(merged.settings).toEqual(defaultAppSettings());
    expect(merged.dropped).toHaveLength(1);
  });

  it('a file from a newer version keeps what this version understands', () => {
    const merged = migrateAndMerge({ version: SETTINGS_VERSION + 5, ...configured(), newThing: 1 });
    expect(merged.fromVersion).toBe(SETTINGS_VERSION + 5);
    expect(merged.settings).toEqual(configured());
  });
});

describe('migrateAndMerge: the old default frames-per-second limit (version 3)', () => {
  /** A file as an older version saved it: every field written out, the limits included. */
  function saved(maxFramesPerSec: number) {
    const s = configured();
    s.endpoint.limits = { ...s.endpoint.limits, maxFramesPerSec };
    return s;
  }

  it('a version 2 file holding the old default of 200 frames/s loads with no limit (0), and nothing else changes', () => {
    const stored = { version: 2, ...saved(OLD_DEFAULT_MAX_FRAMES_PER_SEC) };
    const before = structuredClone(stored);
    const merged = migrateAndMerge(stored);
    expect(merged.fromVersion).toBe(2);
    expect(merged.dropped).toEqual([]);
    expect(merged.settings).toEqual(configured());
    expect(merged.settings.endpoint.limits.maxFramesPerSec).toBe(0);
    // The migration is pure: what was read is left as it was.
    expect(stored).toEqual(before);
  });

  it('a version 1 file (no version) with 200 is migrated the same way', () => {
    const { timeZone: _gone, ...v1 } = saved(200);
    const merged = migrateAndMerge(v1);
    expect(merged.fromVersion).toBe(1);
    expect(merged.settings.endpoint.limits.maxFramesPerSec).toBe(0);
    expect(merged.settings).toEqual(configured());
  });

  it('any other value was chosen and is kept: 50, 0, 201', () => {
    for (const chosen of [50, 0, 201]) {
      const merged = migrateAndMerge({ version: 2, ...saved(chosen) });
      expect(merged.dropped).toEqual([]);
      expect(merged.settings.endpoint.limits).toEqual({
        ...configured().endpoint.limits,
        maxFramesPerSec: chosen,
      });
    }
  });

  it('a current file is used as it is, 200 included (set after the default changed)', () => {
    expect(SETTINGS_VERSION).toBe(3);
    const settings = saved(200);
    const merged = migrateAndMerge({ version: SETTINGS_VERSION, ...settings });
    expect(merged.fromVersion).toBe(SETTINGS_VERSION);
    expect(merged.dropped).toEqual([]);
    expect(merged.settings).toEqual(settings);
    expect(merged.settings.endpoint.limits.maxFramesPerSec).toBe(200);
    const plain = migrateAndMerge({ version: SETTINGS_VERSION, ...configured() });
    expect(plain).toEqual({ settings: configured(), fromVersion: SETTINGS_VERSION, dropped: [] });
  });

  it('an old file whose limits are missing or not what they should be still migrates without a throw', () => {
    const noLimits = configured() as unknown as Record<string, Record<string, unknown>>;
    delete noLimits.endpoint!.limits;
    expect(migrateAndMerge({ version: 2, ...noLimits }).settings).toEqual(configured());
    expect(migrateAndMerge({ version: 2, ...configured(), endpoint: 'x' }).settings.endpoint).toEqual(
      defaultAppSettings().endpoint,
    );
    const badLimits = migrateAndMerge({
      version: 2,
      ...noLimits,
      endpoint: { ...noLimits.endpoint, limits: [200] },
    });
    expect(badLimits.settings.endpoint.limits).toEqual(defaultAppSettings().endpoint.limits);
    expect(badLimits.dropped).toEqual([expect.stringContaining('limits')]);
  });
});

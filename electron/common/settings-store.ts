import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppSettings } from '../../shared/api';
import { defaultAppSettings } from '../../shared/api-defaults';
import { validateAppSettings } from '../../shared/api-validate';
import { backupFile, readJsonFile, writeJsonFile } from './json-file';
import { migrateAndMerge, SETTINGS_VERSION } from './settings-merge';

export const SETTINGS_FILE = 'settings.json';

export interface LoadedSettings {
  settings: AppSettings;
  /** Set when the file was not JSON at all: where the old one went and why it was refused. */
  recovered?: { backup?: string; reason: string };
  /**
   * Set when the file was usable but not as it was: fields that did not fit were dropped (the rest kept), or it was
   * written by a newer version. A copy of the file as it was is kept at `backup`.
   */
  adjusted?: { dropped: string[]; fromVersion: number; backup?: string };
}

/**
 * App settings as JSON in the user-data directory, with a `version`. A file from an older or newer version, or one
 * edited by hand, is migrated and merged with the defaults field by field (settings-merge.ts); only a file that is
 * not JSON is moved aside as a whole. A missing file is simply a first start.
 */
export class SettingsStore {
  readonly path: string;
  private current: AppSettings;

  constructor(userDataDir: string) {
    this.path = join(userDataDir, SETTINGS_FILE);
    this.current = defaultAppSettings();
  }

  load(): LoadedSettings {
    const read = readJsonFile(this.path);
    if (read === 'missing') {
      this.current = defaultAppSettings();
      return { settings: this.current };
    }
    if (read === 'corrupt') {
      const backup = backupFile(this.path);
      this.current = defaultAppSettings();
      return {
        settings: this.current,
        recovered: { ...(backup ? { backup } : {}), reason: 'the file is not valid JSON' },
      };
    }
    const merged = migrateAndMerge(read.value);
    this.current = merged.settings;
    if (merged.dropped.length === 0 && merged.fromVersion <= SETTINGS_VERSION)
      return { settings: this.get() };
    // What was dropped (or written by a newer version) is kept in a copy, so nothing the user wrote is lost.
    const backup = copyAside(this.path, merged.fromVersion);
    return {
      settings: this.get(),
      adjusted: { dropped: merged.dropped, fromVersion: merged.fromVersion, ...(backup ? { backup } : {}) },
    };
  }

  get(): AppSettings {
    return structuredClone(this.current);
  }

  /** Validates, writes, and returns what was stored; an invalid value is refused with the reason. */
  save(settings: AppSettings): AppSettings {
    const check = validateAppSettings(settings);
    if (!check.ok) throw new Error(`The settings were not saved: ${check.error}.`);
    writeJsonFile(this.path, { version: SETTINGS_VERSION, ...settings });
    this.current = structuredClone(settings);
    return this.get();
  }
}

function copyAside(path: string, version: number, now: Date = new Date()): string | undefined {
  const copy = path.replace(/\.json$/, '') + `.v${version}-${now.toISOString().replace(/[:.]/g, '-')}.json`;
  try {
    copyFileSync(path, copy);
    return copy;
  } catch {
    return undefined;
  }
}

/** One sentence about a settings file that was not used as it was (for the console, stderr or a notice). */
export function loadedSettingsNotice(loaded: LoadedSettings): string | undefined {
  const kept = (backup: string | undefined, what: string): string => (backup ? ` ${what} ${backup}.` : '');
  if (loaded.recovered)
    return (
      `the settings file could not be used (${loaded.recovered.reason}); defaults are in use.` +
      kept(loaded.recovered.backup, 'The old file was kept as')
    );
  const a = loaded.adjusted;
  if (!a) return undefined;
  const newer =
    a.fromVersion > SETTINGS_VERSION
      ? `the settings file was written by a newer version (${a.fromVersion}); what this version knows was kept. `
      : '';
  const dropped =
    a.dropped.length > 0
      ? `${a.dropped.length} setting(s) did not fit and took their default (${a.dropped.join('; ')}); every other setting was kept.`
      : '';
  return `${newer}${dropped}${kept(a.backup, 'A copy of the file as it was is in')}`.trim();
}

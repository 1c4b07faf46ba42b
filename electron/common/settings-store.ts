import { join } from 'node:path';
import type { AppSettings } from '../../shared/api';
import { defaultAppSettings } from '../../shared/api-defaults';
import { validateAppSettings } from '../../shared/api-validate';
import { backupFile, readJsonFile, writeJsonFile } from './json-file';

export const SETTINGS_FILE = 'settings.json';

export interface LoadedSettings {
  settings: AppSettings;
  /** Set when the file was unusable: where the old one went and why it was refused. */
  recovered?: { backup?: string; reason: string };
}

/**
 * App settings as JSON in the user-data directory. A file that does not parse or does not validate is moved aside
 * (so nothing the user wrote is lost) and the safe defaults are used; a missing file is simply a first start.
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
    const reason = read === 'corrupt' ? 'the file is not valid JSON' : checkReason(read.value);
    if (reason === undefined && read !== 'corrupt') {
      this.current = read.value as AppSettings;
      return { settings: this.current };
    }
    const backup = backupFile(this.path);
    this.current = defaultAppSettings();
    return {
      settings: this.current,
      recovered: { ...(backup ? { backup } : {}), reason: reason ?? 'unreadable' },
    };
  }

  get(): AppSettings {
    return structuredClone(this.current);
  }

  /** Validates, writes, and returns what was stored; an invalid value is refused with the reason. */
  save(settings: AppSettings): AppSettings {
    const reason = checkReason(settings);
    if (reason !== undefined) throw new Error(`The settings were not saved: ${reason}.`);
    writeJsonFile(this.path, settings);
    this.current = structuredClone(settings);
    return this.get();
  }
}

function checkReason(value: unknown): string | undefined {
  const check = validateAppSettings(value);
  return check.ok ? undefined : check.error;
}

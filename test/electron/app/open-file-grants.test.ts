import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppSettings } from '../../../shared/api';
import { defaultAppSettings } from '../../../shared/api-defaults';
import { encodeCapture, makeHeader } from '../../../shared/capture/format';
import { ScopeEngine } from '../../../electron/engine/scope-engine';
import { testTempDir } from '../../support/temp-dirs';

/** The UI contract may open only files the user (or the main process) handed over; the content never leaks. */

const engines: ScopeEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

function setup(chosen?: string) {
  const dir = testTempDir('grants');
  let stored: AppSettings = defaultAppSettings();
  const engine = new ScopeEngine({
    dataDir: dir,
    settings: { load: () => stored, save: (s) => (stored = s) },
    ...(chosen !== undefined ? { chooseFile: async () => chosen } : {}),
  });
  engines.push(engine);
  return { dir, engine, stored: () => stored };
}

describe('openFile grants', () => {
  it('refuses a path the renderer made up, even an existing capture', async () => {
    const { dir, engine } = setup();
    const file = join(dir, 'a.ocppcap.jsonl');
    writeFileSync(file, encodeCapture(makeHeader('test'), []));
    await expect(engine.openFile(file)).rejects.toThrow(/choose the file first/);
  });

  it('opens what the dialog chose, and then from the recent list', async () => {
    const dir = testTempDir('grants');
    const file = join(dir, 'a.ocppcap.jsonl');
    writeFileSync(file, encodeCapture(makeHeader('test'), []));
    const { engine, stored } = setup(file);
    expect(await engine.chooseFile('open')).toBe(file);
    expect((await engine.openFile(file)).name).toBe('a.ocppcap.jsonl');
    expect(stored().recentCaptures).toEqual([file]);

    // A new session (same settings file) may reopen a recent capture without the dialog.
    const again = new ScopeEngine({ dataDir: dir, settings: { load: stored, save: (s) => s } });
    engines.push(again);
    expect((await again.openFile(file)).name).toBe('a.ocppcap.jsonl');
  });

  it('opens what the main process granted (command line, drop)', async () => {
    const { dir, engine } = setup();
    const file = join(dir, 'b.ocppcap.jsonl');
    writeFileSync(file, encodeCapture(makeHeader('test'), []));
    engine.allowOpen(file);
    expect((await engine.openFile(file)).name).toBe('b.ocppcap.jsonl');
  });

  it('does not let saveSettings add a path to the recent list', async () => {
    const { dir, engine } = setup();
    const secret = join(dir, 'secret.jsonl');
    writeFileSync(secret, 'top-secret-password\n');
    const settings = await engine.getSettings();
    const saved = await engine.saveSettings({ ...settings, recentCaptures: [secret] });
    expect(saved.recentCaptures).toEqual([]);
    await expect(engine.openFile(secret)).rejects.toThrow(/choose the file first/);
  });

  it('reports a line that is not JSON by line and byte, without quoting the file', async () => {
    const { dir, engine } = setup();
    const secret = join(dir, 'notes.jsonl');
    writeFileSync(secret, 'top-secret-password\nanother-secret-line\n');
    engine.allowOpen(secret);
    const info = await engine.openFile(secret);
    const text = JSON.stringify(info);
    expect(text).not.toContain('secret');
    expect(text).toContain('Line 1 (byte 0)');
    const page = await engine.queryEvents(info.id, {}, 0, 10);
    expect(JSON.stringify(page)).not.toContain('secret');
  });
});

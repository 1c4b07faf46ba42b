import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../../electron/app/menu';

const items = (m: MenuItemConstructorOptions): MenuItemConstructorOptions[] =>
  Array.isArray(m.submenu) ? m.submenu : [];

const fileMenuOf = (command: (c: string) => void) =>
  menuTemplate('linux', { open: () => undefined, recent: [], openPath: () => undefined, command }).find(
    (m) => m.label === 'File',
  )!;

describe('File menu', () => {
  it('has Save, Save As and Export (redacted capture, HAR, redacted HAR) with the usual accelerators', () => {
    const commands: string[] = [];
    const file = fileMenuOf((c) => commands.push(c));
    const save = items(file).filter((i) => /^Save/.test(i.label ?? ''));
    expect(save.map((i) => [i.label, i.accelerator])).toEqual([
      ['Save Capture', 'CmdOrCtrl+S'],
      ['Save Capture As…', 'CmdOrCtrl+Shift+S'],
    ]);
    const exports = items(items(file).find((i) => i.label === 'Export')!);
    expect(exports.map((i) => [i.label, i.accelerator])).toEqual([
      ['Redacted Capture…', 'CmdOrCtrl+E'],
      ['HAR…', undefined],
      ['Redacted HAR…', 'CmdOrCtrl+Shift+E'],
    ]);
    for (const i of [...save, ...exports]) (i.click as () => void)();
    expect(commands).toEqual([
      'save',
      'save-as',
      'export-capture-redacted',
      'export-har',
      'export-har-redacted',
    ]);
    // No accelerator is taken twice in the whole menu.
    const all = menuTemplate('linux', {
      open: () => undefined,
      recent: [],
      openPath: () => undefined,
      command: () => undefined,
    }).flatMap((m) => items(m).flatMap((i) => [i, ...items(i)]));
    const keys = all.map((i) => i.accelerator).filter((a) => a !== undefined);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('opens a file, lists the recent captures, and opens the one clicked', () => {
    const opened: string[] = [];
    let dialogs = 0;
    const file = menuTemplate('linux', {
      open: () => dialogs++,
      recent: ['/caps/a.ocppcap.jsonl', '/caps/b.pcap'],
      openPath: (p) => opened.push(p),
      command: () => undefined,
    }).find((m) => m.label === 'File')!;
    const open = items(file).find((i) => i.label === 'Open…')!;
    expect(open.accelerator).toBe('CmdOrCtrl+O');
    (open.click as () => void)();
    expect(dialogs).toBe(1);
    const recent = items(items(file).find((i) => i.label === 'Open Recent')!);
    expect(recent.map((r) => r.label)).toEqual(['/caps/a.ocppcap.jsonl', '/caps/b.pcap']);
    (recent[1]!.click as () => void)();
    expect(opened).toEqual(['/caps/b.pcap']);
    expect(items(file).some((i) => i.role === 'quit')).toBe(true);
  });

  it('says when there is nothing recent, and keeps Quit in the app menu on macOS', () => {
    const file = menuTemplate('darwin', {
      open: () => undefined,
      recent: [],
      openPath: () => undefined,
      command: () => undefined,
    }).find((m) => m.label === 'File')!;
    const recent = items(items(file).find((i) => i.label === 'Open Recent')!);
    expect(recent).toEqual([{ label: 'No recent captures', enabled: false }]);
    expect(items(file).some((i) => i.role === 'quit')).toBe(false);
  });
});

const roles = (t: MenuItemConstructorOptions[]): (string | undefined)[] =>
  t.flatMap((i) => [i.role, ...items(i).map((s) => s.role)]);

describe('DevTools in the menu', () => {
  it('has no DevTools entry in a production (packaged) build', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      expect(roles(menuTemplate(platform))).not.toContain('toggleDevTools');
      expect(roles(menuTemplate(platform, undefined, { devTools: false }))).not.toContain('toggleDevTools');
    }
  });

  it('offers DevTools in development builds', () => {
    expect(roles(menuTemplate('linux', undefined, { devTools: true }))).toContain('toggleDevTools');
  });
});

import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../../electron/app/menu';

const items = (m: MenuItemConstructorOptions): MenuItemConstructorOptions[] =>
  Array.isArray(m.submenu) ? m.submenu : [];

describe('File menu', () => {
  it('opens a file, lists the recent captures, and opens the one clicked', () => {
    const opened: string[] = [];
    let dialogs = 0;
    const file = menuTemplate('linux', {
      open: () => dialogs++,
      recent: ['/caps/a.ocppcap.jsonl', '/caps/b.pcap'],
      openPath: (p) => opened.push(p),
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
    }).find((m) => m.label === 'File')!;
    const recent = items(items(file).find((i) => i.label === 'Open Recent')!);
    expect(recent).toEqual([{ label: 'No recent captures', enabled: false }]);
    expect(items(file).some((i) => i.role === 'quit')).toBe(false);
  });
});

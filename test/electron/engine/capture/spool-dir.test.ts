import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { privateSpoolPath, sweepSpoolDirs } from '../../../../electron/engine/capture/spool-dir';
import { testTempDir } from '../../../support/temp-dirs';

describe('spool directories', () => {
  it('are private, named after the process, and keep the file name inside them', async () => {
    const root = testTempDir('spool-dir');
    const { dir, path } = await privateSpoolPath('../../etc/my capture.pcap', root);
    expect(dir.startsWith(join(root, `ocpp-scope-open-${process.pid}-`))).toBe(true);
    expect(path).toBe(join(dir, 'my_capture.pcap'));
  });

  it('a start sweeps what a dead process left an hour ago, and nothing of a live one or of a fresh one', async () => {
    const root = testTempDir('spool-sweep');
    // A process that has exited: its id names no process now.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const make = (name: string, ageMs: number): string => {
      const d = join(root, name);
      mkdirSync(d);
      writeFileSync(join(d, 'import.ocppcap.jsonl'), '{}\n');
      const t = new Date(Date.now() - ageMs);
      utimesSync(d, t, t);
      return d;
    };
    const hour = 60 * 60 * 1000;
    const crashed = make(`ocpp-scope-open-${dead}-aaaaaa`, 2 * hour);
    const recent = make(`ocpp-scope-open-${dead}-bbbbbb`, 60_000);
    const ours = make(`ocpp-scope-open-${process.pid}-cccccc`, 2 * hour);
    const parent = make(`ocpp-scope-open-${process.ppid}-dddddd`, 2 * hour);
    const older = make('ocpp-scope-open-eeeeee', 2 * hour);
    const other = make(`something-${dead}-ffffff`, 2 * hour);
    expect(await sweepSpoolDirs(root)).toBe(1);
    expect(existsSync(crashed)).toBe(false);
    for (const kept of [recent, ours, parent, older, other]) expect(existsSync(kept)).toBe(true);
  });
});

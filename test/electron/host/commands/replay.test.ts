import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runReplay } from '../../../../electron/host/commands/replay';
import { ocppRpcCsms, recordSession, runCharger } from '../../engine/replay/ocpp-session';
import { testIo } from './cli-test-io';
import { suiteTempDir, testTempDir } from '../../../support/temp-dirs';

let file: string;
const recordings = suiteTempDir('replay-rec');
beforeAll(async () => {
  file = await recordSession(recordings);
}, 30_000);

describe('ocpp-scope replay', () => {
  it('--to: exits 0 and prints the report when everything matched', async () => {
    const csms = await ocppRpcCsms();
    const t = testIo();
    const code = await runReplay([file, '--to', csms.url, '--speed', '0', '--timeout', '5'], t.io);
    await csms.close();
    expect(t.out()).toContain('7 matched, 0 differed, 0 missing, 0 unexpected, 0 timed out');
    expect(code).toBe(0);
  });

  it('--to: exits 1 and names the field when the live CSMS answers differently', async () => {
    const csms = await ocppRpcCsms({ BootNotification: { status: 'Pending' } });
    const t = testIo();
    const code = await runReplay([file, '--to', csms.url, '--speed', '0', '--timeout', '5', '--json'], t.io);
    await csms.close();
    expect(code).toBe(1);
    const status = JSON.parse(t.out()) as {
      report: { action: string; outcome: string; diffs: { path: string }[] }[];
    };
    const boot = status.report.find((i) => i.action === 'BootNotification')!;
    expect(boot.outcome).toBe('differed');
    expect(boot.diffs.map((d) => d.path)).toEqual(['/status']);
  });

  it('--listen: plays the CSMS for a fresh ocpp-rpc charger', async () => {
    let charger: Promise<unknown> | undefined;
    const t = testIo((text) => {
      const m = /ws:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (m && !charger) charger = runCharger(`ws://127.0.0.1:${m[1]}/ocpp`);
    });
    const code = await runReplay([file, '--listen', '0', '--speed', '0', '--timeout', '5'], t.io);
    await charger;
    expect(t.err()).toContain('Charger CP-R connected (ocpp1.6)');
    expect(t.out()).toContain('7 matched, 0 differed');
    expect(code).toBe(0);
  });

  it('--ignore leaves a field uncompared; --report writes the labelled report as JSON', async () => {
    const csms = await ocppRpcCsms({ BootNotification: { status: 'Accepted', interval: 60 } });
    const t = testIo();
    const report = join(testTempDir('replay-report'), 'r.json');
    const code = await runReplay(
      [file, '--to', csms.url, '--speed', '0', '--timeout', '5', '--ignore', 'interval', '--report', report],
      t.io,
    );
    await csms.close();
    expect(code).toBe(0);
    expect(t.out()).toMatch(/^Capture: .+\nConnection: .+\nCSMS: ws:/);
    const saved = JSON.parse(readFileSync(report, 'utf8')) as {
      verdict: string;
      label: { kind: string; target: string; ignore: string[] };
    };
    expect(saved.verdict).toBe('passed');
    expect(saved.label).toMatchObject({ kind: 'replay', target: csms.url });
    expect(saved.label.ignore).toContain('interval');
  });

  it('exits 3 when the CSMS cannot be reached and 2 for a wrong command line', async () => {
    const t = testIo();
    expect(await runReplay([file, '--to', 'ws://127.0.0.1:1/ocpp/X', '--timeout', '2'], t.io)).toBe(3);
    expect(t.err()).toMatch(/ocpp-scope replay: .+/);
    expect(await runReplay([file], testIo().io)).toBe(2);
    expect(await runReplay([file, '--to', 'http://x'], testIo().io)).toBe(2);
  });
});

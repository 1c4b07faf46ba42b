import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDiff } from '../../../../electron/host/commands/diff';
import { recordSession } from '../../engine/replay/ocpp-session';
import { testIo } from './cli-test-io';
import { suiteTempDir } from '../../../support/temp-dirs';

let first: string;
let second: string;
const dir = suiteTempDir('diff');
beforeAll(async () => {
  // Two real recordings of the same charger script: times, message ids and the connection differ, nothing else.
  first = await recordSession(dir);
  second = await recordSession(dir);
}, 30_000);

describe('ocpp-scope diff', () => {
  it('exits 0 for two recordings of the same session: times and message ids are not differences', async () => {
    const t = testIo();
    const code = await runDiff([first, second], t.io);
    expect(t.out()).toMatch(/First capture: .+\nConnection: CP-R/);
    expect(t.out()).toContain('matched, 0 differed, 0 missing, 0 unexpected, 0 timed out');
    expect(code).toBe(0);
  });

  it('names the differing field under /answer, counts what only one side has, and writes the HTML report', async () => {
    const changed = join(dir, 'changed.ocppcap.jsonl');
    const lines = readFileSync(second, 'utf8').split('\n');
    // The CSMS answers the boot with another interval, and the charger never sent its Heartbeat.
    const edited = lines
      .map((l) => l.replace('\\"interval\\":300', '\\"interval\\":60'))
      .filter((l) => !l.includes('Heartbeat'));
    writeFileSync(changed, edited.join('\n'));
    const t = testIo();
    const report = join(dir, 'report.html');
    const code = await runDiff([first, changed, '--json', '--report', report], t.io);
    expect(code).toBe(1);
    const status = JSON.parse(t.out()) as {
      report: {
        action: string;
        outcome: string;
        diffs: { path: string; recorded: unknown; live: unknown }[];
      }[];
      label: { kind: string };
    };
    expect(status.label.kind).toBe('diff');
    const boot = status.report.find((i) => i.action === 'BootNotification (charger)')!;
    expect(boot).toMatchObject({
      outcome: 'differed',
      diffs: [{ path: '/answer/interval', recorded: 300, live: 60 }],
    });
    expect(status.report.find((i) => i.action === 'Heartbeat (charger)')?.outcome).toBe('missing');
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('Capture comparison');
    expect(html).toContain('/answer/interval');
    expect(html).not.toMatch(/<script/i);
  });

  it('--no-default-ignore compares times and ids by value; a bad rule or a missing file is a clear error', async () => {
    const strict = testIo();
    expect(await runDiff([first, second, '--no-default-ignore'], strict.io)).toBe(1);
    expect(strict.out()).toMatch(/timestamp|currentTime/);
    const bad = testIo();
    expect(await runDiff([first, second, '--ignore', '/a~9'], bad.io)).toBe(2);
    expect(bad.err()).toContain('--ignore');
    const missing = testIo();
    expect(await runDiff([first, join(dir, 'nope.jsonl')], missing.io)).toBe(4);
    expect(await runDiff([first], testIo().io)).toBe(2);
  });
});

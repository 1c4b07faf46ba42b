import { writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { runInspect } from '../../../../electron/host/commands/inspect';
import { session } from '../../engine/capture/fixtures';
import { testIo } from './cli-test-io';
import { suiteTempDir } from '../../../support/temp-dirs';

const dir = suiteTempDir('inspect');
const file = join(dir, 'a.ocppcap.jsonl');
writeFileSync(
  file,
  encodeCapture(makeHeader('t'), [...session('c1', 'CP-1', 100), ...session('c2', 'CP-2', 100, 100)]),
);

describe('ocpp-scope inspect', () => {
  it('takes the UI filter language with --filter, and refuses a filter it does not understand', async () => {
    const t = testIo();
    const expr = '(action:BootNotification OR action:MeterValues) from:cs -cp:CP-1';
    expect(await runInspect([file, '--filter', expr, '--json', '--limit', '0'], t.io)).toBe(0);
    const events = t
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { conn: string; sender: string; msg: { action: string } });
    expect(events.length).toBeGreaterThan(5);
    for (const e of events) {
      expect(e.conn).toBe('c2');
      expect(e.sender).toBe('station');
      expect(['BootNotification', 'MeterValues']).toContain(e.msg.action);
    }
    const bad = testIo();
    expect(await runInspect([file, '--filter', 'colour:red'], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/--filter: unknown key "colour".*\(at character 1\)/);
  });

  it('prints a summary: connections, actions with RTT, findings', async () => {
    const t = testIo();
    expect(await runInspect([file], t.io)).toBe(0);
    expect(t.out()).toContain('200 events');
    expect(t.out()).toMatch(/c1\s+CP-1\s+1\.6/);
    expect(t.out()).toMatch(/BootNotification\s+4\s+rtt p50/);
    expect(t.out()).toContain('schema-additional-property');
  });

  it('prints the events matching the same filters as the UI', async () => {
    const t = testIo();
    expect(
      await runInspect([file, '--identity', 'CP-2', '--action', 'BootNotification', '--type', 'CALL'], t.io),
    ).toBe(0);
    expect(t.out()).toContain('station ->  CALL BootNotification');
    expect(
      t
        .out()
        .split('\n')
        .filter((l) => l.includes('CALL BootNotification')),
    ).toHaveLength(1);
    expect(t.err()).toContain('1 of 1 matching');
    const j = testIo();
    expect(await runInspect([file, '--findings', '--json', '--limit', '3'], j.io)).toBe(0);
    const lines = j
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { findings: unknown[] });
    expect(lines).toHaveLength(3);
    expect(lines.every((e) => e.findings.length > 0)).toBe(true);
  });

  it('reports a truncated tail on stderr and still reads the rest', async () => {
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, encodeCapture(makeHeader('t'), session('c1', 'CP-1', 10)));
    appendFileSync(broken, '{"seq":10,"t":1,"conn":"c1","kind":"fra');
    const t = testIo();
    expect(await runInspect([broken], t.io)).toBe(0);
    expect(t.err()).toMatch(/Line 12 \(byte \d+\).*capture-truncated-tail/);
    expect(t.out()).toContain('10 events');
  });

  it('exits 4 for a missing or foreign file and 2 for a wrong command line', async () => {
    expect(await runInspect([join(dir, 'nope.jsonl')], testIo().io)).toBe(4);
    const foreign = join(dir, 'x.jsonl');
    writeFileSync(foreign, 'hello\n');
    const t = testIo();
    expect(await runInspect([foreign], t.io)).toBe(4);
    expect(t.err()).toContain('capture-header-not-json');
    expect(await runInspect([file, '--type', 'BOGUS'], testIo().io)).toBe(2);
    expect(await runInspect([], testIo().io)).toBe(2);
  });

  it('--findings shows the behaviour findings of an imported capture (a transaction stopped twice, in a HAR)', async () => {
    const stop = '{"transactionId":5,"meterStop":20,"timestamp":"2025-03-01T10:00:05Z"}';
    const msg = (type: string, time: number, data: string) => ({ type, time, opcode: 1, data });
    const har = join(dir, 'twice.har');
    writeFileSync(
      har,
      JSON.stringify({
        log: {
          version: '1.2',
          creator: { name: 'WebInspector', version: '1' },
          entries: [
            {
              _resourceType: 'websocket',
              startedDateTime: '2025-03-01T10:00:00.000Z',
              time: 5,
              request: {
                method: 'GET',
                url: 'ws://127.0.0.1:9000/ocpp/CP9',
                httpVersion: 'HTTP/1.1',
                headers: [{ name: 'Sec-WebSocket-Protocol', value: 'ocpp1.6' }],
              },
              response: {
                status: 101,
                statusText: 'Switching Protocols',
                httpVersion: 'HTTP/1.1',
                headers: [{ name: 'Sec-WebSocket-Protocol', value: 'ocpp1.6' }],
              },
              _webSocketMessages: [
                msg('send', 1740823201, `[2,"1","StopTransaction",${stop}]`),
                msg('receive', 1740823201.1, '[3,"1",{}]'),
                msg('send', 1740823202, `[2,"2","StopTransaction",${stop}]`),
              ],
            },
          ],
        },
      }),
    );
    const t = testIo();
    expect(await runInspect([har, '--findings'], t.io)).toBe(0);
    const lines = t
      .out()
      .trim()
      .split('\n')
      .filter((l) => l.includes('CALL StopTransaction'));
    // Only the second stop has a finding, so only it is listed.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[transaction-stopped-twice]');
  });
});

import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { ScopeEvent } from '../../../shared/capture/events';
import { eventToText } from '../../../electron/engine/connections/event-text';
import { runCli, usage } from '../../../electron/host/cli';
import { memoryIo } from './memory-io';
import { testTempDir } from '../../support/temp-dirs';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function run(argv: string[]) {
  const m = memoryIo();
  const code = await runCli(argv, m.io);
  return { code, stdout: m.stdout(), stderr: m.stderr() };
}

describe('CLI argument checks', () => {
  it.each([
    ['listen', ['listen', '--port', '99999']],
    ['proxy', ['proxy', '--to', 'ws://127.0.0.1:1/', '--port', '99999']],
    ['listen', ['listen', '--port', '1.5']],
  ])('%s refuses a port out of range with exit 2 and one sentence', async (_name, argv) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port must be a number from 0 to 65535/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([['ws://'], ['http://127.0.0.1/x'], ['not a url']])(
    'connect refuses %s as a usage error (exit 2)',
    async (url) => {
      const r = await run(['connect', url]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^ocpp-scope connect: .*(URL|host)/);
    },
  );
});

describe('empty files', () => {
  it.each([['inspect'], ['convert']])(
    '%s says an empty file is not a capture and exits 4',
    async (command) => {
      const dir = testTempDir('empty');
      const file = join(dir, 'empty.ocppcap.jsonl');
      writeFileSync(file, '');
      const argv = command === 'convert' ? ['convert', file, join(dir, 'out.har')] : ['inspect', file];
      const r = await run(argv);
      expect(r.stderr).toContain('not a capture (empty file / no header)');
      expect(r.code).toBe(4);
    },
  );
});

describe('help and event text', () => {
  it('documents that Ctrl+C ends listen, serve and proxy with 0', () => {
    expect(usage()).toMatch(/130 .*before the command finished/);
    expect(usage()).toMatch(/listen, serve and proxy[\s\S]*exit 0/);
  });

  it('says "to" for the server a station reached and "from" for a charger that came in', () => {
    const opened = (role: 'station' | 'csms'): ScopeEvent =>
      ({
        seq: 1,
        t: 0,
        mono: 0,
        conn: 'c1',
        kind: 'opened',
        ok: true,
        connection: { id: 'c1', role, url: 'ws://127.0.0.1:9000/CP1', version: '1.6' },
        handshake: { remote: { address: '127.0.0.1', port: 9000 }, chosenProtocol: 'ocpp1.6', findings: [] },
      }) as unknown as ScopeEvent;
    expect(eventToText(opened('station'))).toContain(' to 127.0.0.1:9000');
    expect(eventToText(opened('csms'))).toContain(' from 127.0.0.1:9000');
  });
});

describe('send shows what is wrong with the frame it sent', () => {
  async function csms(): Promise<string> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'ocpp1.6' });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    wss.on('connection', (ws) => {
      ws.on('message', (data) => {
        const [, id] = JSON.parse(data.toString()) as [number, string];
        ws.send(
          JSON.stringify([
            3,
            id,
            { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 },
          ]),
        );
      });
    });
    await new Promise((r) => wss.once('listening', r));
    return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/CP1`;
  }
  const frame = JSON.stringify([2, 'm1', 'BootNotification', { chargePointVendor: 'V' }]);

  it('in text, under the sent line', async () => {
    const r = await run(['send', await csms(), frame, '--protocol', '1.6']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const sent = lines.findIndex((l) => l.startsWith('-> '));
    expect(lines[sent + 1]).toMatch(/^ {3}! error .*chargePointModel/);
  });

  it('in --json, on the sent step', async () => {
    const r = await run(['send', await csms(), frame, '--protocol', '1.6', '--json']);
    expect(r.code).toBe(0);
    const steps = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: string; findings?: { message: string }[] });
    const sent = steps.find((s) => s.step === 'sent');
    expect(sent?.findings?.some((f) => /chargePointModel/.test(f.message))).toBe(true);
  });
});

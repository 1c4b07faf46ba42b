import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { defaultEndpointSettings } from '../../../shared/api-defaults';
import { encodeCapture, makeHeader } from '../../../shared/capture/format';
import { ConnectionHub } from '../../../electron/engine/connections/connection-hub';
import { Endpoint } from '../../../electron/engine/endpoint/endpoint';
import { runConnect } from '../../../electron/host/commands/connect';
import { runConvert } from '../../../electron/host/commands/convert';
import { runInspect } from '../../../electron/host/commands/inspect';
import { runListen } from '../../../electron/host/commands/listen';
import { rpcClient } from '../engine/engine-harness';
import { session } from '../engine/capture/fixtures';
import { exitWithin, stopChild } from '../../support/child-process';
import { lineIo } from '../../support/line-io';
import { testIo } from './commands/cli-test-io';
import { suiteTempDir } from '../../support/temp-dirs';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = suiteTempDir('cli-conventions');
const big = join(dir, 'big.ocppcap.jsonl');
writeFileSync(big, encodeCapture(makeHeader('t'), session('c1', 'CP-BIG', 3000)));

function child(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'test/electron/host/run-cli.ts'), ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Reads the child's stdout until `lines` lines came, then closes the pipe as `head -n lines` does. */
function head(c: ReturnType<typeof child>, lines: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no ${lines} lines within 20 s: ${out}`)), 20_000);
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').length > lines) {
        clearTimeout(timer);
        c.stdout.destroy();
        resolve(out);
      }
    });
  });
}

describe('CLI conventions', () => {
  it('inspect ... | head: exits 0 quietly when the reader goes away (no EPIPE stack)', async () => {
    const c = child(['inspect', big, '--events', '--limit', '0']);
    let err = '';
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.stdin.end();
    await head(c, 2);
    const exit = (await exitWithin(c, 20_000)) ?? (await stopChild(c));
    expect(exit.code).toBe(0);
    expect(err).not.toMatch(/EPIPE|Error|at /);
  }, 40_000);

  it('connect ... | head: stops the connection and exits 0 quietly', async () => {
    const hub = new ConnectionHub();
    const endpoint = new Endpoint(hub);
    const status = await endpoint.start({ ...defaultEndpointSettings(), host: '127.0.0.1', port: 0 });
    try {
      const c = child(['connect', `ws://127.0.0.1:${status.port}/CP-HEAD`, '--protocol', '1.6', '--stay']);
      let err = '';
      c.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const first = head(c, 1);
      c.stdin.write('[2,"1","Heartbeat",{}]\n');
      await first;
      // Each line now is output nobody reads: the first write after the pipe closed must end the command.
      for (let i = 2; i <= 5; i++) c.stdin.write(`[2,"${i}","Heartbeat",{}]\n`);
      const exit = (await exitWithin(c, 20_000)) ?? (await stopChild(c));
      expect(exit.code).toBe(0);
      expect(err).not.toMatch(/EPIPE|Error|at /);
    } finally {
      await endpoint.stop();
    }
  }, 40_000);

  it('- is stdin for inspect and stdin/stdout for convert', async () => {
    const content = readFileSync(big, 'utf8');
    const i = testIo();
    i.io.stdin = Readable.from([content]) as unknown as typeof i.io.stdin;
    expect(
      await runInspect(['-', '--identity', 'CP-BIG', '--action', 'Heartbeat', '--limit', '0'], i.io),
    ).toBe(0);
    expect(i.err()).toMatch(/^\d+ of \d+ matching/m);
    const c = testIo();
    c.io.stdin = Readable.from([content]) as unknown as typeof c.io.stdin;
    expect(await runConvert(['-', '-', '--action', 'BootNotification'], c.io)).toBe(0);
    expect(c.out().split('\n')[0]).toContain('"format"');
    expect(c.err()).toMatch(/written to stdout \(secrets redacted\)/);
    const back = testIo();
    back.io.stdin = Readable.from([c.out()]) as unknown as typeof back.io.stdin;
    expect(await runInspect(['-'], back.io)).toBe(0);
    expect(back.out()).toMatch(/BootNotification\s+\d+/);
    expect(back.out()).not.toMatch(/Heartbeat/);
    const har = testIo();
    har.io.stdin = Readable.from([content]) as unknown as typeof har.io.stdin;
    expect(await runConvert(['-', '-', '--format', 'har'], har.io)).toBe(0);
    expect(JSON.parse(har.out()).log.entries.length).toBeGreaterThan(0);
  });

  it('listen --record FILE writes a capture that inspect reads back (identity, actions, RTTs)', async () => {
    const file = join(dir, 'listen-rec');
    const t = lineIo();
    const done = runListen(['--host', '127.0.0.1', '--port', '0', '--record', file, '--utc'], t.io);
    await t.until((l) => l.some((x) => x.startsWith('Recording to')));
    expect(t.out).toContain('Times are UTC.');
    const url = /ws:\/\/127\.0\.0\.1:\d+\//.exec(t.out[0]!)![0];
    const client = rpcClient({
      endpoint: url,
      identity: 'REC-CP',
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
    });
    await client.connect();
    await client.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    await client.call('Heartbeat', {});
    await client.close({ force: true });
    await t.until((l) => l.some((x) => x.includes(' closed ')));
    t.stop();
    expect(await done).toBe(0);
    const path = `${file}.ocppcap.jsonl`;
    expect(existsSync(path)).toBe(true);
    const i = testIo();
    expect(await runInspect([path], i.io)).toBe(0);
    expect(i.err()).toBe('');
    expect(i.out()).toMatch(/REC-CP\s+1\.6/);
    expect(i.out()).toMatch(/BootNotification\s+2\s+rtt p50/);
    // An existing file is never overwritten.
    const again = lineIo();
    expect(await runListen(['--port', '0', '--record', path], again.io)).toBe(2);
    expect(again.err.join('\n')).toContain('exists already');
  });

  it('connect --record FILE writes a capture of the station side', async () => {
    const hub = new ConnectionHub();
    const endpoint = new Endpoint(hub);
    const status = await endpoint.start({ ...defaultEndpointSettings(), host: '127.0.0.1', port: 0 });
    try {
      const path = join(dir, 'connect-rec.ocppcap.jsonl');
      const t = lineIo('[2,"a","Heartbeat",{}]\n');
      const code = await runConnect(
        [`ws://127.0.0.1:${status.port}/REC-ST`, '--protocol', '1.6', '--record', path],
        t.io,
      );
      expect(code).toBe(0);
      expect(t.err.some((l) => /^Times are local time/.test(l))).toBe(true);
      const i = testIo();
      expect(await runInspect([path], i.io)).toBe(0);
      expect(i.out()).toMatch(/REC-ST/);
      expect(i.out()).toMatch(/Heartbeat\s+2/);
    } finally {
      await endpoint.stop();
    }
  });
});

import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { RPCServer } from 'ocpp-rpc';
import type { RPCClient } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../../electron/host/cli';
import { runInspect } from '../../../../electron/host/commands/inspect';
import { proxySettings, runProxy } from '../../../../electron/host/commands/proxy';
import { rpcClient } from '../../engine/engine-harness';
import { lineIo } from '../../../support/line-io';
import { testIo } from './cli-test-io';
import { testTempDir } from '../../../support/temp-dirs';

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

async function csms(): Promise<{ url: string; clients: RPCClient[] }> {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  const clients: RPCClient[] = [];
  server.on('client', (c: RPCClient) => {
    clients.push(c);
    c.handle('Heartbeat', async () => ({ currentTime: new Date().toISOString() }));
  });
  const http = await server.listen(0, '127.0.0.1');
  cleanups.push(() => server.close({ force: true }));
  return { url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp`, clients };
}

describe('ocpp-scope proxy', () => {
  it('prints the URL first, forwards a charger to the CSMS, prints each frame once, and stops on the signal', async () => {
    const up = await csms();
    const t = lineIo();
    const done = runProxy(['--host', '127.0.0.1', '--port', '0', '--to', up.url], t.io);
    await t.until((l) => l.length > 0);
    expect(t.out[0]).toContain(`forwarded to ${up.url}/<identity>`);
    const url = /ws:\/\/127\.0\.0\.1:\d+\//.exec(t.out[0]!)?.[0];
    const client = rpcClient({
      endpoint: url!,
      identity: 'PX-CLI',
      protocols: ['ocpp1.6'],
      strictMode: true,
    });
    cleanups.push(() => client.close({ force: true }));
    await client.connect();
    const r = (await client.call('Heartbeat', {})) as { currentTime: string };
    expect(typeof r.currentTime).toBe('string');
    expect(up.clients[0]?.identity).toBe('PX-CLI');
    await t.until((l) => l.some((x) => x.includes('csms> [3,')));
    expect(t.out.filter((x) => x.includes('station> [2,'))).toHaveLength(1);
    expect(t.out.filter((x) => x.includes('opened proxy'))).toHaveLength(2);
    t.stop();
    expect(await done).toBe(0);
    expect(t.out.some((x) => / closed 1001/.test(x))).toBe(true);
  });

  it('--json prints the proxying line, then JSON events with role proxy', async () => {
    const up = await csms();
    const t = lineIo();
    const done = runProxy(['--host', '127.0.0.1', '--port', '0', '--to', up.url, '--json'], t.io);
    await t.until((l) => l.length > 0);
    const first = JSON.parse(t.out[0]!) as { proxying: { urls: string[]; upstream: string } };
    expect(first.proxying.upstream).toBe(up.url);
    const client = rpcClient({
      endpoint: first.proxying.urls[0]!,
      identity: 'PX-J',
      protocols: ['ocpp1.6'],
      strictMode: true,
    });
    cleanups.push(() => client.close({ force: true }));
    await client.connect();
    await client.call('Heartbeat', {});
    await t.until((l) => l.some((x) => x.includes('"kind":"frame"') && x.includes('"sender":"csms"')));
    const events = t.out
      .slice(1)
      .map((x) => JSON.parse(x) as { kind: string; connection?: { role: string } });
    expect(events.slice(0, 4).map((e) => e.kind)).toEqual(['opened', 'opened', 'frame', 'frame']);
    expect(events[0]!.connection?.role).toBe('proxy');
    t.stop();
    expect(await done).toBe(0);
  });

  it('--record FILE writes a capture of the proxied session that inspect reads back, and never overwrites a file', async () => {
    const up = await csms();
    const file = join(testTempDir('proxy-rec'), 'site');
    const t = lineIo();
    const done = runProxy(['--host', '127.0.0.1', '--port', '0', '--to', up.url, '--record', file], t.io);
    await t.until((l) => l.some((x) => x.startsWith('Recording to')));
    const url = /ws:\/\/127\.0\.0\.1:\d+\//.exec(t.out.find((x) => x.includes('ws://'))!)![0];
    const client = rpcClient({
      endpoint: url,
      identity: 'PX-REC',
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
    });
    await client.connect();
    await client.call('Heartbeat', {});
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
    expect(i.out()).toMatch(/PX-REC/);
    expect(i.out()).toMatch(/Heartbeat\s+4\s+rtt p50/);
    expect(i.out()).toMatch(/round trips: 2,/);
    const again = lineIo();
    expect(await runProxy(['--port', '0', '--to', up.url, '--record', path], again.io)).toBe(2);
    expect(again.err.join('\n')).toContain('exists already');
  });

  it('is wired into the dispatcher, with help, and refuses a missing or bad --to as a usage error', async () => {
    const chunks: string[] = [];
    const sink = { write: (s: string) => chunks.push(s) > 0 };
    const io = { stdout: sink, stderr: sink } as unknown as Parameters<typeof runCli>[1];
    expect(await runCli(['proxy', '--help'], io)).toBe(0);
    expect(chunks.join('')).toContain('Usage: ocpp-scope proxy --to');
    expect(await runCli(['--help'], io)).toBe(0);
    expect(chunks.join('')).toMatch(/\n {2}proxy +stand in the middle/);
    const t = lineIo();
    expect(await runProxy(['--port', '0'], t.io)).toBe(2);
    expect(t.err[0]).toContain('--to URL is required');
    expect(await runProxy(['--to', 'http://x/'], t.io)).toBe(2);
    expect(() => proxySettings(['--to', 'ws://x/', '--cert', 'a.pem'])).toThrow(/--key/);
  });
});

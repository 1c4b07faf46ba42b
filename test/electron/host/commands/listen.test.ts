import { describe, expect, it } from 'vitest';
import { runListen } from '../../../../electron/host/commands/listen';
import { rpcClient } from '../../engine/engine-harness';
import { lineIo } from '../../../support/line-io';

describe('ocpp-scope listen', () => {
  it('prints the URL first, answers a charger automatically, prints its frames, and stops cleanly on the signal', async () => {
    const t = lineIo();
    const done = runListen(['--host', '127.0.0.1', '--port', '0'], t.io);
    await t.until((l) => l.length > 0);
    const url = /ws:\/\/127\.0\.0\.1:\d+\//.exec(t.out[0]!)?.[0];
    expect(url).toBeDefined();
    const client = rpcClient({
      endpoint: url!,
      identity: 'CLI-CP',
      protocols: ['ocpp1.6'],
      strictMode: true,
      reconnect: false,
    });
    await client.connect();
    const boot = (await client.call('BootNotification', {
      chargePointVendor: 'V',
      chargePointModel: 'M',
    })) as { status: string };
    expect(boot.status).toBe('Accepted');
    await t.until((l) => l.some((x) => x.includes('csms> [3,')));
    expect(t.out.some((x) => x.includes('CLI-CP') && x.includes('opened endpoint'))).toBe(true);
    t.stop();
    expect(await done).toBe(0);
    expect(t.out.some((x) => / closed 1001/.test(x))).toBe(true);
    await client.close({ force: true });
  });

  it('--json prints the listening line and then one JSON event per line', async () => {
    const t = lineIo();
    const done = runListen(['--host', '127.0.0.1', '--port', '0', '--json', '--protocol', '2.0.1'], t.io);
    await t.until((l) => l.length > 0);
    const first = JSON.parse(t.out[0]!) as { listening: { urls: string[] } };
    expect(first.listening.urls[0]).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/$/);
    const client = rpcClient({
      endpoint: first.listening.urls[0]!,
      identity: 'J1',
      protocols: ['ocpp2.0.1'],
      strictMode: true,
      reconnect: false,
    });
    await client.connect();
    await client.call('Heartbeat', {});
    await t.until((l) => l.some((x) => x.includes('"kind":"frame"') && x.includes('"sender":"csms"')));
    const events = t.out.slice(1).map((x) => JSON.parse(x) as { kind: string });
    expect(events.map((e) => e.kind).slice(0, 3)).toEqual(['opened', 'frame', 'frame']);
    await client.close({ force: true });
    t.stop();
    expect(await done).toBe(0);
  });

  it('a wrong option is a usage error with a sentence', async () => {
    const t = lineIo();
    expect(await runListen(['--profile', '7'], t.io)).toBe(2);
    expect(t.err[0]).toContain('--profile');
  });
});

import { describe, expect, it } from 'vitest';
import { runSimulate, simulateArgs } from '../../../../electron/host/commands/simulate';
import { runCli } from '../../../../electron/host/cli';
import { Harness } from '../../engine/engine-harness';
import { Wake } from '../../../support/wake';
import { testIo } from './cli-test-io';
import { cleanupsAfterEach } from '../../../support/cleanups';
import { opensslCrl } from '../../../support/openssl-crl';

const cleanups = cleanupsAfterEach();

describe('ocpp-scope simulate', () => {
  it('runs a fleet ID-1..ID-N that boots and reports its connectors on our endpoint, prints JSON events, exits 0 on Ctrl+C', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen();
    const wake = new Wake();
    h.hub.stream.subscribe(() => wake.notify());
    const t = testIo();
    const run = runSimulate(
      [
        '--to',
        url + 'ocpp',
        '--protocol',
        'ocpp2.0.1',
        '--id',
        'FLEET',
        '--count',
        '3',
        '--connectors',
        '1',
        '--json',
      ],
      t.io,
    );
    const statusFrom = (identity: string): boolean =>
      h.events.some(
        (e) =>
          e.kind === 'frame' &&
          e.sender === 'station' &&
          e.msg?.action === 'StatusNotification' &&
          h.hub.get(e.conn)?.identity === identity &&
          h.hub.get(e.conn)?.role === 'endpoint',
      );
    await wake.until(
      'a status from every station',
      () => ['FLEET-1', 'FLEET-2', 'FLEET-3'].every(statusFrom),
      15_000,
    );
    t.abort();
    expect(await run).toBe(0);
    const lines = t
      .out()
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            kind: string;
            connection?: { identity: string; role: string };
            msg?: { action?: string };
          },
      );
    const opened = lines.filter((l) => l.kind === 'opened').map((l) => l.connection?.identity);
    expect(opened.sort()).toEqual(['FLEET-1', 'FLEET-2', 'FLEET-3']);
    expect(lines.filter((l) => l.msg?.action === 'BootNotification').length).toBeGreaterThanOrEqual(3);
    // Stopping closed every station cleanly.
    expect(lines.filter((l) => l.kind === 'closed').length).toBe(3);
  });

  it('stops by itself after --duration, as text like listen', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen();
    const t = testIo();
    expect(
      await runCli(
        ['simulate', '--to', url + 'x', '--protocol', 'ocpp1.6', '--id', 'ONE', '--duration', '1'],
        t.io,
      ),
    ).toBe(0);
    expect(t.out()).toMatch(/BootNotification/);
    expect(
      h
        .of('opened')
        .filter((e) => e.connection.role === 'endpoint')
        .map((e) => e.connection.identity),
    ).toEqual(['ONE']);
  });

  it('exits 3 with the diagnosis when it cannot connect, 2 on a wrong command line', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ securityProfile: 1, acceptAnyPassword: false, passwords: { X: 'right' } });
    const t = testIo();
    expect(
      await runSimulate(
        ['--to', url.replace(/\/$/, ''), '--protocol', 'ocpp1.6', '--id', 'X', '--password', 'wrong'],
        t.io,
      ),
    ).toBe(3);
    expect(t.err()).toContain('[auth-failed]');
    const u = testIo();
    expect(await runSimulate(['--protocol', 'ocpp1.6', '--id', 'X'], u.io)).toBe(2);
    expect(u.err()).toContain('--to');
    const w = testIo();
    expect(await runSimulate(['--to', url, '--protocol', 'ocpp9', '--id', 'X'], w.io)).toBe(2);
    // A CRL that cannot be read is a wrong command line, told before anything connects.
    const c = testIo();
    expect(
      await runSimulate(['--to', url, '--protocol', 'ocpp2.0.1', '--id', 'X', '--crl', '/no/such.crl'], c.io),
    ).toBe(2);
    expect(c.err()).toContain('ocpp-scope simulate: --crl cannot read /no/such.crl (ENOENT).');
    // A CRL that is read is used even out of date; what is wrong with it is a note on stderr. Its CA (--ca) verifies
    // its signature, so that is not noted; without it the signature is not checked, and that is said.
    const old = await opensslCrl(['01'], { lastUpdate: '20200101000000Z', nextUpdate: '20200201000000Z' });
    cleanups.push(old.cleanup);
    const wrong = [
      '--to',
      url.replace(/\/$/, ''),
      '--protocol',
      'ocpp1.6',
      '--id',
      'X',
      '--password',
      'wrong',
    ];
    const n = testIo();
    expect(await runSimulate([...wrong, '--crl', old.pemPath, '--ca', old.caPath], n.io)).toBe(3);
    expect(n.err()).toContain(
      'ocpp-scope simulate: --crl note: the CRL (issuer "CN=Test CRL CA") is out of date: its nextUpdate 2020-02-01T00:00:00Z has passed',
    );
    expect(n.err()).not.toContain('signature');
    expect(n.err()).toContain('[auth-failed]');
    const m = testIo();
    expect(await runSimulate([...wrong, '--crl', old.derPath], m.io)).toBe(3);
    expect(m.err()).toContain('--crl note: the CRL (issuer "CN=Test CRL CA"): signature not checked');
    const help = testIo();
    expect(await runCli(['simulate', '--help'], help.io)).toBe(0);
    expect(help.out()).toContain('--auto-transactions');
    expect(help.out()).toContain('--crl FILE');
    expect(help.out()).toMatch(/its signature \(against --ca[^)]*\)\s+and dates are checked/);
  });

  it('takes initial configuration (--set, repeatable) and revoked certificate serials (--revoked) for its stations', () => {
    const base = ['--to', 'ws://127.0.0.1:9/ocpp', '--protocol', 'ocpp2.1', '--id', 'S'];
    const a = simulateArgs([
      ...base,
      '--set',
      'MonitoringCtrlr.ItemsPerMessage[SetVariableMonitoring]=5',
      '--set',
      'OCPPCommCtrlr.HeartbeatInterval=30',
      '--revoked',
      '0A:1B',
      '--revoked',
      'ff',
    ]);
    expect(a.fleet.simulator.config).toEqual({
      'MonitoringCtrlr.ItemsPerMessage[SetVariableMonitoring]': '5',
      'OCPPCommCtrlr.HeartbeatInterval': '30',
    });
    expect(a.fleet.simulator.revokedCertificates).toEqual(['0A:1B', 'ff']);
    expect(simulateArgs(base).fleet.simulator).not.toHaveProperty('config');
    expect(() => simulateArgs([...base, '--set', 'NoValue'])).toThrow('--set needs KEY=VALUE');
    expect(() => simulateArgs([...base, '--revoked', 'xyz'])).toThrow('hex serial');
    // A 2.x key that names no variable (a typo, or a 1.6 key) is refused, not dropped; 1.6 takes any key.
    expect(() => simulateArgs([...base, '--set', 'OCPPCommCtrl.HeartbeatInterval=30'])).toThrow(
      '--set OCPPCommCtrl.HeartbeatInterval: no such variable in the OCPP 2.1 device model',
    );
    expect(() => simulateArgs([...base, '--set', 'HeartbeatInterval=30'])).toThrow('no such variable');
    const v16 = ['--to', 'ws://127.0.0.1:9/ocpp', '--protocol', 'ocpp1.6', '--id', 'S'];
    expect(simulateArgs([...v16, '--set', 'MyOwnKey=1']).fleet.simulator.config).toEqual({ MyOwnKey: '1' });
  });
});

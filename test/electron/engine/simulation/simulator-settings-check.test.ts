import { rm, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  checkSimulatorSettings,
  simulatorSettingsProblems,
} from '../../../../electron/engine/simulation/simulator-settings-check';
import { SimulatorControls } from '../../../../electron/engine/simulation/simulator-controls';
import { ConnectionHub } from '../../../../electron/engine/connections/connection-hub';
import { sharedSettings } from '../../../../electron/engine/simulation/charger-types';
import { opensslCrl } from '../../../support/openssl-crl';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

describe('simulatorSettingsProblems', () => {
  it('checks keys against the device model only when every version offered is 2.x; names every unknown key', () => {
    const config = { 'OCPPCommCtrlr.HeartbeatInterval': '30', HeartbeatInterval: '30', 'Nope.X[1]': '1' };
    expect(simulatorSettingsProblems(['2.0.1', '2.1'], { connectors: 2, config })).toEqual({
      config:
        'HeartbeatInterval, Nope.X[1]: no such variable in the OCPP 2.0.1 / 2.1 device model (write Component.Variable or Component.Variable[Instance], e.g. OCPPCommCtrlr.HeartbeatInterval).',
    });
    expect(simulatorSettingsProblems(['1.6', '2.0.1'], { connectors: 2, config })).toEqual({});
    expect(
      simulatorSettingsProblems(['2.1'], { connectors: 2, revokedCertificates: ['0A', 'x1', 'zz'] }),
    ).toEqual({ revokedCertificates: 'needs a hex serial number, got "x1".' });
  });

  it('tells values a variable cannot take (a limit of 0 would turn the limit off), beside unknown keys', () => {
    const config = {
      'DeviceDataCtrlr.ItemsPerMessage[GetVariables]': '0',
      'OCPPCommCtrlr.HeartbeatInterval': 'abc',
      'OCPPCommCtrlr.NetworkProfileConnectionAttempts': '2',
      'Nope.X': '1',
    };
    expect(simulatorSettingsProblems(['2.0.1'], { connectors: 2, config })).toEqual({
      config:
        'Nope.X: no such variable in the OCPP 2.0.1 device model (write Component.Variable or Component.Variable[Instance], e.g. OCPPCommCtrlr.HeartbeatInterval). ' +
        'DeviceDataCtrlr.ItemsPerMessage[GetVariables]=0 (an integer of at least 1), OCPPCommCtrlr.HeartbeatInterval=abc (an integer of at least 0): not a value this variable takes.',
    });
  });

  it('a fleet with a key its device model lacks is not started, with the same sentence', async () => {
    const controls = new SimulatorControls(new ConnectionHub());
    await expect(
      controls.startFleet({
        url: 'ws://127.0.0.1:9/ocpp',
        prefix: 'BAD',
        count: 1,
        protocol: '2.0.1',
        connectors: 1,
        autoTransactions: false,
        config: { 'OCPPCommCtrl.HeartbeatInterval': '5' },
      }),
    ).rejects.toThrow('OCPPCommCtrl.HeartbeatInterval: no such variable in the OCPP 2.0.1 device model');
    expect(controls.fleetStatus().running).toBe(false);
    await controls.close();
  });
});

describe('sharedSettings with a long revocation list', () => {
  it('shares one settings object between stations given the same list, and tells different lists apart', () => {
    const serials = Array.from({ length: 50_000 }, (_, i) => i.toString(16));
    const a = sharedSettings({ connectors: 2, revokedCertificates: serials, seed: 1 });
    const b = sharedSettings({ connectors: 2, revokedCertificates: serials, seed: 2 });
    expect(a).toBe(b);
    expect(a.revokedCertificates).toBe(serials);
    const other = sharedSettings({ connectors: 2, revokedCertificates: ['ff'] });
    expect(other).not.toBe(a);
    expect(other.revokedCertificates).toEqual(['ff']);
  });
});

describe('checkSimulatorSettings with a CRL file', () => {
  it('warns when the CRL is past its nextUpdate (the list is still used: a note, not a problem)', async () => {
    const old = await opensslCrl(['01'], { lastUpdate: '20200101000000Z', nextUpdate: '20200201000000Z' });
    cleanups.push(old.cleanup);
    expect(
      await checkSimulatorSettings({
        versions: ['2.0.1'],
        connectors: 1,
        crlFile: old.derPath,
        caFile: old.caPath,
      }),
    ).toEqual({
      crlNote:
        'the CRL (issuer "CN=Test CRL CA") is out of date: its nextUpdate 2020-02-01T00:00:00Z has passed.',
    });
  });

  it('tells what the file holds now when it changes between two checks', async () => {
    const old = await opensslCrl(['01'], { lastUpdate: '20200101000000Z', nextUpdate: '20200201000000Z' });
    const current = await opensslCrl(['01']);
    cleanups.push(old.cleanup, current.cleanup);
    const path = `${old.dir}/list.pem`;
    const check = (): Promise<unknown> =>
      checkSimulatorSettings({ versions: ['2.0.1'], connectors: 1, crlFile: path });
    await writeFile(path, `${old.pem}${old.caPem}`);
    expect(await check()).toEqual({ crlNote: expect.stringContaining('is out of date') });
    await writeFile(path, `${current.pem}${current.caPem}`);
    expect(await check()).toEqual({});
    await writeFile(path, current.caPem);
    expect(await check()).toEqual({
      crlFile: `${path} is no CRL: a PEM file without an X509 CRL block (it holds CERTIFICATE)`,
    });
    await rm(path);
    expect(await check()).toEqual({ crlFile: `cannot read ${path} (ENOENT)` });
  });
});

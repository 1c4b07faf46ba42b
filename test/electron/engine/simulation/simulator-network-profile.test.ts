import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { Harness } from '../engine-harness';
import { CsmsPeer } from './csms-peer';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

function profile(url: string, extra: JsonObject = {}): JsonObject {
  return {
    ocppVersion: 'OCPP20',
    ocppTransport: 'JSON',
    ocppCsmsUrl: url,
    messageTimeout: 30,
    securityProfile: 0,
    ocppInterface: 'Wired0',
    ...extra,
  };
}

describe('simulated charger network profiles, OCPP 2.0.1', () => {
  it('stores SetNetworkProfile per slot and, with the slot first in NetworkConfigurationPriority, moves to that CSMS on reset', async () => {
    const a = new CsmsPeer('2.0.1', 60);
    const b = new CsmsPeer('2.0.1', 60);
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    const baseA = await a.listen();
    const baseB = await b.listen();
    const h = new Harness();
    cleanups.push(() => h.close());
    const conn = await h.station.connect({
      url: `${baseA}/ocpp/NP-1`,
      protocols: ['2.0.1'],
      callTimeoutSec: 5,
      simulator: { vendor: 'ACME', model: 'Sim-1', connectors: 1, rebootDelaySec: 0 },
    });
    cleanups.push(() => conn.close());
    await a.until('StatusNotification', 1);
    const set = (configurationSlot: number, data: JsonObject): Promise<JsonObject> =>
      a.call('SetNetworkProfile', { configurationSlot, connectionData: data });
    expect((await set(0, profile(`${baseB}/ocpp`)))['status']).toBe('Rejected');
    expect((await set(1, profile(`${baseB}/ocpp`, { ocppTransport: 'SOAP' })))['status']).toBe('Rejected');
    expect((await set(1, profile('http://not-a-websocket/')))['status']).toBe('Rejected');
    expect((await set(1, profile(`${baseB}/ocpp`)))['status']).toBe('Accepted');
    // Stored, not used yet: the station stays with A until it reboots with slot 1 first.
    const priority = await a.call('SetVariables', {
      setVariableData: [
        {
          attributeValue: '1,0',
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'NetworkConfigurationPriority' },
        },
      ],
    });
    expect((priority['setVariableResult'] as JsonObject[])[0]!['attributeStatus']).toBe('RebootRequired');
    expect(b.received).toEqual([]);
    expect((await a.call('Reset', { type: 'Immediate' }))['status']).toBe('Accepted');
    const [boot] = await b.until('BootNotification', 1);
    expect(boot!.params['reason']).toBe('RemoteReset');
    expect(a.of('BootNotification')).toHaveLength(1);
    expect(h.of('note', conn.id).some((n) => n.text.includes(`${baseB}/ocpp/NP-1`))).toBe(true);
    expect(a.failures).toEqual([]);
    expect(b.failures).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { simulatedOf } from '../../../../electron/engine/simulation/simulated-station';
import type { CsmsPeer } from './csms-peer';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

const power1 = { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' } };
const heartbeat = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };

function eventsOf(csms: CsmsPeer, monitorId: unknown): JsonObject[] {
  return csms
    .of('NotifyEvent')
    .flatMap((r) => r.params['eventData'] as JsonObject[])
    .filter((e) => e['variableMonitoringId'] === monitorId);
}

async function target(csms: CsmsPeer): Promise<unknown> {
  const got = await csms.call('GetVariables', { getVariableData: [{ ...power1, attributeType: 'Target' }] });
  return (got['getVariableResult'] as JsonObject[])[0]!['attributeValue'];
}

describe('simulated station TargetDelta monitors, OCPP 2.1', () => {
  it('raises a Delta event when the power leaves the band round its Target and a cleared one when it returns', async () => {
    const { csms, conn } = await simulatedAgainstCsms(cleanups, {
      version: '2.1',
      identity: 'TD-2.1',
      heartbeatSec: 60,
      // The station offers more than any simulated EV takes (7.4..22 kW): charging starts off target.
      simulator: { maxPowerW: 50_000 },
      statuses: 2,
    });
    expect(await target(csms)).toBe('0');
    const set = await csms.call('SetVariableMonitoring', {
      setMonitoringData: [
        { value: 500, type: 'TargetDelta', severity: 5, ...power1 },
        { value: 0.1, type: 'TargetDeltaRelative', severity: 6, ...power1 },
        { value: 5, type: 'TargetDelta', severity: 5, ...heartbeat },
        { value: -1, type: 'TargetDelta', severity: 4, ...power1 },
      ],
    });
    const results = set['setMonitoringResult'] as JsonObject[];
    expect(results.map((r) => r['status'])).toEqual([
      'Accepted',
      'Accepted',
      'UnsupportedMonitorType',
      'Rejected',
    ]);
    const [absolute, relative] = results.map((r) => r['id']);

    await simulatedOf(conn)!.act({ kind: 'start', connector: 1 });
    await csms.wake.until('off target', () =>
      eventsOf(csms, absolute).length > 0 && eventsOf(csms, relative).length > 0 ? true : undefined,
    );
    expect(await target(csms)).toBe('50000');
    for (const id of [absolute, relative]) {
      const [off] = eventsOf(csms, id);
      expect(off).toMatchObject({ trigger: 'Delta', eventNotificationType: 'CustomMonitor' });
      expect(off).not.toHaveProperty('cleared');
      expect(Number(off!['actualValue'])).toBeLessThan(50_000 - 500);
      expect(off!['transactionId']).toBeDefined();
    }

    // A profile below what the EV takes: the EVSE delivers its Target, both monitors clear.
    const profile = await csms.call('SetChargingProfile', {
      evseId: 1,
      chargingProfile: {
        id: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: [
          { id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 3000 }] },
        ],
      },
    });
    expect(profile['status']).toBe('Accepted');
    await csms.wake.until('back on target', () =>
      eventsOf(csms, absolute).length > 1 && eventsOf(csms, relative).length > 1 ? true : undefined,
    );
    expect(await target(csms)).toBe('3000');
    for (const id of [absolute, relative]) {
      const back = eventsOf(csms, id)[1]!;
      expect(back).toMatchObject({ trigger: 'Delta', cleared: true });
      expect(Math.abs(Number(back['actualValue']) - 3000)).toBeLessThanOrEqual(300);
    }
    expect(csms.failures).toEqual([]);
  });
});

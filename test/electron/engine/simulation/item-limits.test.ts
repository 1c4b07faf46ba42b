import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { DeviceModel } from '../../../../electron/engine/simulation/device-model';
import { overItemLimit } from '../../../../electron/engine/simulation/item-limits';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

const heartbeat = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };

/** The error code a CALLERROR answer carried (ocpp-rpc rejects the call with it). */
async function errorCodeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { rpcErrorCode?: string }).rpcErrorCode;
  }
}

describe.each(['2.0.1', '2.1'] as const)('simulated station item limits, OCPP %s', (v) => {
  it('answers a request over its ItemsPerMessage with OccurrenceConstraintViolation and changes nothing', async () => {
    const { csms } = await simulatedAgainstCsms(cleanups, {
      version: v,
      identity: `LIM-${v}`,
      heartbeatSec: 60,
      simulator: {
        config: {
          'MonitoringCtrlr.ItemsPerMessage[SetVariableMonitoring]': '2',
          'MonitoringCtrlr.ItemsPerMessage[ClearVariableMonitoring]': '1',
        },
      },
      statuses: 2,
    });
    const monitor = (severity: number): JsonObject => ({ value: 10, type: 'Delta', severity, ...heartbeat });
    // The limits are what the device model says.
    const limits = await csms.call('GetVariables', {
      getVariableData: ['SetVariableMonitoring', 'ClearVariableMonitoring'].map((instance) => ({
        component: { name: 'MonitoringCtrlr' },
        variable: { name: 'ItemsPerMessage', instance },
      })),
    });
    expect((limits['getVariableResult'] as JsonObject[]).map((r) => r['attributeValue'])).toEqual(['2', '1']);

    expect(
      await errorCodeOf(
        csms.call('SetVariableMonitoring', { setMonitoringData: [monitor(1), monitor(2), monitor(3)] }),
      ),
    ).toBe('OccurrenceConstraintViolation');
    // None of the three was set: the same monitors are accepted now, with the first custom ids.
    const set = await csms.call('SetVariableMonitoring', { setMonitoringData: [monitor(1), monitor(2)] });
    const results = set['setMonitoringResult'] as JsonObject[];
    expect(results.map((r) => [r['status'], r['id']])).toEqual([
      ['Accepted', 100],
      ['Accepted', 101],
    ]);

    expect(await errorCodeOf(csms.call('ClearVariableMonitoring', { id: [100, 101] }))).toBe(
      'OccurrenceConstraintViolation',
    );
    const cleared = await csms.call('ClearVariableMonitoring', { id: [100] });
    expect(cleared['clearMonitoringResult']).toEqual([{ id: 100, status: 'Accepted' }]);
    // 101 survived the refused request.
    expect((await csms.call('ClearVariableMonitoring', { id: [101] }))['clearMonitoringResult']).toEqual([
      { id: 101, status: 'Accepted' },
    ]);

    // GetVariables: DeviceDataCtrlr.ItemsPerMessage[GetVariables] is 50 by default.
    const many = Array.from({ length: 51 }, () => heartbeat);
    expect(await errorCodeOf(csms.call('GetVariables', { getVariableData: many }))).toBe(
      'OccurrenceConstraintViolation',
    );
    const fifty = await csms.call('GetVariables', { getVariableData: many.slice(1) });
    expect(fifty['getVariableResult']).toHaveLength(50);
    expect(csms.failures).toEqual([]);
  });
});

describe('overItemLimit', () => {
  it("counts the request's own list against its limit; 0 or a non-number is no limit; other actions have none", () => {
    const device = new DeviceModel(1);
    const ids = (n: number): { id: number[] } => ({ id: Array.from({ length: n }, (_, i) => i) });
    expect(overItemLimit(device, 'ClearVariableMonitoring', ids(50))).toBeUndefined();
    expect(overItemLimit(device, 'ClearVariableMonitoring', ids(51))).toEqual({
      error: 'OccurrenceConstraintViolation',
      description: '51 items; MonitoringCtrlr.ItemsPerMessage[ClearVariableMonitoring] is 50',
    });
    device.setInternal('MonitoringCtrlr', 'ItemsPerMessage', '0', 'ClearVariableMonitoring');
    expect(overItemLimit(device, 'ClearVariableMonitoring', ids(500))).toBeUndefined();
    device.setInternal('MonitoringCtrlr', 'ItemsPerMessage', 'many', 'ClearVariableMonitoring');
    expect(overItemLimit(device, 'ClearVariableMonitoring', ids(500))).toBeUndefined();
    expect(overItemLimit(device, 'ClearVariableMonitoring', { id: 'x' })).toBeUndefined();
    expect(overItemLimit(device, 'GetReport', ids(500))).toBeUndefined();
  });
});

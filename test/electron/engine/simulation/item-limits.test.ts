import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { DeviceModel } from '../../../../electron/engine/simulation/device-model';
import { overItemLimit } from '../../../../electron/engine/simulation/item-limits';
import {
  DEFAULT_REPORT_ITEMS,
  reportLimits,
  reportParts,
} from '../../../../electron/engine/simulation/report-parts';
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

  it('answers a request whose frame is over its BytesPerMessage with FormatViolation and changes nothing', async () => {
    const { csms } = await simulatedAgainstCsms(cleanups, {
      version: v,
      identity: `BYTES-${v}`,
      heartbeatSec: 60,
      simulator: {
        config: {
          'DeviceDataCtrlr.BytesPerMessage[GetVariables]': '400',
          'DeviceDataCtrlr.BytesPerMessage[SetVariables]': '300',
          'MonitoringCtrlr.BytesPerMessage[SetVariableMonitoring]': '300',
        },
      },
      statuses: 2,
    });
    // A frame of one item is well within 400 bytes; five items pass 400 (each ~75 bytes, the envelope ~60).
    const one = await csms.call('GetVariables', { getVariableData: [heartbeat] });
    expect(one['getVariableResult']).toHaveLength(1);
    const five = Array.from({ length: 5 }, () => heartbeat);
    expect(await errorCodeOf(csms.call('GetVariables', { getVariableData: five }))).toBe('FormatViolation');

    // A SetVariables over 300 bytes sets nothing: the interval is still the boot's 60 afterwards.
    const long = (value: string): JsonObject => ({ attributeValue: value, ...heartbeat });
    expect(
      await errorCodeOf(
        csms.call('SetVariables', { setVariableData: [long('30'), long(`3${'0'.repeat(250)}`)] }),
      ),
    ).toBe('FormatViolation');
    const after = await csms.call('GetVariables', { getVariableData: [heartbeat] });
    expect((after['getVariableResult'] as JsonObject[])[0]!['attributeValue']).toBe('60');
    const set = await csms.call('SetVariables', { setVariableData: [long('30')] });
    expect((set['setVariableResult'] as JsonObject[])[0]!['attributeStatus']).toBe('Accepted');

    const monitor = { value: 10, type: 'Delta', severity: 1, ...heartbeat };
    expect(
      await errorCodeOf(
        csms.call('SetVariableMonitoring', { setMonitoringData: [monitor, monitor, monitor] }),
      ),
    ).toBe('FormatViolation');
    const accepted = await csms.call('SetVariableMonitoring', { setMonitoringData: [monitor] });
    expect((accepted['setMonitoringResult'] as JsonObject[])[0]).toMatchObject({
      status: 'Accepted',
      id: 100,
    });
    expect(csms.failures).toEqual([]);
  });

  it('refuses a SendLocalList over LocalAuthListCtrlr.ItemsPerMessage or BytesPerMessage and keeps its list', async () => {
    const { csms } = await simulatedAgainstCsms(cleanups, {
      version: v,
      identity: `LIST-${v}`,
      heartbeatSec: 60,
      simulator: {
        config: { 'LocalAuthListCtrlr.ItemsPerMessage': '2', 'LocalAuthListCtrlr.BytesPerMessage': '600' },
      },
      statuses: 2,
    });
    const entry = (idToken: string, message = ''): JsonObject => ({
      idToken: { idToken, type: 'ISO14443' },
      idTokenInfo: {
        status: 'Accepted',
        ...(message ? { personalMessage: { format: 'UTF8', content: message } } : {}),
      },
    });
    const read = async (variable: string): Promise<unknown> =>
      (
        (
          await csms.call('GetVariables', {
            getVariableData: [{ component: { name: 'LocalAuthListCtrlr' }, variable: { name: variable } }],
          })
        )['getVariableResult'] as JsonObject[]
      )[0]!['attributeValue'];
    expect([await read('ItemsPerMessage'), await read('BytesPerMessage')]).toEqual(['2', '600']);

    const full = { versionNumber: 1, updateType: 'Full', localAuthorizationList: [entry('A1'), entry('A2')] };
    expect((await csms.call('SendLocalList', full))['status']).toBe('Accepted');

    const three = {
      versionNumber: 2,
      updateType: 'Full',
      localAuthorizationList: ['B1', 'B2', 'B3'].map((t) => entry(t)),
    };
    expect(await errorCodeOf(csms.call('SendLocalList', three))).toBe('OccurrenceConstraintViolation');
    // Two entries, but a frame well over 600 bytes (each personal message is 300 characters).
    const long = {
      versionNumber: 3,
      updateType: 'Differential',
      localAuthorizationList: [entry('C1', 'x'.repeat(300)), entry('C2', 'y'.repeat(300))],
    };
    expect(await errorCodeOf(csms.call('SendLocalList', long))).toBe('FormatViolation');

    // Neither refused request changed anything: the version is still 1 and the list still holds A1 and A2.
    expect((await csms.call('GetLocalListVersion', {}))['versionNumber']).toBe(1);
    expect(await read('Entries')).toBe('2');
    // A differential update within both limits is applied as usual.
    const within = { versionNumber: 2, updateType: 'Differential', localAuthorizationList: [entry('D1')] };
    expect((await csms.call('SendLocalList', within))['status']).toBe('Accepted');
    expect((await csms.call('GetLocalListVersion', {}))['versionNumber']).toBe(2);
    expect(await read('Entries')).toBe('3');
    expect(csms.failures).toEqual([]);
  });

  it('sends its reports in parts whose frames stay within DeviceDataCtrlr.BytesPerMessage[GetReport]', async () => {
    const { csms } = await simulatedAgainstCsms(cleanups, {
      version: v,
      identity: `REPORT-${v}`,
      heartbeatSec: 60,
      simulator: { config: { 'DeviceDataCtrlr.BytesPerMessage[GetReport]': '1500' } },
      statuses: 2,
    });
    const limits = await csms.call('GetVariables', {
      getVariableData: ['GetReport', 'GetVariables'].map((instance) => ({
        component: { name: 'DeviceDataCtrlr' },
        variable: { name: 'BytesPerMessage', instance },
      })),
    });
    expect((limits['getVariableResult'] as JsonObject[]).map((r) => r['attributeValue'])).toEqual([
      '1500',
      '65000',
    ]);
    expect((await csms.call('GetBaseReport', { requestId: 3, reportBase: 'FullInventory' }))['status']).toBe(
      'Accepted',
    );
    const parts = await csms.wake.until('the last NotifyReport', () => {
      const list = csms.of('NotifyReport');
      return list.some((r) => r.params['tbc'] === false) ? list : undefined;
    });
    // The frame each part came in (a message id is 36 characters, as ours are).
    const frameBytes = parts.map((p) =>
      Buffer.byteLength(JSON.stringify([2, 'x'.repeat(36), 'NotifyReport', p.params])),
    );
    expect(Math.max(...frameBytes)).toBeLessThanOrEqual(1500);
    const items = parts.flatMap((p) => p.params['reportData'] as JsonObject[]);
    // Far fewer than 50 items fit in 1,500 bytes: the byte limit, not the item limit, cut the report.
    expect(parts.length).toBeGreaterThan(Math.ceil(items.length / 50));
    expect(parts.map((p) => p.params['seqNo'])).toEqual(parts.map((_, i) => i));
    expect(parts.filter((p) => p.params['tbc'] === false)).toHaveLength(1);
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
    expect(overItemLimit(device, 'GetBaseReport', ids(500))).toBeUndefined();
    const cv = (n: number) => ({
      requestId: 1,
      componentVariable: Array.from({ length: n }, () => ({ component: { name: 'OCPPCommCtrlr' } })),
    });
    expect(overItemLimit(device, 'GetReport', cv(50))).toBeUndefined();
    expect(overItemLimit(device, 'GetReport', { requestId: 1 })).toBeUndefined();
    expect(overItemLimit(device, 'GetReport', cv(51))).toEqual({
      error: 'OccurrenceConstraintViolation',
      description: '51 items; DeviceDataCtrlr.ItemsPerMessage[GetReport] is 50',
    });
  });

  it("reads SendLocalList's limits from LocalAuthListCtrlr without an instance", () => {
    const device = new DeviceModel(1);
    const list = (n: number): { localAuthorizationList: JsonObject[] } => ({
      localAuthorizationList: Array.from({ length: n }, (_, i) => ({
        idToken: { idToken: `T${i}`, type: 'Local' },
      })),
    });
    expect(overItemLimit(device, 'SendLocalList', list(100), 65_000)).toBeUndefined();
    expect(overItemLimit(device, 'SendLocalList', list(101))).toEqual({
      error: 'OccurrenceConstraintViolation',
      description: '101 items; LocalAuthListCtrlr.ItemsPerMessage is 100',
    });
    expect(overItemLimit(device, 'SendLocalList', list(1), 65_001)).toEqual({
      error: 'FormatViolation',
      description: '65001 bytes; LocalAuthListCtrlr.BytesPerMessage is 65000',
    });
    // A Full update without a list (clear the list) has no items to count.
    expect(overItemLimit(device, 'SendLocalList', { versionNumber: 2, updateType: 'Full' })).toBeUndefined();
  });

  it('takes a limit that is 0, negative, not a number or absent from the model as no limit, items and bytes alike', () => {
    const ids = { id: Array.from({ length: 500 }, (_, i) => i) };
    for (const value of ['0', '-3', '2.5', 'many', '', ' ']) {
      const device = new DeviceModel(1);
      device.setInternal('MonitoringCtrlr', 'ItemsPerMessage', value, 'ClearVariableMonitoring');
      device.setInternal('MonitoringCtrlr', 'BytesPerMessage', value, 'ClearVariableMonitoring');
      expect(overItemLimit(device, 'ClearVariableMonitoring', ids, 1_000_000)).toBeUndefined();
    }
    // A model without the variables (asked by name, none found): no limit either.
    const asked: string[] = [];
    const without = {
      int: (component: string, variable: string, fallback: number, instance?: string): number => {
        asked.push(`${component}.${variable}[${instance}]`);
        return fallback;
      },
    };
    expect(overItemLimit(without, 'SetVariables', { setVariableData: [{}, {}] }, 1_000_000)).toBeUndefined();
    expect(asked).toEqual([
      'DeviceDataCtrlr.ItemsPerMessage[SetVariables]',
      'DeviceDataCtrlr.BytesPerMessage[SetVariables]',
    ]);
    // The smallest limit the settings allow (1) is one: two items, or two bytes, are over it.
    const one = new DeviceModel(1);
    expect(one.configure({ 'MonitoringCtrlr.BytesPerMessage[ClearVariableMonitoring]': '1' })).toEqual({
      unknown: [],
      invalid: [],
    });
    expect(overItemLimit(one, 'ClearVariableMonitoring', { id: [1] }, 2)).toMatchObject({
      error: 'FormatViolation',
      description: '2 bytes; MonitoringCtrlr.BytesPerMessage[ClearVariableMonitoring] is 1',
    });
    expect(overItemLimit(one, 'ClearVariableMonitoring', { id: [1] }, 1)).toBeUndefined();
  });

  it('checks the frame length against BytesPerMessage only when it is known, after the item limit', () => {
    const device = new DeviceModel(1);
    const ids = { id: [1, 2] };
    expect(overItemLimit(device, 'ClearVariableMonitoring', ids, 65_001)).toEqual({
      error: 'FormatViolation',
      description: '65001 bytes; MonitoringCtrlr.BytesPerMessage[ClearVariableMonitoring] is 65000',
    });
    expect(overItemLimit(device, 'ClearVariableMonitoring', ids, 65_000)).toBeUndefined();
    expect(overItemLimit(device, 'ClearVariableMonitoring', ids)).toBeUndefined();
    device.setInternal('MonitoringCtrlr', 'ItemsPerMessage', '1', 'ClearVariableMonitoring');
    expect(overItemLimit(device, 'ClearVariableMonitoring', ids, 70_000)).toMatchObject({
      error: 'OccurrenceConstraintViolation',
    });
    device.setInternal('MonitoringCtrlr', 'BytesPerMessage', '0', 'ClearVariableMonitoring');
    expect(overItemLimit(device, 'ClearVariableMonitoring', { id: [1] }, 1_000_000)).toBeUndefined();
  });
});

describe('reportLimits', () => {
  it('reads ItemsPerMessage[GetReport] by the one rule: not a whole number above 0 is as if none were published', () => {
    const device = new DeviceModel(1);
    expect(reportLimits(device)).toEqual({ items: 50, bytes: 65_000 });
    device.setInternal('DeviceDataCtrlr', 'ItemsPerMessage', '7', 'GetReport');
    expect(reportLimits(device).items).toBe(7);
    const getReport = {
      requestId: 1,
      componentVariable: Array.from({ length: 60 }, () => ({ component: { name: 'OCPPCommCtrlr' } })),
    };
    for (const value of ['0', '', ' ', '-3', '2.5', 'abc']) {
      device.setInternal('DeviceDataCtrlr', 'ItemsPerMessage', value, 'GetReport');
      device.setInternal('DeviceDataCtrlr', 'BytesPerMessage', value, 'GetReport');
      // The station's reports are cut at their default size (not one item per part), no byte limit...
      expect(reportLimits(device)).toEqual({ items: DEFAULT_REPORT_ITEMS, bytes: 0 });
      // ...and a GetReport request is not refused for its size: the same reading in both places.
      expect(overItemLimit(device, 'GetReport', getReport, 1_000_000)).toBeUndefined();
    }
    // A model without the variables: the same.
    expect(reportLimits({ int: (_c: string, _v: string, fallback: number) => fallback })).toEqual({
      items: DEFAULT_REPORT_ITEMS,
      bytes: 0,
    });
  });
});

describe('reportParts', () => {
  const frame = (action: string, payload: JsonObject): number =>
    Buffer.byteLength(JSON.stringify([2, crypto.randomUUID(), action, payload]));
  const build = (part: JsonObject[], seqNo: number, tbc: boolean): JsonObject => ({
    requestId: 1,
    seqNo,
    tbc,
    reportData: part,
  });

  it('cuts by bytes and by items, keeps every item in order, and sends an item too big for any part alone', () => {
    const items: JsonObject[] = Array.from({ length: 40 }, (_, i) => ({
      n: i,
      text: 'é'.repeat((i * 7) % 50),
    }));
    items.splice(20, 0, { n: 'big', text: 'x'.repeat(900) });
    const calls = reportParts('NotifyReport', items, { items: 6, bytes: 600 }, build);
    const payloads = calls.map((c) => c.build());
    const sizes = payloads.map((p) => frame('NotifyReport', p));
    const big = payloads.findIndex((p) => (p['reportData'] as JsonObject[]).some((i) => i['n'] === 'big'));
    expect(payloads[big]!['reportData']).toHaveLength(1);
    expect(sizes.filter((_, i) => i !== big).every((s) => s <= 600)).toBe(true);
    expect(payloads.every((p) => (p['reportData'] as JsonObject[]).length <= 6)).toBe(true);
    expect(payloads.flatMap((p) => p['reportData'] as JsonObject[])).toEqual(items);
    expect(payloads.map((p) => [p['seqNo'], p['tbc']])).toEqual(
      payloads.map((_, i) => [i, i < payloads.length - 1]),
    );
    // Without a byte limit only the item limit cuts; no items still make one part.
    expect(reportParts('NotifyReport', items, { items: 6, bytes: 0 }, build)).toHaveLength(Math.ceil(41 / 6));
    expect(reportParts('NotifyReport', [], { items: 6, bytes: 600 }, build)).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { DeviceModel } from '../../../../electron/engine/simulation/device-model';

const item = (component: string, variable: string, instance?: string): JsonObject => ({
  component: { name: component },
  variable: instance ? { name: variable, instance } : { name: variable },
});

describe('DeviceModel: setInternal, configure and SetVariables store values alike', () => {
  it('setInternal sets any variable by name (read-only too), with or without an instance; an unknown one is false', () => {
    const m = new DeviceModel(1);
    expect(m.setInternal('ChargingStation', 'SerialNumber', 'SN-1')).toBe(true);
    expect(m.get('ChargingStation', 'SerialNumber')).toBe('SN-1');
    expect(m.setInternal('OCPPCommCtrlr', 'MessageTimeout', '45', 'Default')).toBe(true);
    expect(m.get('OCPPCommCtrlr', 'MessageTimeout', 'Default')).toBe('45');
    expect(m.setInternal('OCPPCommCtrlr', 'MessageTimeout', '45')).toBe(false);
    expect(m.setInternal('Nope', 'X', '1')).toBe(false);
    // Another station's model is untouched (definitions are shared, values are not).
    expect(new DeviceModel(1).get('ChargingStation', 'SerialNumber')).toBe('');
  });

  it('configure applies valid keys (instance too), and names unknown keys and refused values without applying them', () => {
    const m = new DeviceModel(1);
    expect(
      m.configure({
        'OCPPCommCtrlr.HeartbeatInterval': '30',
        'MonitoringCtrlr.ItemsPerMessage[SetVariableMonitoring]': '5',
        'DeviceDataCtrlr.ItemsPerMessage[GetVariables]': '0',
        'OCPPCommCtrlr.MessageTimeout': '10',
        'Nope.X': '1',
        NoDot: '1',
      }),
    ).toEqual({
      unknown: ['OCPPCommCtrlr.MessageTimeout', 'Nope.X', 'NoDot'],
      invalid: ['DeviceDataCtrlr.ItemsPerMessage[GetVariables]=0 (an integer of at least 1)'],
    });
    expect(m.get('OCPPCommCtrlr', 'HeartbeatInterval')).toBe('30');
    expect(m.get('MonitoringCtrlr', 'ItemsPerMessage', 'SetVariableMonitoring')).toBe('5');
    expect(m.get('DeviceDataCtrlr', 'ItemsPerMessage', 'GetVariables')).toBe('50');
    expect(m.getItem(item('OCPPCommCtrlr', 'HeartbeatInterval'))['attributeValue']).toBe('30');
  });

  it('SetVariables stores an accepted value for its attribute and refuses a read-only one', () => {
    const m = new DeviceModel(1);
    const applied: string[] = [];
    const set = (i: JsonObject): unknown =>
      m.setItem(i, (d, v) => applied.push(`${d.variable}=${v}`))['attributeStatus'];
    expect(set({ ...item('OCPPCommCtrlr', 'HeartbeatInterval'), attributeValue: '20' })).toBe('Accepted');
    expect(set({ ...item('ChargingStation', 'SerialNumber'), attributeValue: 'X' })).toBe('Rejected');
    expect(m.get('OCPPCommCtrlr', 'HeartbeatInterval')).toBe('20');
    expect(m.get('ChargingStation', 'SerialNumber')).toBe('');
    expect(applied).toEqual(['HeartbeatInterval=20']);
  });
});

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { DeviceModel } from '../../../../electron/engine/simulation/device-model';
import type { VariableDef } from '../../../../electron/engine/simulation/device-model';
import { Monitoring, eventData } from '../../../../electron/engine/simulation/monitoring';

/** A device model whose EVSE power and connector problem the test sets. */
function station(): { device: DeviceModel; live: { power: string; problem: string } } {
  const live = { power: '0', problem: 'false' };
  const device = new DeviceModel(1, (d: VariableDef) =>
    d.variable === 'Power' ? live.power : d.variable === 'Problem' ? live.problem : undefined,
  );
  return { device, live };
}

const item = (component: string, variable: string, more: JsonObject): JsonObject => ({
  component: { name: component },
  variable: { name: variable },
  ...more,
});
const noTx = (): undefined => undefined;

describe('Monitoring', () => {
  it('a periodic monitor comes round at its interval; a clock-aligned one on whole multiples', () => {
    const { device } = station();
    const m = new Monitoring(device);
    const t0 = 1_700_000_000_500;
    const p = m.set(
      item('OCPPCommCtrlr', 'HeartbeatInterval', { type: 'Periodic', value: 10, severity: 8 }),
      t0,
    );
    expect(p['status']).toBe('Accepted');
    expect(m.nextDue()).toBe(t0 + 10_000);
    expect(m.evaluate(t0 + 9_999, noTx)).toEqual([]);
    const [e] = m.evaluate(t0 + 10_000, noTx);
    expect(e).toMatchObject({ trigger: 'Periodic', actualValue: '300' });
    expect(m.nextDue()).toBe(t0 + 20_000);
    const a = new Monitoring(device);
    a.set(
      item('OCPPCommCtrlr', 'HeartbeatInterval', { type: 'PeriodicClockAligned', value: 60, severity: 8 }),
      t0,
    );
    expect(a.nextDue()! % 60_000).toBe(0);
    expect(a.nextDue()! > t0).toBe(true);
  });

  it("accepts a monitor with a 2.1 periodic event stream (the stream itself is EventStreams' job)", () => {
    const m = new Monitoring(station().device);
    const r = m.set(
      item('OCPPCommCtrlr', 'HeartbeatInterval', {
        type: 'Periodic',
        value: 10,
        severity: 8,
        periodicEventStream: { interval: 5, values: 3 },
      }),
      0,
    );
    expect(r).toMatchObject({ status: 'Accepted' });
    expect(r).not.toHaveProperty('statusInfo');
  });

  it('a delta on a text variable fires on any change; a numeric one only past its delta', () => {
    const { device } = station();
    const m = new Monitoring(device);
    m.set(item('TxCtrlr', 'TxStartPoint', { type: 'Delta', value: 0, severity: 5 }), 0);
    m.set(item('OCPPCommCtrlr', 'HeartbeatInterval', { type: 'Delta', value: 100, severity: 5 }), 0);
    device.setInternal('OCPPCommCtrlr', 'HeartbeatInterval', '350');
    expect(m.evaluate(1, noTx)).toEqual([]);
    device.setInternal('OCPPCommCtrlr', 'HeartbeatInterval', '400');
    device.setInternal('TxCtrlr', 'TxStartPoint', 'Authorized');
    expect(m.evaluate(2, noTx).map((e) => [e.monitor.def.variable, e.actualValue])).toEqual([
      ['TxStartPoint', 'Authorized'],
      ['HeartbeatInterval', '400'],
    ]);
    // The reference moved with the event: the same value again is no change.
    expect(m.evaluate(3, noTx)).toEqual([]);
  });

  it('a transaction monitor watches only during a transaction and names it; the level filters what is returned', () => {
    const { device, live } = station();
    const m = new Monitoring(device);
    const power = { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' } };
    m.set({ ...power, type: 'LowerThreshold', value: 500, severity: 6, transaction: true }, 0);
    expect(m.evaluate(1, noTx)).toEqual([]);
    const [low] = m.evaluate(2, () => 'TX-1');
    expect(low).toMatchObject({ trigger: 'Alerting', transactionId: 'TX-1', actualValue: '0' });
    expect(eventData(low!, 7, false)).not.toHaveProperty('severity');
    expect(eventData(low!, 7, true)).toMatchObject({
      eventId: 7,
      severity: 6,
      variableMonitoringId: low!.monitor.id,
    });
    live.power = '7000';
    m.level = 5;
    // Cleared, but above the level: measured, not returned; and it does not come back at level 9.
    expect(m.evaluate(3, () => 'TX-1')).toEqual([]);
    m.level = 9;
    expect(m.evaluate(4, () => 'TX-1')).toEqual([]);
  });

  it('a pre-configured monitor can be replaced by id and cleared; FactoryDefault brings it back and drops custom ones', () => {
    const { device } = station();
    const m = new Monitoring(device);
    const pre = m.active().find((x) => x.kind === 'PreconfiguredMonitor')!;
    const power = { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' } };
    expect(
      m.set({ ...power, id: pre.id, type: 'UpperThreshold', value: 5000, severity: 4 }, 0)['status'],
    ).toBe('Accepted');
    expect(m.active().find((x) => x.id === pre.id)).toMatchObject({
      value: 5000,
      kind: 'PreconfiguredMonitor',
    });
    // A hard-wired one cannot be replaced or cleared.
    const hw = m.active().find((x) => x.kind === 'HardWiredMonitor')!;
    const problem = {
      component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
      variable: { name: 'Problem' },
    };
    expect(m.set({ ...problem, id: hw.id, type: 'Delta', value: 1, severity: 2 }, 0)['status']).toBe(
      'Rejected',
    );
    expect(m.clear(hw.id)['status']).toBe('Rejected');
    const custom = m.set(
      item('OCPPCommCtrlr', 'HeartbeatInterval', { type: 'Delta', value: 1, severity: 5 }),
      0,
    );
    expect(m.clear(pre.id)['status']).toBe('Accepted');
    expect(m.active().some((x) => x.id === pre.id)).toBe(false);
    m.setBase('FactoryDefault', 0);
    expect(m.active().find((x) => x.id === pre.id)).toMatchObject({ value: pre.value });
    expect(m.active().some((x) => x.id === custom['id'])).toBe(false);
    m.setBase('HardWiredOnly', 0);
    expect(m.active().every((x) => x.kind === 'HardWiredMonitor')).toBe(true);
  });

  it('a connector problem raises and clears a hard-wired alert', () => {
    const { device, live } = station();
    const m = new Monitoring(device);
    live.problem = 'true';
    const [raised] = m.evaluate(1, noTx);
    expect(eventData(raised!, 0, false)).toMatchObject({
      trigger: 'Alerting',
      actualValue: 'true',
      techCode: 'OtherError',
      eventNotificationType: 'HardWiredMonitor',
      component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
    });
    live.problem = 'false';
    const [cleared] = m.evaluate(2, noTx);
    expect(eventData(cleared!, 1, false)).toMatchObject({ cleared: true, actualValue: 'false' });
    expect(eventData(cleared!, 1, false)).not.toHaveProperty('techCode');
  });
});

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import type { Connection } from '../../../../electron/engine/connections/connection';
import { simulatedOf } from '../../../../electron/engine/simulation/simulated-station';
import { stationView } from '../../../../electron/engine/simulation/simulator-controls';
import type { Harness } from '../engine-harness';
import type { CsmsPeer } from './csms-peer';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

async function setUp(v: '2.0.1' | '2.1'): Promise<{ csms: CsmsPeer; h: Harness; conn: Connection }> {
  return simulatedAgainstCsms(cleanups, {
    version: v,
    identity: `MON-${v}`,
    heartbeatSec: 60,
    simulator: { rebootDelaySec: 0 },
    statuses: 2,
  });
}

const heartbeat = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };
const power1 = { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'Power' } };
const problem2 = {
  component: { name: 'Connector', evse: { id: 2, connectorId: 1 } },
  variable: { name: 'Problem' },
};

function events(csms: CsmsPeer): JsonObject[] {
  return csms.of('NotifyEvent').flatMap((r) => r.params['eventData'] as JsonObject[]);
}

describe.each(['2.0.1', '2.1'] as const)('simulated station monitoring, OCPP %s', (v) => {
  it('answers SetVariableMonitoring per item with the status the item earns, in order', async () => {
    const { csms, h, conn } = await setUp(v);
    const r = await csms.call('SetVariableMonitoring', {
      setMonitoringData: [
        { value: 10, type: 'Delta', severity: 5, ...heartbeat },
        { value: 1, type: 'Delta', severity: 5, ...heartbeat },
        { value: 7000, type: 'UpperThreshold', severity: 3, ...power1 },
        {
          value: 1,
          type: 'UpperThreshold',
          severity: 3,
          component: { name: 'Nope' },
          variable: { name: 'X' },
        },
        {
          value: 1,
          type: 'UpperThreshold',
          severity: 3,
          component: { name: 'EVSE', evse: { id: 1 } },
          variable: { name: 'Nope' },
        },
        {
          value: 1,
          type: 'UpperThreshold',
          severity: 3,
          component: { name: 'TxCtrlr' },
          variable: { name: 'TxStartPoint' },
        },
        { value: 1, type: 'Delta', severity: 12, ...heartbeat },
        { id: 4242, value: 1, type: 'Delta', severity: 2, ...heartbeat },
        { value: 30, type: 'Periodic', severity: 8, ...power1 },
      ],
    });
    const results = r['setMonitoringResult'] as JsonObject[];
    expect(results.map((x) => x['status'])).toEqual([
      'Accepted',
      'Duplicate',
      'Accepted',
      'UnknownComponent',
      'UnknownVariable',
      'UnsupportedMonitorType',
      'Rejected',
      'Rejected',
      'Accepted',
    ]);
    // Each result names its item; an accepted monitor gets the id the station gave it.
    expect(results[2]).toMatchObject({ type: 'UpperThreshold', severity: 3, ...power1 });
    const ids = [results[0], results[2], results[8]].map((x) => x!['id'] as number);
    expect(new Set(ids).size).toBe(3);

    const report = await csms.call('GetMonitoringReport', {
      requestId: 31,
      monitoringCriteria: ['DeltaMonitoring', 'ThresholdMonitoring'],
    });
    expect(report['status']).toBe('Accepted');
    const parts = await csms.until('NotifyMonitoringReport', 1);
    expect(parts[0]!.params).toMatchObject({ requestId: 31, seqNo: 0, tbc: false });
    const monitors = parts[0]!.params['monitor'] as JsonObject[];
    const listed = monitors.flatMap((m) =>
      (m['variableMonitoring'] as JsonObject[]).map((x) => [
        (m['component'] as JsonObject)['name'],
        (m['variable'] as JsonObject)['name'],
        x['type'],
        x['id'],
      ]),
    );
    // Ours and the built-ins (a connector's Problem is hard-wired, an EVSE's power limit pre-configured); not the
    // periodic one, which the criteria leave out.
    expect(listed).toContainEqual(['OCPPCommCtrlr', 'HeartbeatInterval', 'Delta', ids[0]]);
    expect(listed).toContainEqual(['EVSE', 'Power', 'UpperThreshold', ids[1]]);
    expect(listed).toContainEqual(['Connector', 'Problem', 'UpperThreshold', 2]);
    expect(listed.some((x) => x[2] === 'Periodic')).toBe(false);
    if (v === '2.1')
      expect((monitors[0]!['variableMonitoring'] as JsonObject[])[0]).toHaveProperty('eventNotificationType');

    const none = await csms.call('GetMonitoringReport', {
      requestId: 32,
      componentVariable: [{ component: { name: 'SecurityCtrlr' } }],
    });
    expect(none['status']).toBe('EmptyResultSet');

    // Clear: ours go, a hard-wired one is refused, an unknown id is NotFound.
    const cleared = await csms.call('ClearVariableMonitoring', { id: [ids[0]!, 1, 9999] });
    expect((cleared['clearMonitoringResult'] as JsonObject[]).map((x) => [x['id'], x['status']])).toEqual([
      [ids[0], 'Accepted'],
      [1, 'Rejected'],
      [9999, 'NotFound'],
    ]);
    expect(csms.failures).toEqual([]);
    expect(h.findingCodes(conn.id)).toEqual([]);
  });

  it('sends NotifyEvent when a delta moves or a threshold is crossed and cleared, honouring the level and base', async () => {
    const { csms, conn } = await setUp(v);
    const sim = simulatedOf(conn)!;
    const set = await csms.call('SetVariableMonitoring', {
      setMonitoringData: [
        { value: 5, type: 'Delta', severity: 6, ...heartbeat },
        { value: 1000, type: 'UpperThreshold', severity: 3, ...power1 },
      ],
    });
    const [deltaId, powerId] = (set['setMonitoringResult'] as JsonObject[]).map((x) => x['id']);
    // A change smaller than the delta says nothing; a bigger one raises a Delta event with the new value.
    await csms.call('SetVariables', { setVariableData: [{ attributeValue: '62', ...heartbeat }] });
    await csms.call('SetVariables', { setVariableData: [{ attributeValue: '120', ...heartbeat }] });
    await csms.until('NotifyEvent', 1);
    expect(events(csms)[0]).toMatchObject({
      trigger: 'Delta',
      actualValue: '120',
      variableMonitoringId: deltaId,
      eventNotificationType: 'CustomMonitor',
      ...heartbeat,
    });
    if (v === '2.1') expect(events(csms)[0]!['severity']).toBe(6);
    else expect(events(csms)[0]).not.toHaveProperty('severity');

    // Charging crosses the power threshold: an Alerting event bound to the transaction; stopping clears it.
    await sim.act({ kind: 'start', connector: 1 });
    const alert = await csms.wake.until('power alert', () =>
      events(csms).find((e) => e['variableMonitoringId'] === powerId),
    );
    const started = csms.of('TransactionEvent').find((e) => e.params['eventType'] === 'Started');
    expect(alert).toMatchObject({ trigger: 'Alerting', eventNotificationType: 'CustomMonitor' });
    expect(alert['transactionId']).toBe((started!.params['transactionInfo'] as JsonObject)['transactionId']);
    expect(Number(alert['actualValue'])).toBeGreaterThan(1000);

    // Level 3: the Delta monitor (severity 6) is no longer reported; a connector fault (hard-wired, 1) still is.
    expect((await csms.call('SetMonitoringLevel', { severity: 3 }))['status']).toBe('Accepted');
    expect((await csms.call('SetMonitoringLevel', { severity: 10 }))['status']).toBe('Rejected');
    const before = events(csms).length;
    await csms.call('SetVariables', { setVariableData: [{ attributeValue: '300', ...heartbeat }] });
    await sim.act({ kind: 'fault', connector: 2 });
    const fault = await csms.wake.until('fault event', () =>
      events(csms).find(
        (e) => e['variableMonitoringId'] === 1 || (e['variable'] as JsonObject)['name'] === 'Problem',
      ),
    );
    expect(fault).toMatchObject({
      trigger: 'Alerting',
      actualValue: 'true',
      eventNotificationType: 'HardWiredMonitor',
      techCode: 'OtherError',
      ...problem2,
    });
    expect(fault).not.toHaveProperty('cleared');
    await sim.act({ kind: 'clearFault', connector: 2 });
    const clearedFault = await csms.wake.until('fault cleared', () =>
      events(csms).find((e) => e['cleared'] === true && (e['variable'] as JsonObject)['name'] === 'Problem'),
    );
    expect(clearedFault).toMatchObject({ trigger: 'Alerting', actualValue: 'false', ...problem2 });
    expect(
      events(csms)
        .slice(before)
        .some((e) => e['variableMonitoringId'] === deltaId),
    ).toBe(false);
    // Event ids only grow.
    const eventIds = events(csms).map((e) => e['eventId'] as number);
    expect(eventIds).toEqual([...eventIds].sort((a, b) => a - b));

    // HardWiredOnly removes the CSMS's monitors; the base is readable in the device model.
    expect((await csms.call('SetMonitoringBase', { monitoringBase: 'HardWiredOnly' }))['status']).toBe(
      'Accepted',
    );
    const report = await csms.call('GetMonitoringReport', { requestId: 40 });
    expect(report['status']).toBe('Accepted');
    const part = await csms.wake.until('report 40', () =>
      csms.of('NotifyMonitoringReport').find((r) => r.params['requestId'] === 40),
    );
    const kinds = (part.params['monitor'] as JsonObject[]).map((m) => (m['variable'] as JsonObject)['name']);
    expect(new Set(kinds)).toEqual(new Set(['Problem']));
    const got = await csms.call('GetVariables', {
      getVariableData: [
        { component: { name: 'MonitoringCtrlr' }, variable: { name: 'ActiveMonitoringBase' } },
      ],
    });
    expect((got['getVariableResult'] as JsonObject[])[0]).toMatchObject({ attributeValue: 'HardWiredOnly' });
    expect(csms.failures).toEqual([]);
  });

  it('keeps display messages with priority, state and validity; answers Unknown and NotSupported as fits', async () => {
    const { csms, conn } = await setUp(v);
    const sim = simulatedOf(conn)!;
    const msg = (id: number, more: JsonObject = {}): JsonObject => ({
      message: {
        id,
        priority: 'NormalCycle',
        message: { format: 'UTF8', content: `Message ${id}` },
        ...more,
      },
    });
    expect((await csms.call('SetDisplayMessage', msg(1)))['status']).toBe('Accepted');
    expect(
      (await csms.call('SetDisplayMessage', msg(2, { priority: 'AlwaysFront', state: 'Idle' })))['status'],
    ).toBe('Accepted');
    expect(
      (await csms.call('SetDisplayMessage', msg(3, { message: { format: 'HTML', content: '<b>x</b>' } })))[
        'status'
      ],
    ).toBe('NotSupportedMessageFormat');
    expect((await csms.call('SetDisplayMessage', msg(4, { transactionId: 'no-such-tx' })))['status']).toBe(
      'UnknownTransaction',
    );
    const past = new Date(Date.now() - 60_000).toISOString();
    expect((await csms.call('SetDisplayMessage', msg(5, { endDateTime: past })))['status']).toBe('Rejected');
    if (v === '2.1')
      expect((await csms.call('SetDisplayMessage', msg(6, { state: 'Discharging' })))['status']).toBe(
        'NotSupportedState',
      );

    // The station card shows what the display shows: the highest priority for the state the station is in.
    expect(stationView(sim).display).toBe('Message 2');

    // A message bound to a running transaction is kept, and goes when the transaction ends.
    await sim.act({ kind: 'start', connector: 1 });
    const started = await csms.wake.until('Started', () =>
      csms.of('TransactionEvent').find((e) => e.params['eventType'] === 'Started'),
    );
    const txId = (started.params['transactionInfo'] as JsonObject)['transactionId'] as string;
    expect(
      (await csms.call('SetDisplayMessage', msg(7, { transactionId: txId, state: 'Charging' })))['status'],
    ).toBe('Accepted');

    await csms.wake.until('authorized', () =>
      csms.of('TransactionEvent').find((e) => e.params['triggerReason'] === 'Authorized'),
    );
    expect(stationView(sim).display).toBe('Message 7');
    expect((await csms.call('GetDisplayMessages', { requestId: 8, priority: 'AlwaysFront' }))['status']).toBe(
      'Accepted',
    );
    const first = await csms.until('NotifyDisplayMessages', 1);
    expect(first[0]!.params).toMatchObject({ requestId: 8, tbc: false });
    expect((first[0]!.params['messageInfo'] as JsonObject[]).map((m) => m['id'])).toEqual([2]);
    expect((await csms.call('GetDisplayMessages', { requestId: 9, id: [42] }))['status']).toBe('Unknown');

    await sim.act({ kind: 'stop', connector: 1 });
    expect((await csms.call('GetDisplayMessages', { requestId: 10, id: [7] }))['status']).toBe('Unknown');
    expect((await csms.call('ClearDisplayMessage', { id: 1 }))['status']).toBe('Accepted');
    expect((await csms.call('ClearDisplayMessage', { id: 1 }))['status']).toBe('Unknown');
    expect((await csms.call('GetDisplayMessages', { requestId: 11 }))['status']).toBe('Accepted');
    const all = await csms.wake.until('request 11', () =>
      csms.of('NotifyDisplayMessages').find((r) => r.params['requestId'] === 11),
    );
    expect((all.params['messageInfo'] as JsonObject[]).map((m) => m['id'])).toEqual([2]);
    expect(csms.failures).toEqual([]);
  });

  it('every automatic answer stays overridable per action: a replaced answer sends no report, a CALLERROR no monitor', async () => {
    const { csms, h } = await setUp(v);
    h.hub.answers.setPolicies([
      {
        version: v,
        action: 'GetMonitoringReport',
        mode: 'payload',
        role: 'station',
        payload: '{"status":"Rejected"}',
      },
      {
        version: v,
        action: 'SetDisplayMessage',
        mode: 'callerror',
        role: 'station',
        errorCode: 'NotSupported',
      },
    ]);
    expect(await csms.call('GetMonitoringReport', { requestId: 1 })).toEqual({ status: 'Rejected' });
    await expect(
      csms.call('SetDisplayMessage', {
        message: { id: 1, priority: 'NormalCycle', message: { format: 'UTF8', content: 'x' } },
      }),
    ).rejects.toThrow();
    // Nothing followed the overridden answers; the station still answers the rest itself.
    const report = await csms.call('GetMonitoringReport', { requestId: 2 }).catch(() => undefined);
    expect(report).toEqual({ status: 'Rejected' });
    expect((await csms.call('SetMonitoringLevel', { severity: 5 }))['status']).toBe('Accepted');
    await csms.call('TriggerMessage', { requestedMessage: 'Heartbeat' });
    await csms.until('Heartbeat', 1);
    expect(csms.of('NotifyMonitoringReport')).toEqual([]);
    expect(csms.failures).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import type { OcppVersion } from '../../../../shared/ocpp/versions';
import type { Connection } from '../../../../electron/engine/connections/connection';
import type { Harness } from '../engine-harness';
import type { CsmsPeer } from './csms-peer';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

async function setUp(v: OcppVersion): Promise<{ csms: CsmsPeer; h: Harness; conn: Connection }> {
  const r = await simulatedAgainstCsms(cleanups, {
    version: v,
    identity: `SIM-${v}`,
    simulator: { serialNumber: 'SN-1', rebootDelaySec: 0 },
  });
  expect(r.conn.state).toBe('open');
  return r;
}

function ownFindings(h: Harness, conn: Connection): string[] {
  return h.findingCodes(conn.id);
}

describe.each(['1.6', '2.0.1', '2.1'] as OcppVersion[])(
  'simulated charger against ocpp-rpc (strict), OCPP %s',
  (v) => {
    it('boots with its identity, sends nothing else before Accepted, reports every connector and heartbeats at the interval given', async () => {
      const { csms, h, conn } = await setUp(v);
      const [boot] = await csms.until('BootNotification', 1);
      if (v === '1.6')
        expect(boot!.params).toMatchObject({
          chargePointVendor: 'ACME',
          chargePointModel: 'Sim-1',
          chargePointSerialNumber: 'SN-1',
        });
      else
        expect(boot!.params).toMatchObject({
          reason: 'PowerUp',
          chargingStation: { vendorName: 'ACME', model: 'Sim-1', serialNumber: 'SN-1' },
        });
      expect(csms.received[0]!.action).toBe('BootNotification');
      const statuses = await csms.until('StatusNotification', v === '1.6' ? 3 : 2);
      if (v === '1.6') expect(statuses.map((s) => s.params['connectorId'])).toEqual([0, 1, 2]);
      else expect(statuses.map((s) => s.params['evseId'])).toEqual([1, 2]);
      // The CSMS said 1 s: three heartbeats come (counted, not timed).
      await csms.until('Heartbeat', 3);
      expect(csms.failures).toEqual([]);
      expect(ownFindings(h, conn)).toEqual([]);
    });

    it('sends what TriggerMessage accepted, after the answer, and refuses what it cannot send', async () => {
      const { csms, h, conn } = await setUp(v);
      await csms.until('StatusNotification', v === '1.6' ? 3 : 2);
      const before = csms.of('StatusNotification').length;
      const r = await csms.call(
        'TriggerMessage',
        v === '1.6'
          ? { requestedMessage: 'StatusNotification', connectorId: 2 }
          : { requestedMessage: 'StatusNotification', evse: { id: 2, connectorId: 1 } },
      );
      expect(r['status']).toBe('Accepted');
      const after = await csms.until('StatusNotification', before + 1);
      expect(after[before]!.params[v === '1.6' ? 'connectorId' : 'evseId']).toBe(2);
      const hb = csms.of('MeterValues').length;
      expect(
        (
          await csms.call('TriggerMessage', {
            requestedMessage: 'MeterValues',
            ...(v === '1.6' ? { connectorId: 1 } : { evse: { id: 1 } }),
          })
        )['status'],
      ).toBe('Accepted');
      await csms.until('MeterValues', hb + 1);
      if (v !== '1.6') {
        const t = await csms.call('TriggerMessage', {
          requestedMessage: 'PublishFirmwareStatusNotification',
        });
        expect(t['status']).toBe('NotImplemented');
      }
      expect(csms.failures).toEqual([]);
      expect(ownFindings(h, conn)).toEqual([]);
    });

    it('answers Get/Set for exactly the items asked, with a status per item', async () => {
      const { csms, h, conn } = await setUp(v);
      // Booted: the answer (with its interval) has been taken in once the statuses follow.
      await csms.until('StatusNotification', v === '1.6' ? 3 : 2);
      if (v === '1.6') {
        const g = await csms.call('GetConfiguration', {
          key: ['HeartbeatInterval', 'NoSuchKey', 'NumberOfConnectors'],
        });
        expect((g['configurationKey'] as JsonObject[]).map((k) => k['key'])).toEqual([
          'HeartbeatInterval',
          'NumberOfConnectors',
        ]);
        expect(g['configurationKey']).toContainEqual({
          key: 'NumberOfConnectors',
          readonly: true,
          value: '2',
        });
        expect(g['configurationKey']).toContainEqual({
          key: 'HeartbeatInterval',
          readonly: false,
          value: '1',
        });
        expect(g['unknownKey']).toEqual(['NoSuchKey']);
        expect((await csms.call('ChangeConfiguration', { key: 'NoSuchKey', value: '1' }))['status']).toBe(
          'NotSupported',
        );
        expect(
          (await csms.call('ChangeConfiguration', { key: 'NumberOfConnectors', value: '4' }))['status'],
        ).toBe('Rejected');
        expect(
          (await csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: 'often' }))[
            'status'
          ],
        ).toBe('Rejected');
        expect(
          (await csms.call('ChangeConfiguration', { key: 'ConnectorPhaseRotation', value: '0.RST' }))[
            'status'
          ],
        ).toBe('RebootRequired');
        expect(
          (await csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '30' }))[
            'status'
          ],
        ).toBe('Accepted');
        const again = await csms.call('GetConfiguration', { key: ['MeterValueSampleInterval'] });
        expect(again).toEqual({
          configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value: '30' }],
        });
      } else {
        const g = await csms.call('GetVariables', {
          getVariableData: [
            { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
            { component: { name: 'NoSuchCtrlr' }, variable: { name: 'Enabled' } },
            { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NoSuchVariable' } },
            { component: { name: 'EVSE', evse: { id: 2 } }, variable: { name: 'AvailabilityState' } },
            { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } },
            {
              attributeType: 'MinSet',
              component: { name: 'OCPPCommCtrlr' },
              variable: { name: 'HeartbeatInterval' },
            },
          ],
        });
        const results = g['getVariableResult'] as JsonObject[];
        expect(
          results.map((r) => [
            (r['component'] as JsonObject)['name'],
            (r['variable'] as JsonObject)['name'],
            r['attributeStatus'],
          ]),
        ).toEqual([
          ['OCPPCommCtrlr', 'HeartbeatInterval', 'Accepted'],
          ['NoSuchCtrlr', 'Enabled', 'UnknownComponent'],
          ['OCPPCommCtrlr', 'NoSuchVariable', 'UnknownVariable'],
          ['EVSE', 'AvailabilityState', 'Accepted'],
          ['SecurityCtrlr', 'BasicAuthPassword', 'Rejected'],
          ['OCPPCommCtrlr', 'HeartbeatInterval', 'NotSupportedAttributeType'],
        ]);
        expect(results[0]!['attributeValue']).toBe('1');
        expect(results[3]!['attributeValue']).toBe('Available');
        const s = await csms.call('SetVariables', {
          setVariableData: [
            { attributeValue: 'X', component: { name: 'ChargingStation' }, variable: { name: 'Model' } },
            {
              attributeValue: '30',
              component: { name: 'SampledDataCtrlr' },
              variable: { name: 'TxUpdatedInterval' },
            },
            {
              attributeValue: '1',
              component: { name: 'OCPPCommCtrlr' },
              variable: { name: 'NetworkConfigurationPriority' },
            },
            {
              attributeValue: 'soon',
              component: { name: 'SampledDataCtrlr' },
              variable: { name: 'TxUpdatedInterval' },
            },
            { attributeValue: '1', component: { name: 'Nope' }, variable: { name: 'Nope' } },
          ],
        });
        expect((s['setVariableResult'] as JsonObject[]).map((r) => r['attributeStatus'])).toEqual([
          'Rejected',
          'Accepted',
          'RebootRequired',
          'Rejected',
          'UnknownComponent',
        ]);
        const report = await csms.call('GetBaseReport', { requestId: 7, reportBase: 'FullInventory' });
        expect(report['status']).toBe('Accepted');
        const parts = await csms.wake.until('the last NotifyReport', () => {
          const list = csms.of('NotifyReport');
          return list.some((r) => r.params['tbc'] === false) ? list : undefined;
        });
        expect(parts.map((p) => p.params['seqNo'])).toEqual(parts.map((_, i) => i));
        expect(parts.every((p) => p.params['requestId'] === 7)).toBe(true);
        const items = parts.flatMap((p) => (p.params['reportData'] as JsonObject[]) ?? []);
        expect(items).toContainEqual(
          expect.objectContaining({
            component: { name: 'SampledDataCtrlr' },
            variable: { name: 'TxUpdatedInterval' },
          }),
        );
      }
      expect(csms.failures).toEqual([]);
      expect(ownFindings(h, conn)).toEqual([]);
    });

    it('a remote start produces a started transaction with the right ids, meter values, and a remote stop ends it', async () => {
      const { csms, h, conn } = await setUp(v);
      await csms.until('StatusNotification', v === '1.6' ? 3 : 2);
      if (v === '1.6') {
        expect(
          (await csms.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '1' }))['status'],
        ).toBe('Accepted');
        expect(
          (await csms.call('RemoteStartTransaction', { idTag: 'TAG-1', connectorId: 2 }))['status'],
        ).toBe('Accepted');
        const [start] = await csms.until('StartTransaction', 1);
        expect(start!.params).toMatchObject({ connectorId: 2, idTag: 'TAG-1' });
        const meters = await csms.until('MeterValues', 2);
        expect(meters.every((m) => m.params['transactionId'] === 4711 && m.params['connectorId'] === 2)).toBe(
          true,
        );
        const energy = meters.map((m) =>
          Number(((m.params['meterValue'] as JsonObject[])[0]!['sampledValue'] as JsonObject[])[0]!['value']),
        );
        expect(energy[1]).toBeGreaterThanOrEqual(energy[0]!);
        expect((await csms.call('RemoteStopTransaction', { transactionId: 999 }))['status']).toBe('Rejected');
        expect((await csms.call('RemoteStopTransaction', { transactionId: 4711 }))['status']).toBe(
          'Accepted',
        );
        const [stop] = await csms.until('StopTransaction', 1);
        expect(stop!.params).toMatchObject({ transactionId: 4711, reason: 'Remote' });
        expect(stop!.params['meterStop'] as number).toBeGreaterThanOrEqual(
          start!.params['meterStart'] as number,
        );
        const s2 = await csms.wake.until('Finishing on connector 2', () => {
          const list = csms
            .of('StatusNotification')
            .filter((s) => s.params['connectorId'] === 2)
            .map((s) => s.params['status']);
          return list.includes('Finishing') ? list : undefined;
        });
        expect(s2).toEqual(['Available', 'Preparing', 'Charging', 'Finishing']);
      } else {
        const set = await csms.call('SetVariables', {
          setVariableData: [
            {
              attributeValue: '1',
              component: { name: 'SampledDataCtrlr' },
              variable: { name: 'TxUpdatedInterval' },
            },
          ],
        });
        expect((set['setVariableResult'] as JsonObject[])[0]!['attributeStatus']).toBe('Accepted');
        const r = await csms.call('RequestStartTransaction', {
          idToken: { idToken: 'TAG-1', type: 'ISO14443' },
          remoteStartId: 42,
          evseId: 2,
        });
        expect(r['status']).toBe('Accepted');
        const started = await csms.wake.until('TransactionEvent Started', () =>
          csms.of('TransactionEvent').find((e) => e.params['eventType'] === 'Started'),
        );
        const info = started.params['transactionInfo'] as JsonObject;
        expect(info['remoteStartId']).toBe(42);
        expect(started.params).toMatchObject({ seqNo: 0, evse: { id: 2, connectorId: 1 } });
        const txId = info['transactionId'] as string;
        expect(txId.length).toBeGreaterThan(0);
        await csms.wake.until('a periodic meter value', () =>
          csms.of('TransactionEvent').find((e) => e.params['triggerReason'] === 'MeterValuePeriodic'),
        );
        expect(
          (await csms.call('RequestStopTransaction', { transactionId: 'not-a-transaction' }))['status'],
        ).toBe('Rejected');
        expect((await csms.call('RequestStopTransaction', { transactionId: txId }))['status']).toBe(
          'Accepted',
        );
        const ended = await csms.wake.until('TransactionEvent Ended', () =>
          csms.of('TransactionEvent').find((e) => e.params['eventType'] === 'Ended'),
        );
        expect(ended.params).toMatchObject({
          triggerReason: 'RemoteStop',
          transactionInfo: { transactionId: txId, stoppedReason: 'Remote' },
        });
        const events = csms.of('TransactionEvent');
        expect(
          events.every((e) => (e.params['transactionInfo'] as JsonObject)['transactionId'] === txId),
        ).toBe(true);
        expect(events.map((e) => e.params['seqNo'])).toEqual(events.map((_, i) => i));
        const energy = events
          .flatMap((e) => (e.params['meterValue'] as JsonObject[] | undefined) ?? [])
          .flatMap((m) => m['sampledValue'] as JsonObject[])
          .filter((s) => s['measurand'] === 'Energy.Active.Import.Register')
          .map((s) => s['value'] as number);
        expect(energy.length).toBeGreaterThanOrEqual(2);
        for (let i = 1; i < energy.length; i++) expect(energy[i]).toBeGreaterThanOrEqual(energy[i - 1]!);
      }
      expect(csms.failures).toEqual([]);
      expect(ownFindings(h, conn)).toEqual([]);
    });

    it('Reset ends the transaction, closes the socket and boots again with a fitting reason', async () => {
      const { csms, h, conn } = await setUp(v);
      await csms.until('StatusNotification', v === '1.6' ? 3 : 2);
      if (v === '1.6') {
        await csms.call('RemoteStartTransaction', { idTag: 'TAG-1', connectorId: 1 });
        await csms.until('StartTransaction', 1);
        expect((await csms.call('Reset', { type: 'Hard' }))['status']).toBe('Accepted');
        const [stop] = await csms.until('StopTransaction', 1);
        expect(stop!.params).toMatchObject({ transactionId: 4711, reason: 'HardReset' });
      } else {
        await csms.call('RequestStartTransaction', {
          idToken: { idToken: 'TAG-1', type: 'ISO14443' },
          remoteStartId: 1,
          evseId: 1,
        });
        await csms.wake.until('Started', () =>
          csms.of('TransactionEvent').find((e) => e.params['eventType'] === 'Started'),
        );
        expect((await csms.call('Reset', { type: 'Immediate' }))['status']).toBe('Accepted');
        const ended = await csms.wake.until('Ended', () =>
          csms.of('TransactionEvent').find((e) => e.params['eventType'] === 'Ended'),
        );
        expect(ended.params).toMatchObject({
          triggerReason: 'ResetCommand',
          transactionInfo: { stoppedReason: 'ImmediateReset' },
        });
      }
      const [second] = await csms.until('BootNotification', 1, 1);
      if (v !== '1.6') expect(second!.params['reason']).toBe('RemoteReset');
      // Nothing after the reset request reached the old session once the stop was out.
      const closedEvents = h.of('closed', conn.id);
      expect(closedEvents.length).toBe(1);
      expect(closedEvents[0]).toMatchObject({ by: 'local', code: 1000 });
      expect(h.of('opened', conn.id).length).toBe(2);
      expect(csms.failures).toEqual([]);
      expect(ownFindings(h, conn)).toEqual([]);
    });
  },
);

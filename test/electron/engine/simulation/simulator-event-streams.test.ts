import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

const heartbeat = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };

describe('simulated station periodic event streams, OCPP 2.1', () => {
  it('opens a stream for a monitor, sends its values in NotifyPeriodicEventStream batches, adjusts and closes it', async () => {
    const { csms, h, conn } = await simulatedAgainstCsms(cleanups, {
      version: '2.1',
      identity: 'PES-2.1',
      heartbeatSec: 60,
      statuses: 2,
    });
    const set = await csms.call('SetVariableMonitoring', {
      setMonitoringData: [
        {
          value: 1,
          type: 'Periodic',
          severity: 5,
          periodicEventStream: { interval: 0, values: 2 },
          ...heartbeat,
        },
      ],
    });
    const [result] = set['setMonitoringResult'] as JsonObject[];
    expect(result).toMatchObject({ status: 'Accepted' });
    const monitorId = result!['id'] as number;
    const [open] = await csms.until('OpenPeriodicEventStream', 1);
    const stream = (open!.params['constantStreamData'] as JsonObject)['id'] as number;
    expect(open!.params['constantStreamData']).toEqual({
      id: stream,
      variableMonitoringId: monitorId,
      params: { interval: 0, values: 2 },
    });

    // Every second the monitor's value goes into the stream; two values make a batch (a SEND, never answered).
    const [batch] = await csms.wake.until('a batch', () => (csms.sends.length > 0 ? csms.sends : undefined));
    expect(batch).toMatchObject({ action: 'NotifyPeriodicEventStream', params: { id: stream, pending: 0 } });
    const data = batch!.params['data'] as JsonObject[];
    expect(data.map((d) => d['v'])).toEqual(['60', '60']);
    expect(data[0]!['t']).toBe(0);
    expect(Number(data[1]!['t'])).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(String(batch!.params['basetime'])))).toBe(false);
    // The monitor's events went to the stream, not to NotifyEvent.
    expect(
      csms
        .of('NotifyEvent')
        .flatMap((r) => r.params['eventData'] as JsonObject[])
        .filter((e) => e['variableMonitoringId'] === monitorId),
    ).toEqual([]);

    expect(await csms.call('GetPeriodicEventStream', {})).toEqual({
      constantStreamData: [
        { id: stream, variableMonitoringId: monitorId, params: { interval: 0, values: 2 } },
      ],
    });
    const adjust = (id: number): Promise<JsonObject> =>
      csms.call('AdjustPeriodicEventStream', { id, params: { interval: 1, values: 5 } });
    expect((await adjust(stream))['status']).toBe('Accepted');
    expect((await adjust(4242))['status']).toBe('Rejected');
    expect(await csms.call('GetPeriodicEventStream', {})).toMatchObject({
      constantStreamData: [{ params: { interval: 1, values: 5 } }],
    });

    // Clearing the monitor closes its stream; the list is then empty.
    expect(
      (await csms.call('ClearVariableMonitoring', { id: [monitorId] }))['clearMonitoringResult'],
    ).toEqual([{ id: monitorId, status: 'Accepted' }]);
    const [closed] = await csms.until('ClosePeriodicEventStream', 1);
    expect(closed!.params).toEqual({ id: stream });
    expect(await csms.call('GetPeriodicEventStream', {})).toEqual({});
    expect(csms.failures).toEqual([]);
    // Our SEND frames and calls earn no finding; ocpp-rpc 2.2 answers each SEND with a CALLERROR, which our side
    // names for what it is.
    expect(h.findingCodes(conn.id).filter((c) => c !== 'response-to-unknown-id')).toEqual([]);
  });
});

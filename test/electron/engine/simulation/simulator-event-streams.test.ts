import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

const heartbeat = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };

type Csms = Awaited<ReturnType<typeof simulatedAgainstCsms>>['csms'];

/** Sets a periodic monitor on the heartbeat interval that streams every `values` values; its result. */
async function periodicMonitor(csms: Csms, values: number): Promise<JsonObject> {
  const set = await csms.call('SetVariableMonitoring', {
    setMonitoringData: [
      { value: 1, type: 'Periodic', severity: 5, periodicEventStream: { interval: 0, values }, ...heartbeat },
    ],
  });
  return (set['setMonitoringResult'] as JsonObject[])[0]!;
}

describe('simulated station periodic event streams, OCPP 2.1', () => {
  it('opens a stream for a monitor, sends its values in NotifyPeriodicEventStream batches, adjusts and closes it', async () => {
    const { csms, h, conn } = await simulatedAgainstCsms(cleanups, {
      version: '2.1',
      identity: 'PES-2.1',
      heartbeatSec: 60,
      statuses: 2,
    });
    const result = await periodicMonitor(csms, 2);
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

  it('asks its streams open again after the connection drops and after a reboot, and carries on sending batches', async () => {
    const { csms } = await simulatedAgainstCsms(cleanups, {
      version: '2.1',
      identity: 'PES-RECONNECT',
      heartbeatSec: 60,
      simulator: { rebootDelaySec: 0 },
      statuses: 2,
    });
    const monitorId = (await periodicMonitor(csms, 1))['id'] as number;
    const [open] = await csms.until('OpenPeriodicEventStream', 1, 0);
    const constant = open!.params['constantStreamData'] as JsonObject;
    const batchIn = (session: number): Promise<unknown> =>
      csms.wake.until(`a batch in session ${session}`, () =>
        csms.sends.some((b) => b.session === session) ? true : undefined,
      );
    await batchIn(0);

    // The CSMS drops the connection: the station comes back (no reboot, no new boot) and asks the same stream open.
    await csms.clients[0]!.close({ code: 1001, force: true });
    const [reopened] = await csms.until('OpenPeriodicEventStream', 1, 1);
    expect(reopened!.params['constantStreamData']).toEqual(constant);
    expect(csms.of('BootNotification')).toHaveLength(1);
    await batchIn(1);
    expect(await csms.call('GetPeriodicEventStream', {})).toEqual({ constantStreamData: [constant] });

    // A reboot keeps the monitor (and so its stream): after the new boot the stream is asked open once more.
    expect((await csms.call('Reset', { type: 'Immediate' }))['status']).toBe('Accepted');
    await csms.until('BootNotification', 1, 2);
    const [afterBoot] = await csms.until('OpenPeriodicEventStream', 1, 2);
    expect(afterBoot!.params['constantStreamData']).toEqual(constant);
    await batchIn(2);
    expect(csms.of('OpenPeriodicEventStream')).toHaveLength(3);
    expect(
      (await csms.call('ClearVariableMonitoring', { id: [monitorId] }))['clearMonitoringResult'],
    ).toEqual([{ id: monitorId, status: 'Accepted' }]);
    await csms.until('ClosePeriodicEventStream', 1, 2);
    expect(csms.failures).toEqual([]);
  });
});

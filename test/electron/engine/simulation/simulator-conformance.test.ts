import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import type { OcppVersion } from '../../../../shared/ocpp/versions';
import type { Connection } from '../../../../electron/engine/connections/connection';
import type { Harness } from '../engine-harness';
import type { CsmsPeer } from './csms-peer';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

async function setUp(
  v: OcppVersion,
  strict = true,
): Promise<{ csms: CsmsPeer; h: Harness; conn: Connection }> {
  return simulatedAgainstCsms(cleanups, {
    version: v,
    identity: `C-${v}`,
    strict,
    statuses: v === '1.6' ? 3 : 2,
  });
}

/** The CALLERROR code the charger answered `action` with, or 'CALLRESULT'. */
async function outcome(csms: CsmsPeer, action: string, params: JsonObject): Promise<string> {
  try {
    await csms.call(action, params);
    return 'CALLRESULT';
  } catch (error) {
    return (error as { rpcErrorCode?: string }).rpcErrorCode ?? String(error);
  }
}

const V16 = '1.6' as OcppVersion;

describe('a schema-invalid call gets the CALLERROR a real charger answers with', () => {
  it('OCPP 1.6: Formation, Property, Occurence (1.6 spelling) and Type violations; the call has no effect', async () => {
    const { csms, h } = await setUp(V16, false);
    expect(await outcome(csms, 'Reset', { type: 'Hard', when: 'now' })).toBe('FormationViolation');
    expect(await outcome(csms, 'Reset', { type: 'Warm' })).toBe('PropertyConstraintViolation');
    expect(await outcome(csms, 'ChangeConfiguration', { key: 'HeartbeatInterval' })).toBe(
      'OccurenceConstraintViolation',
    );
    expect(await outcome(csms, 'ChangeConfiguration', { key: 'HeartbeatInterval', value: 30 })).toBe(
      'TypeConstraintViolation',
    );
    // Nothing of it was acted on: no reboot, the interval is unchanged.
    const g = await csms.call('GetConfiguration', { key: ['HeartbeatInterval'] });
    expect((g['configurationKey'] as JsonObject[])[0]!['value']).toBe('1');
    expect(csms.of('BootNotification')).toHaveLength(1);
    // The answer names where the payload is wrong.
    const answer = h.of('frame').find((e) => e.text.includes('FormationViolation'));
    expect(answer?.text).toContain('when');
  });

  it.each(['2.0.1', '2.1'] as OcppVersion[])(
    'OCPP %s: Format, Property, Occurrence and Type violations',
    async (v) => {
      const { csms } = await setUp(v, false);
      expect(await outcome(csms, 'Reset', { type: 'Immediate', when: 'now' })).toBe('FormatViolation');
      expect(await outcome(csms, 'Reset', { type: 'Warm' })).toBe('PropertyConstraintViolation');
      expect(
        await outcome(csms, 'RequestStartTransaction', { idToken: { idToken: 'A', type: 'ISO14443' } }),
      ).toBe('OccurrenceConstraintViolation');
      expect(await outcome(csms, 'ClearCache', { customData: 'x' })).toBe('TypeConstraintViolation');
      expect(csms.of('TransactionEvent')).toEqual([]);
      expect(csms.of('BootNotification')).toHaveLength(1);
    },
  );

  it('the answer is overridable per action like every automatic one', async () => {
    const { csms, h } = await setUp(V16, false);
    h.hub.answers.setPolicies([
      { role: 'station', version: V16, action: 'Reset', mode: 'payload', payload: '{"status":"Rejected"}' },
    ]);
    expect(await outcome(csms, 'Reset', { type: 'Warm' })).toBe('CALLRESULT');
    // Valid calls of other actions keep their modelled answer.
    expect(await outcome(csms, 'ClearCache', {})).toBe('CALLRESULT');
  });
});

describe.each(['1.6', '2.0.1'] as OcppVersion[])('every accepted Reset reboots, OCPP %s', (v) => {
  const reset = v === '1.6' ? { type: 'Soft' } : { type: 'Immediate' };

  it('three Resets in a row give three new boots, each on a new connection', async () => {
    const { csms, h, conn } = await setUp(v);
    for (let i = 1; i <= 3; i++) {
      await csms.until('StatusNotification', (v === '1.6' ? 3 : 2) * i);
      expect((await csms.call('Reset', reset))['status']).toBe('Accepted');
      await csms.until('BootNotification', 1, i);
    }
    expect(csms.of('BootNotification').map((b) => b.session)).toEqual([0, 1, 2, 3]);
    expect(h.of('opened', conn.id).length).toBe(4);
    expect(csms.failures).toEqual([]);
  });

  it('a Reset that crosses the answer to the boot after a reboot still reboots (the late answer is stale)', async () => {
    const { csms, h, conn } = await setUp(v);
    expect((await csms.call('Reset', reset))['status']).toBe('Accepted');
    // The CSMS sends the next Reset together with its answer to the new boot.
    csms.onCall = (action, session, client) => {
      if (action !== 'BootNotification' || session !== 1) return;
      csms.onCall = undefined;
      void client.call('Reset', reset).catch(() => undefined);
    };
    await csms.until('BootNotification', 1, 1);
    const [third] = await csms.until('BootNotification', 1, 2);
    if (v !== '1.6') expect(third!.params['reason']).toBe('RemoteReset');
    expect(h.of('opened', conn.id).length).toBe(3);
    expect(csms.failures).toEqual([]);
  });

  it('a Reset that arrives while a reboot waits for the stop message still ends in a boot', async () => {
    const { csms } = await setUp(v);
    if (v === '1.6') await csms.call('RemoteStartTransaction', { idTag: 'T', connectorId: 1 });
    else
      await csms.call('RequestStartTransaction', {
        idToken: { idToken: 'T', type: 'ISO14443' },
        remoteStartId: 1,
        evseId: 1,
      });
    const stopAction = v === '1.6' ? 'StopTransaction' : 'TransactionEvent';
    if (v === '1.6') await csms.until('StartTransaction', 1);
    else await csms.until('TransactionEvent', 1);
    // The CSMS holds back its answer to the stop message: the reboot stays pending meanwhile.
    let release = (): void => undefined;
    csms.gates.set(stopAction, new Promise<void>((r) => (release = r)));
    expect((await csms.call('Reset', reset))['status']).toBe('Accepted');
    await csms.wake.until('the stop message', () =>
      csms.of(stopAction).find((m) => v === '1.6' || m.params['eventType'] === 'Ended'),
    );
    expect((await csms.call('Reset', reset))['status']).toBe('Accepted');
    csms.gates.delete(stopAction);
    release();
    const [boot] = await csms.until('BootNotification', 1, 1);
    if (v !== '1.6') expect(boot!.params['reason']).toBe('RemoteReset');
    // And the station still reboots on the next one.
    await csms.until('StatusNotification', 1, 1);
    expect((await csms.call('Reset', reset))['status']).toBe('Accepted');
    await csms.until('BootNotification', 1, 2);
    expect(csms.failures).toEqual([]);
  });
});

describe('1.6 meter values are consistent', () => {
  it('meterStop equals the register at stop time: never below the last sample, start and stop within the samples', async () => {
    const { csms } = await setUp(V16);
    for (const [key, value] of [
      ['MeterValueSampleInterval', '1'],
      ['StopTxnSampledData', 'Energy.Active.Import.Register'],
    ] as const)
      expect((await csms.call('ChangeConfiguration', { key, value }))['status']).toBe('Accepted');
    await csms.call('RemoteStartTransaction', { idTag: 'T', connectorId: 1 });
    const [start] = await csms.until('StartTransaction', 1);
    await csms.until('MeterValues', 3);
    await csms.call('RemoteStopTransaction', { transactionId: 4711 });
    const [stop] = await csms.until('StopTransaction', 1);
    const energy = (m: JsonObject): number =>
      Number(((m['meterValue'] as JsonObject[])[0]!['sampledValue'] as JsonObject[])[0]!['value']);
    const samples = csms.of('MeterValues').map((m) => energy(m.params));
    const meterStop = stop!.params['meterStop'] as number;
    const stopData = Number(
      ((stop!.params['transactionData'] as JsonObject[])[0]!['sampledValue'] as JsonObject[])[0]!['value'],
    );
    expect(meterStop).toBe(stopData);
    expect(meterStop).toBeGreaterThanOrEqual(Math.max(...samples));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(start!.params['meterStart'] as number);
    for (let i = 1; i < samples.length; i++) expect(samples[i]).toBeGreaterThanOrEqual(samples[i - 1]!);
    expect(samples.every((s) => Number.isInteger(s))).toBe(true);
    expect(csms.failures).toEqual([]);
  });
});

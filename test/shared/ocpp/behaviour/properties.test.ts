import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sender } from '../../../../shared/capture/events';
import { BehaviourRules } from '../../../../shared/ocpp/behaviour';
import type { Frame } from '../../../../shared/ocpp/frame-types';
import type { JsonObject, JsonValue } from '../../../../shared/ocpp/json';
import type { OcppVersion } from '../../../../shared/ocpp/versions';
import { BehaviourSession, iso } from '../../../support/behaviour-session';

type Episode =
  | { kind: 'transaction'; increments: number[]; unit: 'Wh' | 'kWh' }
  | { kind: 'trigger'; message: 'Heartbeat' | 'StatusNotification' | 'MeterValues' }
  | { kind: 'config'; value: number }
  | { kind: 'remote-start' }
  | { kind: 'idle'; seconds: number };

const episode: fc.Arbitrary<Episode> = fc.oneof(
  fc.record({
    kind: fc.constant('transaction' as const),
    increments: fc.array(fc.integer({ min: 0, max: 50_000 }), { maxLength: 6 }),
    unit: fc.constantFrom('Wh' as const, 'kWh' as const),
  }),
  fc.record({
    kind: fc.constant('trigger' as const),
    message: fc.constantFrom('Heartbeat' as const, 'StatusNotification' as const, 'MeterValues' as const),
  }),
  fc.record({ kind: fc.constant('config' as const), value: fc.integer({ min: 1, max: 999 }) }),
  fc.record({ kind: fc.constant('remote-start' as const) }),
  fc.record({ kind: fc.constant('idle' as const), seconds: fc.integer({ min: 1, max: 50 }) }),
);

/**
 * A charger that does everything right: boots first, heartbeats on time, walks its connector through allowed
 * statuses, numbers its transaction events, meters up, honours triggers and remote starts.
 */
function wellBehaved(version: OcppVersion, episodes: Episode[]): BehaviourSession {
  const s = new BehaviourSession(version);
  const v16 = version === '1.6';
  const H = 60;
  let t = 0;
  let lastHb = 0;
  let txN = 0;
  s.boot(t, H);
  const tick = (dt: number) => {
    t += dt;
    if (t - lastHb >= H) {
      s.ask(t, 'Heartbeat', {}, { currentTime: iso(t) });
      lastHb = t;
    }
  };
  const status = (st16: string, st2x: string) => {
    if (v16) s.ask(t, 'StatusNotification', { connectorId: 1, status: st16, errorCode: 'NoError' }, {});
    else
      s.ask(
        t,
        'StatusNotification',
        { timestamp: iso(t), connectorStatus: st2x, evseId: 1, connectorId: 1 },
        {},
      );
  };
  status('Available', 'Available');
  const transaction = (increments: number[], unit: 'Wh' | 'kWh', remoteStartId?: number) => {
    const id = `T${++txN}`;
    let wh = 1000 * txN;
    const sample = (): JsonObject =>
      v16
        ? { value: unit === 'kWh' ? String(wh / 1000) : String(wh), unit }
        : { value: unit === 'kWh' ? wh / 1000 : wh, unitOfMeasure: { unit } };
    status('Preparing', 'Occupied');
    tick(1);
    let seqNo = 0;
    if (v16) {
      s.ask(
        t,
        'StartTransaction',
        { connectorId: 1, idTag: 'OK', meterStart: wh, timestamp: iso(t) },
        {
          transactionId: txN,
          idTagInfo: { status: 'Accepted' },
        },
      );
      status('Charging', 'Occupied');
    } else {
      const info: JsonObject = { transactionId: id };
      if (remoteStartId !== undefined) info.remoteStartId = remoteStartId;
      s.ask(
        t,
        'TransactionEvent',
        {
          eventType: 'Started',
          timestamp: iso(t),
          triggerReason: remoteStartId !== undefined ? 'RemoteStart' : 'CablePluggedIn',
          seqNo: seqNo++,
          transactionInfo: info,
          meterValue: [{ timestamp: iso(t), sampledValue: [sample()] }],
        },
        {},
      );
    }
    for (const inc of increments) {
      tick(10);
      wh += inc;
      const meterValue = [{ timestamp: iso(t), sampledValue: [sample()] }];
      if (v16) s.ask(t, 'MeterValues', { connectorId: 1, transactionId: txN, meterValue }, {});
      else
        s.ask(
          t,
          'TransactionEvent',
          {
            eventType: 'Updated',
            timestamp: iso(t),
            triggerReason: 'MeterValuePeriodic',
            seqNo: seqNo++,
            transactionInfo: { transactionId: id },
            meterValue,
          },
          {},
        );
    }
    tick(5);
    if (v16) {
      s.ask(t, 'StopTransaction', { transactionId: txN, meterStop: wh, timestamp: iso(t) }, {});
      status('Finishing', 'Occupied');
    } else {
      s.ask(
        t,
        'TransactionEvent',
        {
          eventType: 'Ended',
          timestamp: iso(t),
          triggerReason: 'EVDeparted',
          seqNo,
          transactionInfo: { transactionId: id },
        },
        {},
      );
    }
    tick(1);
    status('Available', 'Available');
  };

  for (const e of episodes) {
    tick(2);
    switch (e.kind) {
      case 'transaction':
        transaction(e.increments, e.unit);
        break;
      case 'trigger': {
        s.command(t, 'TriggerMessage', { requestedMessage: e.message }, { status: 'Accepted' });
        tick(1);
        if (e.message === 'Heartbeat') s.ask(t, 'Heartbeat', {}, { currentTime: iso(t) });
        else if (e.message === 'StatusNotification') status('Available', 'Available');
        else if (v16)
          s.ask(
            t,
            'MeterValues',
            { connectorId: 1, meterValue: [{ timestamp: iso(t), sampledValue: [{ value: '1' }] }] },
            {},
          );
        else
          s.ask(
            t,
            'MeterValues',
            { evseId: 1, meterValue: [{ timestamp: iso(t), sampledValue: [{ value: 1 }] }] },
            {},
          );
        break;
      }
      case 'config': {
        const value = String(e.value);
        if (v16) {
          s.command(
            t,
            'ChangeConfiguration',
            { key: 'MeterValueSampleInterval', value },
            { status: 'Accepted' },
          );
          s.command(
            t,
            'GetConfiguration',
            { key: ['MeterValueSampleInterval'] },
            {
              configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value }],
            },
          );
        } else {
          const cv = { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' } };
          s.command(
            t,
            'SetVariables',
            { setVariableData: [{ attributeValue: value, ...cv }] },
            {
              setVariableResult: [{ attributeStatus: 'Accepted', ...cv }],
            },
          );
          s.command(
            t,
            'GetVariables',
            { getVariableData: [cv] },
            {
              getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: value, ...cv }],
            },
          );
        }
        break;
      }
      case 'remote-start': {
        if (v16) {
          s.command(t, 'RemoteStartTransaction', { connectorId: 1, idTag: 'OK' }, { status: 'Accepted' });
          tick(3);
          transaction([100], 'Wh');
        } else {
          const remoteStartId = 100 + txN;
          s.command(
            t,
            'RequestStartTransaction',
            { idToken: { idToken: 'OK', type: 'Central' }, remoteStartId },
            {
              status: 'Accepted',
            },
          );
          tick(3);
          transaction([100], 'Wh', remoteStartId);
        }
        break;
      }
      case 'idle':
        for (let i = 0; i < e.seconds; i++) tick(1);
        break;
    }
  }
  tick(1);
  s.advance(t);
  s.close(t);
  return s;
}

describe('behaviour rules: properties', () => {
  it('a well-behaved session gives no behaviour finding (1.6, 2.0.1, 2.1)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<OcppVersion>('1.6', '2.0.1', '2.1'),
        fc.array(episode, { maxLength: 12 }),
        (v, eps) => {
          const s = wellBehaved(v, eps);
          expect(s.codes()).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  const ACTIONS = [
    'BootNotification',
    'Heartbeat',
    'StatusNotification',
    'StartTransaction',
    'StopTransaction',
    'MeterValues',
    'TransactionEvent',
    'Authorize',
    'TriggerMessage',
    'ExtendedTriggerMessage',
    'RemoteStartTransaction',
    'RequestStartTransaction',
    'Reset',
    'ChangeConfiguration',
    'GetConfiguration',
    'SetVariables',
    'GetVariables',
    'SignCertificate',
    'Whatever',
  ];
  const KEYS = [
    'status',
    'interval',
    'connectorId',
    'evseId',
    'transactionId',
    'transactionInfo',
    'meterValue',
    'meterStop',
    'meterStart',
    'transactionData',
    'seqNo',
    'eventType',
    'triggerReason',
    'idTag',
    'idToken',
    'idTagInfo',
    'idTokenInfo',
    'requestedMessage',
    'type',
    'key',
    'value',
    'configurationKey',
    'setVariableData',
    'setVariableResult',
    'getVariableResult',
    'timestamp',
    'connectorStatus',
    'remoteStartId',
    'sampledValue',
    '__proto__',
    'constructor',
  ];
  const value: fc.Arbitrary<JsonValue> = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>,
    fc.constantFrom<JsonValue>(
      'Accepted',
      'Pending',
      'Rejected',
      'Started',
      'Ended',
      'Updated',
      'Available',
      'Charging',
      1,
      0,
      -1,
      1e308,
    ),
  );
  const payload: fc.Arbitrary<JsonObject> = fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 });
  const frame: fc.Arbitrary<Frame> = fc.oneof(
    fc.record({
      type: fc.constant(2 as const),
      id: fc.constantFrom('a', 'b', 'c'),
      action: fc.constantFrom(...ACTIONS),
      payload,
    }),
    fc.record({ type: fc.constant(3 as const), id: fc.constantFrom('a', 'b', 'c'), payload }),
    fc.record({
      type: fc.constant(4 as const),
      id: fc.constantFrom('a', 'b'),
      errorCode: fc.constant('GenericError'),
      errorDescription: fc.constant(''),
      errorDetails: fc.constant({}),
    }),
    fc.record({
      type: fc.constant(6 as const),
      id: fc.constant('s'),
      action: fc.constantFrom(...ACTIONS),
      payload,
    }),
  );
  const step = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('frame' as const),
        sender: fc.constantFrom<Sender>('station', 'csms'),
        dt: fc.integer({ min: 0, max: 200_000 }),
        frame,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('reconnect' as const),
        dt: fc.integer({ min: 0, max: 500_000 }),
      }),
    },
  );

  it('arbitrary frame streams never throw, and every finding is a catalogued code with its spec id', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<OcppVersion | undefined>('1.6', '2.0.1', '2.1', undefined),
        fc.array(step, { maxLength: 60 }),
        (v, steps) => {
          const rules = new BehaviourRules();
          let conn = 0;
          let obs = rules.observerFor(v, { conn: 'c0', identity: 'X' });
          let t = 0;
          let seq = 0;
          const all = [];
          for (const st of steps) {
            t += st.dt;
            if (st.kind === 'reconnect') {
              all.push(...obs.closed(t).map((x) => x.finding));
              obs = rules.observerFor(v, { conn: `c${++conn}`, identity: 'X' });
              continue;
            }
            all.push(...obs.advance(t).map((x) => x.finding));
            all.push(...obs.observe({ seq: seq++, t, sender: st.sender, frame: st.frame, findings: [] }));
          }
          all.push(...obs.closed(t + 1e9).map((x) => x.finding));
          all.push(...rules.advance(t + 2e9).map((x) => x.finding));
          for (const f of all) {
            expect(f.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
            expect(f.message.length).toBeGreaterThan(0);
            for (const r of f.related ?? []) expect(r).toBeLessThan(seq);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

// A realistic frame stream of one charger session for the behaviour-rules benchmark: boot, then a long transaction
// with periodic meter values, status changes and heartbeats on time, every request answered. Clean: the rules find
// nothing in it (checked by the bench), so the figure is their cost on ordinary traffic.
import type { Sender } from '../shared/ocpp/sender';
import { buildCall, buildCallResult } from '../shared/ocpp/frame';
import type { JsonObject } from '../shared/ocpp/json';
import type { OcppVersion } from '../shared/ocpp/versions';

export interface BenchFrame {
  text: string;
  sender: Sender;
  /** Wall clock, ms. */
  t: number;
}

export function benchSession(version: OcppVersion, frames: number): BenchFrame[] {
  const v16 = version === '1.6';
  const out: BenchFrame[] = [];
  let t = Date.UTC(2025, 5, 1);
  let n = 0;
  const iso = () => new Date(t).toISOString();
  const ask = (action: string, payload: JsonObject, answer: JsonObject) => {
    const id = `m${n++}`;
    out.push({ text: buildCall(id, action, payload), sender: 'station', t });
    out.push({ text: buildCallResult(id, answer), sender: 'csms', t: t + 20 });
    t += 1000;
  };
  ask(
    'BootNotification',
    v16
      ? { chargePointVendor: 'V', chargePointModel: 'M' }
      : { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } },
    { status: 'Accepted', currentTime: iso(), interval: 300 },
  );
  const status = (s16: string, s2x: string) =>
    ask(
      'StatusNotification',
      v16
        ? { connectorId: 1, status: s16, errorCode: 'NoError' }
        : { timestamp: iso(), connectorStatus: s2x, evseId: 1, connectorId: 1 },
      {},
    );
  status('Preparing', 'Occupied');
  if (v16)
    ask(
      'StartTransaction',
      { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: iso() },
      { transactionId: 1, idTagInfo: { status: 'Accepted' } },
    );
  else
    ask(
      'TransactionEvent',
      {
        eventType: 'Started',
        timestamp: iso(),
        triggerReason: 'CablePluggedIn',
        seqNo: 0,
        transactionInfo: { transactionId: 'T1' },
      },
      {},
    );
  status('Charging', 'Occupied');
  let wh = 0;
  let seqNo = 1;
  let lastHb = t;
  while (out.length < frames) {
    if (t - lastHb >= 300_000) {
      ask('Heartbeat', {}, { currentTime: iso() });
      lastHb = t;
      continue;
    }
    wh += 37;
    const meterValue: JsonObject[] = [
      {
        timestamp: iso(),
        sampledValue: v16
          ? ([
              { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
              { value: '11040', measurand: 'Power.Active.Import', unit: 'W' },
              { value: '16.0', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
            ] as JsonObject[])
          : ([
              { value: wh, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
              { value: 11040, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
              { value: 16, measurand: 'Current.Import', phase: 'L1', unitOfMeasure: { unit: 'A' } },
            ] as JsonObject[]),
      },
    ];
    if (v16) ask('MeterValues', { connectorId: 1, transactionId: 1, meterValue }, {});
    else
      ask(
        'TransactionEvent',
        {
          eventType: 'Updated',
          timestamp: iso(),
          triggerReason: 'MeterValuePeriodic',
          seqNo: seqNo++,
          transactionInfo: { transactionId: 'T1' },
          meterValue,
        },
        {},
      );
  }
  return out;
}

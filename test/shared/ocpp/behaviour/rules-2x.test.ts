import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { BehaviourSession, iso } from '../../../support/behaviour-session';

const codes = (s: { findings: { code: string }[] }) => s.findings.map((f) => f.code);

function txEvent(
  eventType: 'Started' | 'Updated' | 'Ended',
  transactionId: string,
  seqNo: number,
  tSec: number,
  extra: JsonObject = {},
): JsonObject {
  return {
    eventType,
    timestamp: iso(tSec),
    triggerReason:
      eventType === 'Started'
        ? 'CablePluggedIn'
        : eventType === 'Ended'
          ? 'EVDeparted'
          : 'MeterValuePeriodic',
    seqNo,
    transactionInfo: { transactionId },
    evse: { id: 1, connectorId: 1 },
    ...extra,
  };
}

const energy = (tSec: number, wh: number, unit = 'Wh', multiplier = 0): JsonObject => ({
  meterValue: [
    {
      timestamp: iso(tSec),
      sampledValue: [
        { value: wh, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit, multiplier } },
      ],
    },
  ],
});

describe.each(['2.0.1', '2.1'] as const)('behaviour rules, OCPP %s', (version) => {
  it('TransactionEvent Ended twice is flagged and linked to the first; Updated after Ended too', () => {
    const s = new BehaviourSession(version);
    s.boot(0);
    s.station(1, 'TransactionEvent', txEvent('Started', 'T1', 0, 1));
    const end = s.station(2, 'TransactionEvent', txEvent('Ended', 'T1', 1, 2));
    expect(codes(end)).toEqual([]);
    const again = s.station(3, 'TransactionEvent', txEvent('Ended', 'T1', 2, 3));
    expect(again.findings).toEqual([
      expect.objectContaining({
        code: 'transaction-stopped-twice',
        related: [end.seq],
        spec: `OCPP ${version} E06`,
      }),
    ]);
    expect(codes(s.station(4, 'TransactionEvent', txEvent('Updated', 'T1', 3, 4)))).toEqual([
      'transaction-after-stop',
    ]);
  });

  it('an Updated for a transaction that never started since the boot is unknown', () => {
    const s = new BehaviourSession(version);
    s.boot(100);
    expect(codes(s.station(101, 'TransactionEvent', txEvent('Updated', 'X', 5, 101)))).toEqual([
      'transaction-unknown',
    ]);
    // Its next event is judged against the first one seen, not flagged again.
    expect(codes(s.station(102, 'TransactionEvent', txEvent('Updated', 'X', 6, 102)))).toEqual([]);
    // Before any boot was seen the tool cannot tell.
    const fresh = new BehaviourSession(version);
    expect(codes(fresh.station(1, 'TransactionEvent', txEvent('Updated', 'Y', 5, 1)))).toEqual([]);
  });

  it('seqNo gaps and repeats are flagged; consecutive ones are not', () => {
    const s = new BehaviourSession(version);
    s.boot(0);
    s.station(1, 'TransactionEvent', txEvent('Started', 'T1', 0, 1));
    const one = s.station(2, 'TransactionEvent', txEvent('Updated', 'T1', 1, 2));
    expect(codes(one)).toEqual([]);
    const gap = s.station(3, 'TransactionEvent', txEvent('Updated', 'T1', 4, 3));
    expect(gap.findings).toEqual([expect.objectContaining({ code: 'seqno-gap', related: [one.seq] })]);
    const rep = s.station(4, 'TransactionEvent', txEvent('Updated', 'T1', 4, 4));
    expect(rep.findings).toEqual([expect.objectContaining({ code: 'seqno-repeat', related: [gap.seq] })]);
    expect(codes(s.station(5, 'TransactionEvent', txEvent('Ended', 'T1', 5, 5)))).toEqual([]);
  });

  it('energy going down within a transaction is flagged (multiplier and kWh honoured)', () => {
    const s = new BehaviourSession(version);
    s.boot(0);
    s.station(1, 'TransactionEvent', txEvent('Started', 'T1', 0, 1, energy(1, 1000)));
    const up = s.station(2, 'TransactionEvent', txEvent('Updated', 'T1', 1, 2, energy(2, 2, 'kWh')));
    expect(codes(up)).toEqual([]);
    expect(
      codes(s.station(3, 'TransactionEvent', txEvent('Updated', 'T1', 2, 3, energy(3, 3, 'Wh', 3)))),
    ).toEqual([]);
    const down = s.station(4, 'TransactionEvent', txEvent('Updated', 'T1', 3, 4, energy(4, 2500)));
    expect(down.findings).toEqual([expect.objectContaining({ code: 'meter-energy-decreasing' })]);
    // A new transaction starts its own register history.
    expect(codes(s.station(5, 'TransactionEvent', txEvent('Started', 'T2', 0, 5, energy(5, 10))))).toEqual(
      [],
    );
  });

  it('a connector status transition the 2.x table does not allow is flagged', () => {
    const s = new BehaviourSession(version);
    s.boot(0);
    const st = (t: number, connectorStatus: string, evseId = 1) =>
      s.station(t, 'StatusNotification', { timestamp: iso(t), connectorStatus, evseId, connectorId: 1 });
    st(1, 'Available');
    const occ = st(2, 'Occupied');
    expect(st(3, 'Reserved').findings).toEqual([
      expect.objectContaining({
        code: 'status-transition-not-allowed',
        related: [occ.seq],
        spec: `OCPP ${version} G01`,
      }),
    ]);
    st(4, 'Faulted');
    expect(codes(st(5, 'Reserved'))).toEqual([]);
    expect(codes(st(6, 'Reserved', 2))).toEqual([]);
  });

  it('RequestStartTransaction Accepted with no transaction; near miss: a TransactionEvent with its remoteStartId', () => {
    const s = new BehaviourSession(version);
    s.boot(0, 3600);
    const req = s.command(
      1,
      'RequestStartTransaction',
      { idToken: { idToken: 'A', type: 'Central' }, remoteStartId: 7 },
      {
        status: 'Accepted',
      },
    );
    expect(s.advance(62).map((x) => x.finding)).toEqual([
      expect.objectContaining({ code: 'remote-start-no-transaction', related: [req.seq] }),
    ]);
    s.command(
      100,
      'RequestStartTransaction',
      { idToken: { idToken: 'A', type: 'Central' }, remoteStartId: 8 },
      {
        status: 'Accepted',
      },
    );
    s.station(
      101,
      'TransactionEvent',
      txEvent('Started', 'T9', 0, 101, {
        triggerReason: 'RemoteStart',
        transactionInfo: { transactionId: 'T9', remoteStartId: 8 },
      }),
    );
    expect(s.advance(300)).toEqual([]);
  });

  it('TriggerMessage for a certificate signing: the SignCertificate request satisfies it', () => {
    const s = new BehaviourSession(version);
    s.boot(0, 3600);
    s.command(
      1,
      'TriggerMessage',
      { requestedMessage: 'SignChargingStationCertificate' },
      { status: 'Accepted' },
    );
    s.station(2, 'SignCertificate', { csr: 'x' });
    s.command(
      3,
      'TriggerMessage',
      { requestedMessage: 'TransactionEvent', evse: { id: 1 } },
      { status: 'Accepted' },
    );
    expect(s.advance(40).map((x) => x.finding.code)).toEqual(['trigger-not-sent']);
  });

  it('an idToken rejected by Authorize, then used to start a transaction', () => {
    const s = new BehaviourSession(version);
    s.boot(0);
    const tok = { idToken: 'BAD', type: 'ISO14443' };
    s.ask(1, 'Authorize', { idToken: tok }, { idTokenInfo: { status: 'Invalid' } });
    const ev = s.station(
      2,
      'TransactionEvent',
      txEvent('Started', 'T1', 0, 2, { idToken: tok, triggerReason: 'Authorized' }),
    );
    expect(codes(ev)).toEqual(['idtag-used-after-rejected']);
    // Same string, another token type: another token.
    const other = { idToken: 'BAD', type: 'eMAID' };
    expect(
      codes(s.station(3, 'TransactionEvent', txEvent('Started', 'T2', 0, 3, { idToken: other }))),
    ).toEqual([]);
  });

  it('SetVariables accepted then GetVariables reads another value; the heartbeat interval follows OCPPCommCtrlr', () => {
    const s = new BehaviourSession(version);
    s.boot(0, 3600);
    const comp = { name: 'SampledDataCtrlr' };
    const v = { name: 'TxUpdatedInterval' };
    const set = s.command(
      1,
      'SetVariables',
      { setVariableData: [{ attributeValue: '30', component: comp, variable: v }] },
      {
        setVariableResult: [{ attributeStatus: 'Accepted', component: comp, variable: v }],
      },
    );
    const get = s.csms(2, 'GetVariables', { getVariableData: [{ component: comp, variable: v }] });
    const read = s.result(get, 'station', 2, {
      getVariableResult: [
        { attributeStatus: 'Accepted', attributeValue: '60', component: comp, variable: v },
      ],
    });
    expect(read.findings).toEqual([
      expect.objectContaining({ code: 'configuration-not-applied', related: [set.seq] }),
    ]);
    const hb = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };
    s.command(
      3,
      'SetVariables',
      { setVariableData: [{ attributeValue: '10', ...hb }] },
      {
        setVariableResult: [{ attributeStatus: 'Accepted', ...hb }],
      },
    );
    expect(s.advance(30).map((x) => x.finding.code)).toEqual(['heartbeat-missing']);
  });

  it('Reset of one EVSE expects no reboot; a station Reset does, across a reconnect', () => {
    const s = new BehaviourSession(version);
    s.boot(0, 3600);
    s.command(1, 'Reset', { type: 'Immediate', evseId: 1 }, { status: 'Accepted' });
    expect(s.advance(500)).toEqual([]);
    s.command(501, 'Reset', { type: 'Immediate' }, { status: 'Accepted' });
    s.reconnect(502);
    expect(s.advance(600)).toEqual([]);
    expect(s.advance(682).map((x) => x.finding.code)).toEqual(['reset-no-reboot']);
  });

  it('an OnIdle reset waits for the open transaction to end before its clock starts', () => {
    const s = new BehaviourSession(version);
    s.boot(0, 3600);
    s.station(1, 'TransactionEvent', txEvent('Started', 'T1', 0, 1));
    s.command(2, 'Reset', { type: 'OnIdle' }, { status: 'Scheduled' });
    expect(s.advance(1000)).toEqual([]);
    s.station(1001, 'TransactionEvent', txEvent('Ended', 'T1', 1, 1001));
    expect(s.advance(1100)).toEqual([]);
    expect(s.advance(1182).map((x) => x.finding.code)).toEqual(['reset-no-reboot']);
  });
});

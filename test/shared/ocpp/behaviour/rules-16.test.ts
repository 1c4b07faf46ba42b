import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { BehaviourSession, iso } from '../../../support/behaviour-session';

const codes = (s: { findings: { code: string }[] }) => s.findings.map((f) => f.code);

function started(
  s: BehaviourSession,
  tSec: number,
  transactionId: number,
  meterStart = 1000,
  connectorId = 1,
) {
  return s.ask(
    tSec,
    'StartTransaction',
    { connectorId, idTag: 'TAG1', meterStart, timestamp: iso(tSec) },
    { transactionId, idTagInfo: { status: 'Accepted' } },
  );
}

const stop = (transactionId: number, tSec: number, meterStop = 2000) => ({
  transactionId,
  meterStop,
  timestamp: iso(tSec),
});

describe('behaviour rules, OCPP 1.6', () => {
  it('a second StopTransaction for the same transaction is flagged and linked to the first', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0);
    started(s, 10, 42);
    const first = s.ask(20, 'StopTransaction', stop(42, 20), {});
    expect(first.findings).toEqual([]);
    const second = s.station(21, 'StopTransaction', stop(42, 21));
    expect(second.findings).toEqual([
      expect.objectContaining({
        code: 'transaction-stopped-twice',
        severity: 'error',
        related: [first.seq],
        spec: 'OCPP 1.6 4.10',
      }),
    ]);
  });

  it('near miss: two transactions each stopped once', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0);
    started(s, 10, 42);
    s.ask(20, 'StopTransaction', stop(42, 20), {});
    started(s, 30, 43);
    s.ask(40, 'StopTransaction', stop(43, 40), {});
    expect(s.codes()).toEqual([]);
  });

  it('a stop or meter values for a transaction never started since the boot is unknown; one time-stamped before the boot is not', () => {
    const s = new BehaviourSession('1.6');
    s.boot(1000);
    // Queued from before the boot the tool saw: the station may legitimately still send it.
    expect(codes(s.station(1001, 'StopTransaction', stop(7, 900)))).toEqual([]);
    expect(codes(s.station(1002, 'StopTransaction', stop(8, 1002)))).toEqual(['transaction-unknown']);
    const mv = s.station(1003, 'MeterValues', {
      connectorId: 1,
      transactionId: 9,
      meterValue: [{ timestamp: iso(1003), sampledValue: [{ value: '10' }] }],
    });
    expect(codes(mv)).toEqual(['transaction-unknown']);
  });

  it('meter values after the stop are flagged, before it not', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0);
    started(s, 10, 5);
    const mv = (t: number, v: string) => ({
      connectorId: 1,
      transactionId: 5,
      meterValue: [{ timestamp: iso(t), sampledValue: [{ value: v, unit: 'Wh' }] }],
    });
    expect(codes(s.station(15, 'MeterValues', mv(15, '1500')))).toEqual([]);
    const st = s.ask(20, 'StopTransaction', stop(5, 20), {});
    const late = s.station(25, 'MeterValues', mv(25, '2100'));
    expect(late.findings).toEqual([
      expect.objectContaining({ code: 'transaction-after-stop', related: [st.seq] }),
    ]);
  });

  it('energy going down within a transaction is flagged (kWh and Wh compared), a rising register is not', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0);
    started(s, 10, 5, 1000);
    const mv = (t: number, value: string, unit?: string): JsonObject => ({
      connectorId: 1,
      transactionId: 5,
      meterValue: [
        {
          timestamp: iso(t),
          sampledValue: [
            { value, ...(unit ? { unit } : {}) },
            // Other registers and phases do not count.
            { value: '1', measurand: 'Power.Active.Import', unit: 'W' },
            { value: '0.5', phase: 'L1', unit: 'kWh' },
          ],
        },
      ],
    });
    expect(codes(s.station(20, 'MeterValues', mv(20, '1.5', 'kWh')))).toEqual([]);
    const ok = s.station(30, 'MeterValues', mv(30, '1600'));
    expect(codes(ok)).toEqual([]);
    const down = s.station(40, 'MeterValues', mv(40, '1.2', 'kWh'));
    expect(down.findings).toEqual([
      expect.objectContaining({ code: 'meter-energy-decreasing', related: [ok.seq], spec: 'OCPP 1.6 4.7' }),
    ]);
    // The decrease is judged once: the next reading is compared with the lower one.
    expect(codes(s.station(50, 'StopTransaction', stop(5, 50, 1300)))).toEqual([]);
    // meterStop below meterStart is a decrease too.
    const s2 = new BehaviourSession('1.6');
    s2.boot(0);
    started(s2, 1, 6, 5000);
    expect(codes(s2.station(2, 'StopTransaction', stop(6, 2, 4000)))).toEqual(['meter-energy-decreasing']);
  });

  it('a status transition the 1.6 table does not allow is flagged; allowed ones and repeats are not', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0);
    const st = (t: number, status: string, connectorId = 1) =>
      s.station(t, 'StatusNotification', { connectorId, status, errorCode: 'NoError' });
    st(1, 'Available');
    st(2, 'Preparing');
    st(3, 'Charging');
    st(4, 'Charging');
    const fin = st(5, 'Finishing');
    expect(s.codes()).toEqual([]);
    const bad = st(6, 'Charging');
    expect(bad.findings).toEqual([
      expect.objectContaining({ code: 'status-transition-not-allowed', related: [fin.seq] }),
    ]);
    // Connector 0 moves freely among its three statuses; another connector keeps its own history.
    st(7, 'Available', 0);
    expect(codes(st(8, 'Unavailable', 0))).toEqual([]);
    expect(codes(st(9, 'Finishing', 2))).toEqual([]);
    // After a reboot statuses start afresh.
    s.boot(10);
    expect(codes(st(11, 'Available'))).toEqual([]);
  });

  it('a request while the boot is Pending is flagged unless the CSMS triggered it; Rejected allows nothing', () => {
    const s = new BehaviourSession('1.6');
    s.ask(
      0,
      'BootNotification',
      { chargePointVendor: 'V', chargePointModel: 'M' },
      {
        status: 'Pending',
        currentTime: iso(0),
        interval: 60,
      },
    );
    expect(
      codes(
        s.station(1, 'StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' }),
      ),
    ).toEqual(['traffic-before-boot-accepted']);
    s.command(2, 'TriggerMessage', { requestedMessage: 'StatusNotification' }, { status: 'Accepted' });
    expect(
      codes(
        s.station(3, 'StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' }),
      ),
    ).toEqual([]);
    // A retry well before the interval.
    const retry = s.ask(
      4,
      'BootNotification',
      { chargePointVendor: 'V', chargePointModel: 'M' },
      {
        status: 'Rejected',
        currentTime: iso(4),
        interval: 60,
      },
    );
    expect(codes(retry)).toEqual(['boot-retry-too-soon']);
    expect(codes(s.station(5, 'Heartbeat'))).toEqual(['traffic-before-boot-accepted']);
    // Near miss: retry after the interval, accepted; traffic after that is fine.
    const ok = s.ask(
      70,
      'BootNotification',
      { chargePointVendor: 'V', chargePointModel: 'M' },
      {
        status: 'Accepted',
        currentTime: iso(70),
        interval: 60,
      },
    );
    expect(codes(ok)).toEqual([]);
    expect(codes(s.station(71, 'Heartbeat'))).toEqual([]);
  });

  it('a BootNotification after other requests on the connection is flagged; a reconnect without reboot is fine', () => {
    const s = new BehaviourSession('1.6');
    const hb = s.station(0, 'Heartbeat');
    const boot = s.boot(1);
    expect(boot.findings).toEqual([
      expect.objectContaining({ code: 'boot-after-traffic', related: [hb.seq] }),
    ]);
    s.reconnect(10);
    expect(codes(s.station(11, 'Heartbeat'))).toEqual([]);
  });

  it('heartbeats much more often than the interval are flagged once; on time they are not', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0, 60);
    s.ask(60, 'Heartbeat', {}, { currentTime: iso(60) });
    s.ask(119, 'Heartbeat', {}, { currentTime: iso(119) });
    expect(s.codes()).toEqual([]);
    const prev = s.station(180, 'Heartbeat');
    const fast = s.station(185, 'Heartbeat');
    expect(fast.findings).toEqual([
      expect.objectContaining({ code: 'heartbeat-too-often', related: [prev.seq], spec: 'OCPP 1.6 4.6' }),
    ]);
    expect(codes(s.station(190, 'Heartbeat'))).toEqual([]);
  });

  it('silence well past the interval is a missing heartbeat, reported once; the interval follows ChangeConfiguration', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0, 60);
    expect(s.advance(90)).toEqual([]);
    s.station(91, 'Heartbeat');
    // 60 s x 1.5 + 10 s grace = 100 s of silence allowed.
    expect(s.advance(190)).toEqual([]);
    expect(s.advance(192).map((x) => x.finding.code)).toEqual(['heartbeat-missing']);
    expect(s.advance(400)).toEqual([]);
    s.command(401, 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '600' }, { status: 'Accepted' });
    expect(s.advance(1300)).toEqual([]);
  });

  it('TriggerMessage Accepted with no triggered message within the window; near miss: it comes (even before the answer)', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0);
    const trig = s.command(
      10,
      'TriggerMessage',
      { requestedMessage: 'MeterValues', connectorId: 1 },
      {
        status: 'Accepted',
      },
    );
    expect(s.advance(39)).toEqual([]);
    expect(s.advance(41)).toEqual([
      expect.objectContaining({
        finding: expect.objectContaining({ code: 'trigger-not-sent', related: [trig.seq] }),
      }),
    ]);
    const t2 = s.csms(50, 'TriggerMessage', { requestedMessage: 'StatusNotification' });
    s.station(50.5, 'StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    s.result(t2, 'station', 51, { status: 'Accepted' });
    s.command(60, 'TriggerMessage', { requestedMessage: 'Heartbeat' }, { status: 'Rejected' });
    s.command(70, 'ExtendedTriggerMessage', { requestedMessage: 'Heartbeat' }, { status: 'Accepted' });
    s.station(75, 'Heartbeat');
    expect(s.advance(200)).toEqual([]);
  });

  it('RemoteStartTransaction Accepted with no transaction and no status change; near misses', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0);
    const rs = s.command(
      10,
      'RemoteStartTransaction',
      { connectorId: 1, idTag: 'T' },
      { status: 'Accepted' },
    );
    expect(s.advance(71).map((x) => ({ code: x.finding.code, related: x.finding.related }))).toEqual([
      { code: 'remote-start-no-transaction', related: [rs.seq] },
    ]);
    // Started in time.
    s.command(100, 'RemoteStartTransaction', { connectorId: 1, idTag: 'T' }, { status: 'Accepted' });
    started(s, 120, 77);
    // The connector went Preparing (waiting for the EV) and back: the station reacted.
    s.command(200, 'RemoteStartTransaction', { connectorId: 2, idTag: 'T' }, { status: 'Accepted' });
    s.station(201, 'StatusNotification', { connectorId: 2, status: 'Preparing', errorCode: 'NoError' });
    s.command(300, 'RemoteStartTransaction', { idTag: 'T' }, { status: 'Rejected' });
    expect(s.advance(400)).toEqual([]);
  });

  it('an idTag the CSMS rejected, then used to start a transaction; an Accepted answer clears it', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0);
    const auth = s.station(1, 'Authorize', { idTag: 'BAD' });
    const answer = s.result(auth, 'csms', 1, { idTagInfo: { status: 'Blocked' } });
    const st = s.station(2, 'StartTransaction', {
      connectorId: 1,
      idTag: 'BAD',
      meterStart: 0,
      timestamp: iso(2),
    });
    expect(st.findings).toEqual([
      expect.objectContaining({ code: 'idtag-used-after-rejected', related: [answer.seq] }),
    ]);
    s.ask(10, 'Authorize', { idTag: 'BAD' }, { idTagInfo: { status: 'Accepted' } });
    expect(
      codes(
        s.station(11, 'StartTransaction', {
          connectorId: 1,
          idTag: 'BAD',
          meterStart: 0,
          timestamp: iso(11),
        }),
      ),
    ).toEqual([]);
  });

  it('Reset Accepted with no reboot: flagged on the open connection; near miss: reconnect and boot', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0, 3600);
    const reset = s.command(10, 'Reset', { type: 'Soft' }, { status: 'Accepted' });
    expect(s.advance(189)).toEqual([]);
    expect(s.advance(191)).toEqual([
      expect.objectContaining({
        finding: expect.objectContaining({ code: 'reset-no-reboot', related: [reset.seq] }),
      }),
    ]);
    const ok = new BehaviourSession('1.6');
    ok.boot(0, 3600);
    ok.command(10, 'Reset', { type: 'Hard' }, { status: 'Accepted' });
    ok.reconnect(12);
    ok.boot(40, 3600);
    expect(ok.advance(500)).toEqual([]);
    expect(ok.codes()).toEqual([]);
  });

  it('Reset Accepted, connection closed, no reconnect at all: the scope reports it on the closed connection', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0, 3600);
    const reset = s.command(10, 'Reset', { type: 'Hard' }, { status: 'Accepted' });
    s.close(11);
    expect(s.rules.advance(100_000)).toEqual([]);
    const late = s.rules.advance(191_000);
    expect(late).toEqual([
      expect.objectContaining({
        conn: 'c0',
        finding: expect.objectContaining({ code: 'reset-no-reboot', related: [reset.seq] }),
      }),
    ]);
    expect(s.rules.advance(300_000)).toEqual([]);
  });

  it('configuration: a change accepted that reads back different, and a read-only key changed', () => {
    const s = new BehaviourSession('1.6');
    s.boot(0);
    const set = s.command(
      1,
      'ChangeConfiguration',
      { key: 'MeterValueSampleInterval', value: '30' },
      {
        status: 'Accepted',
      },
    );
    const get = s.csms(2, 'GetConfiguration', { key: ['MeterValueSampleInterval', 'ChargePointId'] });
    const read = s.result(get, 'station', 2, {
      configurationKey: [
        { key: 'MeterValueSampleInterval', readonly: false, value: '60' },
        { key: 'ChargePointId', readonly: true, value: 'CP1' },
      ],
    });
    expect(read.findings).toEqual([
      expect.objectContaining({ code: 'configuration-not-applied', related: [set.seq] }),
    ]);
    const ro = s.csms(3, 'ChangeConfiguration', { key: 'ChargePointId', value: 'X' });
    expect(codes(s.result(ro, 'station', 3, { status: 'Accepted' }))).toEqual([
      'read-only-configuration-changed',
    ]);
    // Near miss: applied as accepted.
    s.command(
      4,
      'ChangeConfiguration',
      { key: 'MeterValueSampleInterval', value: '15' },
      { status: 'Accepted' },
    );
    const g2 = s.csms(5, 'GetConfiguration', {});
    expect(
      codes(
        s.result(g2, 'station', 5, {
          configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value: '15' }],
        }),
      ),
    ).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ScopeEvent } from '../../../shared/capture/events';
import { chargerHealth, ChargerHealthBuilder } from '../../../shared/capture/charger-health';
import { frame, opened } from '../../electron/engine/capture/fixtures';

const T0 = 1_700_000_000_000;
const at = <E extends ScopeEvent>(e: E, t: number): E => ({ ...e, t });

/** A 1.6 charger that boots, keeps a 60 s heartbeat against an agreed 300 s, charges on connector 1, reconnects. */
function day(): ScopeEvent[] {
  let seq = 0;
  const s = (conn: string, text: string, t: number) => at(frame(seq++, conn, 'station', text), t);
  const c = (conn: string, text: string, t: number) => at(frame(seq++, conn, 'csms', text), t);
  const ev: ScopeEvent[] = [
    at(opened(seq++, 'c1', 'CP-H'), T0),
    s('c1', '[2,"b","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]', T0 + 10),
    c('c1', '[3,"b",{"status":"Accepted","currentTime":"2026-01-01T00:00:00Z","interval":300}]', T0 + 20),
    s(
      'c1',
      '[2,"s1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available"}]',
      T0 + 30,
    ),
    s(
      'c1',
      '[2,"s2","StatusNotification",{"connectorId":2,"errorCode":"GroundFailure","status":"Faulted"}]',
      T0 + 40,
    ),
    s('c1', '[2,"h1","Heartbeat",{}]', T0 + 60_000),
    s('c1', '[2,"h2","Heartbeat",{}]', T0 + 120_000),
    s('c1', '[2,"h3","Heartbeat",{}]', T0 + 180_000),
    s(
      'c1',
      '[2,"t1","StartTransaction",{"connectorId":1,"idTag":"TAG","meterStart":0,"timestamp":"2026-01-01T00:00:00Z"}]',
      T0 + 190_000,
    ),
    c('c1', '[3,"t1",{"transactionId":42,"idTagInfo":{"status":"Accepted"}}]', T0 + 190_010),
    s(
      'c1',
      '[2,"s3","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging"}]',
      T0 + 190_020,
    ),
    {
      kind: 'pong',
      seq: seq++,
      t: T0 + 200_000,
      mono: 0,
      conn: 'c1',
      sender: 'station',
      data: '',
      rttMs: 12,
    },
    {
      kind: 'pong',
      seq: seq++,
      t: T0 + 230_000,
      mono: 0,
      conn: 'c1',
      sender: 'station',
      data: '',
      rttMs: 30,
    },
    {
      kind: 'closed',
      seq: seq++,
      t: T0 + 240_000,
      mono: 0,
      conn: 'c1',
      code: 1006,
      reason: '',
      by: 'none',
      clean: false,
    },
  ];
  const failed = opened(seq++, 'c2', 'CP-H', T0 + 250_000);
  ev.push({
    ...failed,
    ok: false,
    handshake: {
      ...failed.handshake,
      response: { startLine: 'HTTP/1.1 401 Unauthorized', headers: [], status: 401 },
      findings: [
        {
          code: 'auth-wrong-password',
          severity: 'error',
          message: 'The password sent for "CP-H" is not the configured one.',
        },
      ],
    },
  });
  ev.push(at(opened(seq++, 'c3', 'CP-H'), T0 + 260_000));
  ev.push({
    ...s('c3', '[2,"m","MeterValues",{"connectorId":1,"meterValue":[]}]', T0 + 270_000),
    findings: [{ code: 'x', severity: 'warning', message: 'w' }],
  });
  return ev;
}

describe('chargerHealth: a per-charger summary from the event stream', () => {
  it('reads boot, heartbeat agreed vs observed, connectors, last transaction, findings and link quality', () => {
    const [h] = chargerHealth(day());
    expect(h).toMatchObject({
      identity: 'CP-H',
      state: 'open',
      version: '1.6',
      reconnects: 1,
      failedAttempts: 1,
      boot: { status: 'Accepted', intervalSec: 300 },
      heartbeat: { agreedSec: 300, observedSec: 60, count: 3 },
      lastTransaction: { event: 'started', id: '42', connector: '1' },
      findings: { error: 1, warning: 1, info: 0 },
      ping: { count: 2, lastRttMs: 30, medianRttMs: 21 },
    });
    expect(h!.connectors).toEqual([
      { connector: '1', status: 'Charging', at: T0 + 190_020 },
      { connector: '2', status: 'Faulted', errorCode: 'GroundFailure', at: T0 + 40 },
    ]);
    expect(h!.lastFailure).toMatchObject({ step: 'auth', code: 'auth-wrong-password' });
  });

  it('2.0.1: StatusNotification by EVSE and TransactionEvent; a boot never answered says so', () => {
    const ev: ScopeEvent[] = [
      { ...opened(0, 'd1', 'CP-2'), connection: { ...opened(0, 'd1', 'CP-2').connection, version: '2.0.1' } },
      frame(
        1,
        'd1',
        'station',
        '[2,"b","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V"}}]',
      ),
      frame(
        2,
        'd1',
        'station',
        '[2,"s","StatusNotification",{"timestamp":"2026-01-01T00:00:00Z","connectorStatus":"Occupied","evseId":1,"connectorId":1}]',
      ),
      frame(
        3,
        'd1',
        'station',
        '[2,"t","TransactionEvent",{"eventType":"Ended","timestamp":"2026-01-01T00:00:00Z","triggerReason":"EVDeparted","seqNo":3,"transactionInfo":{"transactionId":"TX-9"},"evse":{"id":1}}]',
      ),
    ];
    const [h] = chargerHealth(ev);
    expect(h!.boot).toMatchObject({ status: 'unanswered' });
    expect(h!.connectors).toMatchObject([{ connector: '1/1', status: 'Occupied' }]);
    expect(h!.lastTransaction).toMatchObject({ event: 'ended', id: 'TX-9', connector: '1' });
    expect(h!.heartbeat).toEqual({ count: 0 });
  });

  it('is incremental: the same answer event by event as all at once, and a bad frame is not a crash', () => {
    const b = new ChargerHealthBuilder();
    for (const e of day()) b.add(e);
    b.add({
      ...frame(99, 'c3', 'station', '[2,"z","StatusNotification",{}]'),
      text: '[2,"z","StatusNotification",',
    });
    expect(b.get('CP-H')?.heartbeat).toEqual(chargerHealth(day())[0]!.heartbeat);
    expect(b.get('nobody')).toBeUndefined();
  });
});

import type { FrameEvent, OpenedEvent, ScopeEvent } from '../../../../shared/capture/events';

/** Builders for realistic events, so tests and the bench produce the same shapes the engine records. */
export function opened(seq: number, conn: string, identity: string, t = 1_700_000_000_000): OpenedEvent {
  return {
    kind: 'opened',
    seq,
    t,
    mono: 0,
    conn,
    ok: true,
    connection: {
      id: conn,
      role: 'endpoint',
      identity,
      url: `ws://127.0.0.1:9000/ocpp/${identity}`,
      version: '1.6',
    },
    handshake: {
      request: {
        startLine: `GET /ocpp/${identity} HTTP/1.1`,
        headers: [
          ['Host', '127.0.0.1:9000'],
          ['Sec-WebSocket-Protocol', 'ocpp1.6'],
          ['Authorization', 'Basic ' + Buffer.from(`${identity}:s3cret`).toString('base64')],
        ],
      },
      response: {
        startLine: 'HTTP/1.1 101 Switching Protocols',
        headers: [['Sec-WebSocket-Protocol', 'ocpp1.6']],
        status: 101,
      },
      offeredProtocols: ['ocpp1.6'],
      chosenProtocol: 'ocpp1.6',
      basicAuth: { username: identity, password: 's3cret', passwordHex: '733363726574', printable: true },
      findings: [],
    },
  };
}

export function frame(
  seq: number,
  conn: string,
  sender: 'station' | 'csms',
  text: string,
  extra: Partial<FrameEvent> = {},
): FrameEvent {
  const v = JSON.parse(text) as unknown[];
  const type = v[0] as 2 | 3 | 4;
  return {
    kind: 'frame',
    seq,
    t: 1_700_000_000_000 + seq * 10,
    mono: seq * 10,
    conn,
    sender,
    text,
    msg: { type, id: String(v[1]), ...(type === 2 ? { action: String(v[2]) } : {}) },
    findings: [],
    ...extra,
  };
}

/** A session: boot, heartbeats, meter values with findings every 7th, one status with a quote in the text. */
export function session(conn: string, identity: string, n: number, startSeq = 0): ScopeEvent[] {
  const out: ScopeEvent[] = [opened(startSeq, conn, identity)];
  let seq = startSeq + 1;
  for (let i = 0; out.length < n; i++) {
    const id = `${conn}-${i}`;
    const action = i === 0 ? 'BootNotification' : i % 3 === 0 ? 'MeterValues' : 'Heartbeat';
    const payload =
      action === 'BootNotification'
        ? { chargePointVendor: 'Acme "quoted"', chargePointModel: 'X1' }
        : action === 'MeterValues'
          ? {
              connectorId: 1,
              meterValue: [{ timestamp: '2023-11-14T22:13:20.000Z', sampledValue: [{ value: String(i) }] }],
            }
          : {};
    const req = frame(seq++, conn, 'station', JSON.stringify([2, id, action, payload]), {
      findings:
        i % 7 === 6
          ? [{ code: 'schema-additional-property', severity: 'warning', message: 'extra field' }]
          : [],
    });
    out.push(req);
    const res = frame(
      seq++,
      conn,
      'csms',
      JSON.stringify([
        3,
        id,
        action === 'Heartbeat'
          ? { currentTime: '2023-11-14T22:13:20.000Z' }
          : { status: 'Accepted', currentTime: '2023-11-14T22:13:20.000Z', interval: 300 },
      ]),
      {
        pair: { partnerSeq: req.seq, rttMs: 5 + (i % 10) },
      },
    );
    res.msg!.action = action;
    out.push(res);
  }
  return out.slice(0, n);
}

import type { FrameEvent, OpenedEvent, ScopeEvent } from '../../../renderer/src/types';

let seq = 0;
export function resetSeq(): void {
  seq = 0;
}

export function opened(conn: string, identity: string): OpenedEvent {
  return {
    seq: seq++,
    t: 1_700_000_000_000 + seq,
    mono: seq,
    conn,
    kind: 'opened',
    ok: true,
    connection: { id: conn, role: 'endpoint', identity, url: `ws://127.0.0.1/${identity}`, version: '1.6' },
    handshake: {
      request: { startLine: 'GET / HTTP/1.1', headers: [] },
      offeredProtocols: ['ocpp1.6'],
      findings: [],
    },
  };
}

export function frame(
  conn: string,
  patch: Partial<FrameEvent> & Pick<FrameEvent, 'sender' | 'text'>,
): FrameEvent {
  return { seq: seq++, t: 1_700_000_000_000 + seq, mono: seq, conn, kind: 'frame', findings: [], ...patch };
}

/** A CALL from the station and its CALLRESULT, paired as the engine pairs them (only the response carries pair). */
export function exchange(conn: string, action: string, rttMs: number): [FrameEvent, FrameEvent] {
  const id = `id-${seq}`;
  const call = frame(conn, {
    sender: 'station',
    text: `[2,"${id}","${action}",{}]`,
    msg: { type: 2, id, action },
  });
  const result = frame(conn, {
    sender: 'csms',
    text: `[3,"${id}",{}]`,
    msg: { type: 3, id, action },
    pair: { partnerSeq: call.seq, rttMs },
  });
  return [call, result];
}

export type { ScopeEvent };

import { beforeEach, describe, expect, it } from 'vitest';
import {
  exchangeOf,
  peerSent,
  RTT_COLUMN_HINT,
  rttSentence,
  rttWhere,
  toolSender,
  toolSide,
} from '../../../../renderer/src/logic/tool-side';
import type { PingEvent } from '../../../../renderer/src/types';
import { exchange, frame, opened, resetSeq } from '../fixtures';

function pong(sender: PingEvent['sender'], rttMs: number): PingEvent {
  return { seq: 0, t: 0, mono: 0, conn: 'c1', kind: 'pong', sender, data: '00', rttMs };
}

describe('the tool’s side of the wire', () => {
  beforeEach(resetSeq);

  it('is the role it played, or an import’s own timestamps (har-1, pcap-2), even without the role', () => {
    expect(toolSide({ id: 'c1', role: 'endpoint' })).toBe('endpoint');
    expect(toolSide({ id: 'c2', role: 'station' })).toBe('station');
    expect(toolSide({ id: 'c3', role: 'proxy' })).toBe('proxy');
    // Imports call themselves 'station' (the side the file saw the traffic from): the tool measured nothing.
    expect(toolSide({ id: 'har-1', role: 'station' })).toBe('har');
    expect(toolSide({ id: 'pcap-2' })).toBe('pcap');
    expect(toolSide({ id: 'c1' })).toBeUndefined();
    expect(toolSide(undefined)).toBeUndefined();
  });

  it('says whether the peer sent a frame only where the tool took part', () => {
    expect(peerSent({ id: 'c1', role: 'endpoint' }, 'station')).toBe(true);
    expect(peerSent({ id: 'c1', role: 'endpoint' }, 'csms')).toBe(false);
    expect(peerSent({ id: 'c1', role: 'station' }, 'station')).toBe(false);
    expect(peerSent({ id: 'c1', role: 'proxy' }, 'csms')).toBe(true);
    expect(peerSent({ id: 'pcap-1', role: 'station' }, 'station')).toBeUndefined();
    expect(peerSent({ id: 'c1' }, 'station')).toBeUndefined();
    expect(toolSender('endpoint')).toBe('csms');
    expect(toolSender('station')).toBe('station');
    expect(toolSender('proxy')).toBeUndefined();
  });

  it('reads who asked from a CALL, an answer (also a malformed one) and a pong', () => {
    const [call, result] = exchange('c1', 'Heartbeat', 4);
    expect(exchangeOf(call)).toEqual({ requester: 'station' });
    expect(exchangeOf(result)).toEqual({ requester: 'station' });
    const malformed = frame('c1', { sender: 'csms', text: '[3,', pair: { partnerSeq: call.seq, rttMs: 2 } });
    expect(exchangeOf(malformed)).toEqual({ requester: 'station' });
    expect(exchangeOf(pong('station', 3))).toEqual({ requester: 'csms', ping: true });
    expect(exchangeOf(opened('c1', 'CP1'))).toEqual({});
  });
});

describe('where a round trip was measured', () => {
  beforeEach(resetSeq);

  it('as the CSMS: at its socket, from the charger’s request read to our answer sent, or the other way', () => {
    expect(rttWhere('endpoint', { requester: 'station' })).toBe(
      'measured by OCPP Scope as the CSMS (endpoint), at its socket: from the charger’s request read from the socket to our answer handed to it',
    );
    expect(rttWhere('endpoint', { requester: 'csms' })).toBe(
      'measured by OCPP Scope as the CSMS (endpoint), at its socket: from our request handed to the socket to the charger’s answer read from it',
    );
    // A connection's last round trip, either way.
    expect(rttWhere('endpoint')).toBe(
      'measured by OCPP Scope as the CSMS (endpoint), at its socket: from the charger’s request read from the socket to our answer handed to it, or from our request handed to the socket to the charger’s answer read from it',
    );
  });

  it('as the charging station: at its socket, with the CSMS as the peer', () => {
    expect(rttWhere('station', { requester: 'station' })).toBe(
      'measured by OCPP Scope as the charging station, at its socket: from our request handed to the socket to the CSMS’s answer read from it',
    );
    expect(rttWhere('station', { requester: 'csms' })).toBe(
      'measured by OCPP Scope as the charging station, at its socket: from the CSMS’s request read from the socket to our answer handed to it',
    );
    expect(rttWhere('station', { requester: 'station', ping: true })).toBe(
      'measured by OCPP Scope as the charging station, at its socket: from our ping handed to the socket to the CSMS’s pong read from it',
    );
  });

  it('as the proxy: between its two legs, the forwarding included', () => {
    expect(rttWhere('proxy', { requester: 'station' })).toBe(
      'measured by OCPP Scope as the proxy, between its two legs: from the charger’s request read on the charger leg to the CSMS’s answer read on the CSMS leg (forwarding, and any time a frame was held, included)',
    );
    expect(rttWhere('proxy', { requester: 'csms' })).toMatch(
      /from the CSMS’s request read on the CSMS leg to the charger’s answer read on the charger leg/,
    );
    expect(rttWhere('proxy')).toMatch(/from a request read on one leg to its answer read on the other/);
  });

  it('an import’s round trips are its file’s timestamps, and an unknown connection says so', () => {
    expect(rttWhere('har', { requester: 'station' })).toMatch(
      /imported HAR file.*not measured by OCPP Scope/,
    );
    expect(rttWhere('pcap')).toMatch(/packet timestamps in the imported pcap.*not measured by OCPP Scope/);
    expect(rttWhere(undefined)).toMatch(/not known/);
  });

  it('puts the time first, in the words the detail pane shows; nothing without a time', () => {
    const [, result] = exchange('c1', 'BootNotification', 12);
    expect(rttSentence(12, toolSide({ id: 'c1', role: 'endpoint' }), exchangeOf(result))).toBe(
      '12 ms, measured by OCPP Scope as the CSMS (endpoint), at its socket: from the charger’s request read from the socket to our answer handed to it',
    );
    expect(rttSentence(0.4, 'station', exchangeOf(result))).toMatch(
      /^<1 ms, measured by OCPP Scope as the charging station/,
    );
    expect(rttSentence(undefined, 'endpoint')).toBe('');
    expect(RTT_COLUMN_HINT).toMatch(
      /as the CSMS or as the charging station at its socket, as the proxy between/,
    );
  });
});

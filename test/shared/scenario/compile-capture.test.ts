import { describe, expect, it } from 'vitest';
import type { ScopeEvent } from '../../../shared/capture/events';
import { compileCapture } from '../../../shared/scenario/compile-capture';
import { readScenario } from '../../../shared/scenario/parse-scenario';

let seq = 0;
function frame(sender: 'station' | 'csms', text: string): ScopeEvent {
  return { kind: 'frame', seq: seq++, t: 0, mono: 0, conn: 'c1', sender, text, findings: [] };
}

const events: ScopeEvent[] = [
  {
    kind: 'opened',
    seq: seq++,
    t: 0,
    mono: 0,
    conn: 'c1',
    ok: true,
    connection: { id: 'c1', role: 'endpoint', identity: 'CP1', url: 'ws://x/CP1', version: '1.6' },
    handshake: {
      request: { startLine: 'GET /CP1 HTTP/1.1', headers: [] },
      offeredProtocols: [],
      findings: [],
    },
  },
  frame(
    'station',
    '[2,"a","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2025-01-01T00:00:00Z"}]',
  ),
  frame('csms', '[3,"a",{"transactionId":5,"idTagInfo":{"status":"Accepted"}}]'),
  frame('csms', '[2,"b","RemoteStopTransaction",{"transactionId":5}]'),
  frame('station', '[3,"b",{"status":"Accepted"}]'),
  frame('csms', '[2,"c","Reset",{"type":"Soft"}]'),
  frame('station', '[4,"c","NotImplemented","",{}]'),
];

describe('compileCapture', () => {
  it('tests the recorded charger: its CALLs become expects with the recorded answer, ours become sends', () => {
    const s = compileCapture(events, { role: 'csms' });
    if ('error' in s) throw new Error(s.error);
    expect(s.version).toBe('1.6');
    expect(s.cases[0]!.steps).toEqual([
      {
        step: 'answer',
        action: 'StartTransaction',
        with: { payload: { transactionId: 5, idTagInfo: { status: 'Accepted' } } },
      },
      {
        step: 'expect',
        messageType: 'CALL',
        action: 'StartTransaction',
        match: {
          '/connectorId': { exists: true },
          '/idTag': { exists: true },
          '/meterStart': { exists: true },
          '/timestamp': { exists: true },
        },
      },
      { step: 'send', action: 'RemoteStopTransaction', payload: { transactionId: 5 } },
      { step: 'expect', messageType: 'CALLRESULT', match: { '/status': { equals: 'Accepted' } } },
      { step: 'send', action: 'Reset', payload: { type: 'Soft' } },
      { step: 'expect', messageType: 'CALLERROR', errorCode: 'NotImplemented' },
    ]);
    expect(readScenario(JSON.parse(JSON.stringify(s))).ok).toBe(true);
  });

  it('tests the recorded CSMS: the id it assigned is captured and used in later sends, times become {{now}}', () => {
    const s = compileCapture(events, { role: 'station' });
    if ('error' in s) throw new Error(s.error);
    const [send, expectResult] = s.cases[0]!.steps;
    expect(send).toMatchObject({
      step: 'send',
      action: 'StartTransaction',
      payload: { timestamp: '{{now}}' },
    });
    expect(expectResult).toMatchObject({
      step: 'expect',
      messageType: 'CALLRESULT',
      capture: { transactionId1: '/transactionId' },
      match: { '/transactionId': { type: 'number' }, '/idTagInfo/status': { equals: 'Accepted' } },
    });
    const stop = s.cases[0]!.steps.find((x) => x.step === 'expect' && x.action === 'RemoteStopTransaction');
    expect(stop).toMatchObject({ match: { '/transactionId': { type: 'number' } } });
    expect(s.cases[0]!.steps).toContainEqual({
      step: 'answer',
      action: 'RemoteStopTransaction',
      with: { payload: { status: 'Accepted' } },
    });
    expect(readScenario(JSON.parse(JSON.stringify(s))).ok).toBe(true);
  });

  it('says why it cannot compile', () => {
    expect(compileCapture([], { role: 'csms' })).toEqual({ error: 'The capture has no frames to compile.' });
  });
});

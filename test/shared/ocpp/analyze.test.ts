import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sender } from '../../../shared/capture/events';
import { analyzeFrame } from '../../../shared/ocpp/analyze';
import { actionsOf } from '../../../shared/ocpp/actions';
import { exampleRequest } from '../../../shared/ocpp/examples';
import { buildCall, buildCallResult } from '../../../shared/ocpp/frame';
import type { JsonObject } from '../../../shared/ocpp/json';
import { PairingTracker } from '../../../shared/ocpp/pairing';
import type { OcppVersion } from '../../../shared/ocpp/versions';

function session(version: OcppVersion | undefined, tracker = new PairingTracker()) {
  let seq = 0;
  return (sender: Sender, text: string, mono = seq) =>
    analyzeFrame({ text, sender, version, conn: 'c', seq: seq++, mono, tracker });
}
const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

describe('analyzeFrame', () => {
  it('a clean exchange: summary, no findings, pairing with RTT and the request seq', () => {
    const s = session('1.6');
    const req = s(
      'station',
      '[2,"b1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]',
      100,
    );
    expect(req).toMatchObject({ msg: { type: 2, id: 'b1', action: 'BootNotification' }, findings: [] });
    expect(req.pair).toBeUndefined();
    const res = s(
      'csms',
      '[3,"b1",{"status":"Accepted","currentTime":"2025-01-01T00:00:00Z","interval":300}]',
      130,
    );
    expect(res).toMatchObject({
      msg: { type: 3, id: 'b1', action: 'BootNotification' },
      findings: [],
      pair: { partnerSeq: 0, rttMs: 30 },
      requestSeq: 0,
    });
    expect(res.frame).toMatchObject({ type: 3, payload: { status: 'Accepted' } });
  });

  it('validates a CALLRESULT by the action of the CALL it answers', () => {
    const s = session('2.0.1');
    s(
      'csms',
      '[2,"g","GetVariables",{"getVariableData":[{"component":{"name":"C"},"variable":{"name":"V"}}]}]',
    );
    const r = s(
      'station',
      '[3,"g",{"getVariableResult":[{"attributeStatus":"Fine","component":{"name":"C"},"variable":{"name":"V"}}]}]',
    );
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      code: 'schema-enum',
      path: '/getVariableResult/0/attributeStatus',
      errorCode: 'PropertyConstraintViolation',
    });
  });

  it('validates a CALL payload with the error code of the version', () => {
    const r16 = session('1.6')('station', buildCall('1', 'Authorize', {}));
    expect(r16.findings).toEqual([
      expect.objectContaining({
        code: 'schema-required',
        path: '/idTag',
        errorCode: 'OccurenceConstraintViolation',
      }),
    ]);
    const r21 = session('2.1')('station', buildCall('1', 'Authorize', {}));
    expect(r21.findings).toEqual([
      expect.objectContaining({
        code: 'schema-required',
        path: '/idToken',
        errorCode: 'OccurrenceConstraintViolation',
      }),
    ]);
  });

  it('flags an action sent by the wrong side', () => {
    const r = session('2.0.1')(
      'csms',
      buildCall('1', 'BootNotification', {
        reason: 'PowerUp',
        chargingStation: { model: 'M', vendorName: 'V' },
      }),
    );
    expect(r.findings).toEqual([
      {
        code: 'wrong-direction',
        severity: 'error',
        message: 'BootNotification is sent by the charging station, but here the CSMS sent it',
        errorCode: 'NotSupported',
      },
    ]);
    expect(codes(session('1.6')('csms', buildCall('1', 'DataTransfer', { vendorId: 'x' })))).toEqual([]);
    expect(codes(session('1.6')('station', buildCall('1', 'DataTransfer', { vendorId: 'x' })))).toEqual([]);
  });

  it('flags an unknown action once, without schema noise, and does not validate its answer', () => {
    const s = session('1.6');
    expect(s('csms', buildCall('x', 'GetVariables', {})).findings).toEqual([
      expect.objectContaining({ code: 'unknown-action', errorCode: 'NotImplemented' }),
    ]);
    const r = s('station', buildCallResult('x', { anything: 1 }));
    expect(r).toMatchObject({ msg: { action: 'GetVariables' }, findings: [], requestSeq: 0 });
  });

  it('checks SEND against CALL in 2.1', () => {
    const s = session('2.1');
    const stream = '{"id":1,"pending":0,"basetime":"2025-01-01T00:00:00Z","data":[{"t":0,"v":"1"}]}';
    expect(s('station', `[6,"s","NotifyPeriodicEventStream",${stream}]`).findings).toEqual([]);
    expect(codes(s('station', `[2,"c","NotifyPeriodicEventStream",${stream}]`))).toEqual([
      'call-for-send-only',
    ]);
    expect(codes(s('station', '[6,"h","Heartbeat",{}]'))).toEqual(['send-not-allowed']);
    expect(codes(s('csms', '[3,"s",{}]'))).toEqual(['response-type-mismatch']);
  });

  it('flags an error code the version does not define, with a hint for near misses', () => {
    const s = session('2.0.1');
    s('csms', buildCall('r', 'Reset', { type: 'Immediate' }));
    const r = s('station', '[4,"r","OccurenceConstraintViolation","",{}]');
    expect(r.msg).toEqual({ type: 4, id: 'r', errorCode: 'OccurenceConstraintViolation', action: 'Reset' });
    expect(r.findings).toEqual([
      {
        code: 'unknown-error-code',
        severity: 'warning',
        message:
          '"OccurenceConstraintViolation" is not an OCPP 2.0.1 error code (that is the 1.6 spelling; 2.x uses OccurrenceConstraintViolation)',
      },
    ]);
    expect(codes(session('1.6')('station', '[4,"q","FormationViolation","",{}]'))).not.toContain(
      'unknown-error-code',
    );
    expect(codes(session('1.6')('station', '[4,"q","Error","",{}]'))).toContain('unknown-error-code');
  });

  it('returns the parse problem for a frame that does not parse, and no msg', () => {
    const r = session('2.0.1')('station', '[2,"a","Heartbeat",');
    expect(r.msg).toBeUndefined();
    expect(r.problem).toMatchObject({ code: 'not-json', errorCode: 'RpcFrameworkError', messageId: 'a' });
    expect(r.findings).toEqual([]);
  });

  it('still pairs a malformed response whose id can be read, so its request does not time out', () => {
    const s = session('2.0.1');
    s('station', '[2,"h","Heartbeat",{}]', 0);
    const r = s('csms', '[3,"h",null]', 8);
    expect(r).toMatchObject({
      problem: { code: 'payload-not-object', messageId: 'h', errorCode: 'FormatViolation' },
      findings: [],
      pair: { partnerSeq: 0, rttMs: 8 },
      requestSeq: 0,
    });
    expect(r.msg).toBeUndefined();
    expect(codes(s('csms', '[3,"h",{"currentTime":"2025-01-01T00:00:00Z"}]', 9))).toEqual([
      'duplicate-response',
    ]);
    // A broken response to nothing is still named.
    expect(codes(s('csms', '[4,"nobody","GenericError"]', 10))).toEqual(['response-to-unknown-id']);
  });

  it('without a version: framing and pairing only', () => {
    const s = session(undefined);
    expect(s('csms', buildCall('1', 'BootNotification', {})).findings).toEqual([]);
    expect(s('station', buildCallResult('1', {}))).toMatchObject({ findings: [], requestSeq: 0 });
  });

  it('skips pairing without a tracker and schema checks when asked', () => {
    const r = analyzeFrame({
      text: '[3,"x",{}]',
      sender: 'csms',
      version: '1.6',
      conn: 'c',
      seq: 0,
      mono: 0,
    });
    expect(r).toMatchObject({ msg: { type: 3, id: 'x' }, findings: [] });
    const noSchema = analyzeFrame({
      text: buildCall('1', 'Authorize', {}),
      sender: 'station',
      version: '1.6',
      conn: 'c',
      seq: 0,
      mono: 0,
      validate: false,
    });
    expect(noSchema.findings).toEqual([]);
  });

  it('never throws on arbitrary streams of frames, valid, near-valid or garbage, in any version', () => {
    const ids = fc.constantFrom('1', '2', '3', 'x');
    const actions = fc.constantFrom(...actionsOf('2.1').map((a) => a.name), 'Nope', '');
    const frameText = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.tuple(ids, actions).map(([id, a]) => buildCall(id, a, exampleRequest('2.1', a))),
      fc
        .tuple(ids, actions, fc.dictionary(fc.string(), fc.jsonValue()))
        .map(([id, a, p]) => buildCall(id, a, p as JsonObject)),
      fc
        .tuple(ids, fc.dictionary(fc.string(), fc.jsonValue()))
        .map(([id, p]) => buildCallResult(id, p as JsonObject)),
      fc
        .tuple(fc.integer({ min: 2, max: 6 }), ids, fc.jsonValue(), fc.jsonValue(), fc.jsonValue())
        .map((t) => JSON.stringify(t.slice(0, 3 + (t[0] % 3)))),
    );
    const step = fc.record({ sender: fc.constantFrom<Sender>('station', 'csms'), text: frameText });
    fc.assert(
      fc.property(
        fc.constantFrom<OcppVersion | undefined>('1.6', '2.0.1', '2.1', undefined),
        fc.array(step, { maxLength: 30 }),
        (version, steps) => {
          const s = session(version, new PairingTracker({ timeoutMs: 5 }));
          for (const st of steps) {
            const r = s(st.sender, st.text);
            expect(r.msg !== undefined || r.problem !== undefined).toBe(true);
            for (const f of r.findings) expect(f.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildCall,
  buildCallError,
  buildCallResult,
  buildCallResultError,
  buildSend,
  frameToArray,
  newMessageId,
  parseFrame,
  serializeFrame,
} from '../../../shared/ocpp/frame';
import type { Frame, FrameProblemCode } from '../../../shared/ocpp/frame-types';
import type { JsonObject, JsonValue } from '../../../shared/ocpp/json';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { OCPP_VERSIONS } from '../../../shared/ocpp/versions';

type Codes = Record<OcppVersion, string>;
const FRAME_16_2X: Codes = {
  '1.6': 'FormationViolation',
  '2.0.1': 'RpcFrameworkError',
  '2.1': 'RpcFrameworkError',
};
const TYPE_16_2X: Codes = {
  '1.6': 'FormationViolation',
  '2.0.1': 'MessageTypeNotSupported',
  '2.1': 'MessageTypeNotSupported',
};
const PAYLOAD_16_2X: Codes = {
  '1.6': 'FormationViolation',
  '2.0.1': 'FormatViolation',
  '2.1': 'FormatViolation',
};

interface Row {
  text: string;
  code: FrameProblemCode;
  errorCode: Codes;
  messageId?: string;
  position?: number;
}

// The table of malformed frames: each one gets exactly this problem and, per version, this error code.
const MALFORMED: Row[] = [
  { text: '', code: 'not-json', errorCode: FRAME_16_2X, position: 0 },
  { text: 'hello', code: 'not-json', errorCode: FRAME_16_2X, position: 0 },
  {
    text: '[2,"abc","Heartbeat",{]',
    code: 'not-json',
    errorCode: FRAME_16_2X,
    messageId: 'abc',
    position: 22,
  },
  {
    text: '[2,"id-7","Authorize",{"idTag":"A"}',
    code: 'not-json',
    errorCode: FRAME_16_2X,
    messageId: 'id-7',
    position: 35,
  },
  { text: "[2,'x','Heartbeat',{}]", code: 'not-json', errorCode: FRAME_16_2X, position: 3 },
  {
    text: '\ufeff[2,"a","Heartbeat",{}]',
    code: 'not-json',
    errorCode: FRAME_16_2X,
    messageId: 'a',
    position: 0,
  },
  { text: '{"messageTypeId":2}', code: 'not-array', errorCode: FRAME_16_2X },
  { text: '"[2,\\"a\\",\\"Heartbeat\\",{}]"', code: 'not-array', errorCode: FRAME_16_2X },
  { text: 'null', code: 'not-array', errorCode: FRAME_16_2X },
  { text: '[]', code: 'empty-array', errorCode: FRAME_16_2X },
  {
    text: '["2","a","Heartbeat",{}]',
    code: 'message-type-not-number',
    errorCode: FRAME_16_2X,
    messageId: 'a',
  },
  { text: '[7,"a","Heartbeat",{}]', code: 'unknown-message-type', errorCode: TYPE_16_2X, messageId: 'a' },
  { text: '[2.5,"a","Heartbeat",{}]', code: 'unknown-message-type', errorCode: TYPE_16_2X, messageId: 'a' },
  { text: '[1,"a","Heartbeat",{}]', code: 'unknown-message-type', errorCode: TYPE_16_2X, messageId: 'a' },
  { text: '[2,42,"Heartbeat",{}]', code: 'message-id-not-string', errorCode: FRAME_16_2X },
  { text: '[2,null,"Heartbeat",{}]', code: 'message-id-not-string', errorCode: FRAME_16_2X },
  { text: '[2,"","Heartbeat",{}]', code: 'message-id-empty', errorCode: FRAME_16_2X },
  {
    text: `[2,"${'x'.repeat(37)}","Heartbeat",{}]`,
    code: 'message-id-too-long',
    errorCode: FRAME_16_2X,
    messageId: 'x'.repeat(37),
  },
  { text: '[2]', code: 'wrong-element-count', errorCode: FRAME_16_2X },
  { text: '[2,"a","Heartbeat"]', code: 'wrong-element-count', errorCode: FRAME_16_2X, messageId: 'a' },
  { text: '[2,"a","Heartbeat",{},{}]', code: 'wrong-element-count', errorCode: FRAME_16_2X, messageId: 'a' },
  { text: '[3,"a"]', code: 'wrong-element-count', errorCode: FRAME_16_2X, messageId: 'a' },
  {
    text: '[4,"a","GenericError","oops"]',
    code: 'wrong-element-count',
    errorCode: FRAME_16_2X,
    messageId: 'a',
  },
  { text: '[2,"a",5,{}]', code: 'action-not-string', errorCode: FRAME_16_2X, messageId: 'a' },
  { text: '[2,"a","",{}]', code: 'action-empty', errorCode: FRAME_16_2X, messageId: 'a' },
  { text: '[2,"a","Heartbeat",[]]', code: 'payload-not-object', errorCode: PAYLOAD_16_2X, messageId: 'a' },
  { text: '[2,"a","Heartbeat",null]', code: 'payload-not-object', errorCode: PAYLOAD_16_2X, messageId: 'a' },
  { text: '[2,"a","Heartbeat","{}"]', code: 'payload-not-object', errorCode: PAYLOAD_16_2X, messageId: 'a' },
  { text: '[3,"a",null]', code: 'payload-not-object', errorCode: PAYLOAD_16_2X, messageId: 'a' },
  { text: '[4,"a",404,"oops",{}]', code: 'error-code-not-string', errorCode: FRAME_16_2X, messageId: 'a' },
  {
    text: '[4,"a","GenericError",null,{}]',
    code: 'error-description-not-string',
    errorCode: FRAME_16_2X,
    messageId: 'a',
  },
  {
    text: '[4,"a","GenericError","oops",null]',
    code: 'error-details-not-object',
    errorCode: FRAME_16_2X,
    messageId: 'a',
  },
  {
    text: '[4,"a","GenericError","oops",[]]',
    code: 'error-details-not-object',
    errorCode: FRAME_16_2X,
    messageId: 'a',
  },
];

describe('parseFrame: malformed frames, per version', () => {
  for (const version of OCPP_VERSIONS) {
    for (const row of MALFORMED) {
      it(`${version}: ${JSON.stringify(row.text).slice(0, 60)} -> ${row.code} / ${row.errorCode[version]}`, () => {
        const r = parseFrame(row.text, version);
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.problem.code).toBe(row.code);
        expect(r.problem.errorCode).toBe(row.errorCode[version]);
        expect(r.problem.messageId).toBe(row.messageId);
        if (row.position !== undefined) expect(r.problem.position).toBe(row.position);
        expect(r.problem.message.length).toBeGreaterThan(10);
      });
    }
  }

  it('types 5 and 6 exist only in 2.1', () => {
    const frames = ['[5,"a","FormatViolation","bad result",{}]', '[6,"a","NotifyPeriodicEventStream",{}]'];
    for (const text of frames) {
      for (const version of ['1.6', '2.0.1'] as const) {
        const r = parseFrame(text, version);
        expect(r.ok).toBe(false);
        if (r.ok) continue;
        expect(r.problem.code).toBe('message-type-not-supported');
        expect(r.problem.errorCode).toBe(
          version === '1.6' ? 'FormationViolation' : 'MessageTypeNotSupported',
        );
        expect(r.problem.messageId).toBe('a');
        expect(r.problem.message).toContain('only in OCPP 2.1');
      }
      expect(parseFrame(text, '2.1').ok).toBe(true);
      // Version not known yet (captures, before negotiation): accepted, so nothing is rejected on a guess.
      expect(parseFrame(text).ok).toBe(true);
    }
  });

  it('says where the JSON breaks, in words a person can find', () => {
    const r = parseFrame('[2,\n"abc",\n  x]', '2.0.1');
    expect(r).toMatchObject({ ok: false, problem: { code: 'not-json', position: 13, messageId: 'abc' } });
    if (!r.ok) expect(r.problem.message).toBe("Not JSON: unexpected 'x' at line 3, column 3.");
    const cut = parseFrame('[3,"abc",{"currentTime":"2025', '1.6');
    if (!cut.ok) expect(cut.problem.message).toMatch(/ends too early/);
    expect(cut).toMatchObject({ ok: false, problem: { position: 29, messageId: 'abc' } });
  });

  it('counts the message id in characters, not UTF-16 units', () => {
    const id = '😀'.repeat(36); // 72 UTF-16 units, 36 characters
    expect(parseFrame(JSON.stringify([2, id, 'Heartbeat', {}]), '2.0.1')).toMatchObject({ ok: true });
    expect(parseFrame(JSON.stringify([2, id + 'x', 'Heartbeat', {}]), '2.0.1')).toMatchObject({
      ok: false,
      problem: { code: 'message-id-too-long' },
    });
  });

  it('keeps the JSON value of a frame that is JSON but not a frame', () => {
    const r = parseFrame('[2,"a","Heartbeat"]', '2.1');
    expect(r).toMatchObject({ ok: false, problem: { value: [2, 'a', 'Heartbeat'] } });
  });
});

describe('parseFrame: well-formed frames', () => {
  it('parses every message type into its typed view', () => {
    expect(parseFrame('[2,"1","BootNotification",{"reason":"PowerUp"}]', '2.0.1')).toEqual({
      ok: true,
      frame: { type: 2, id: '1', action: 'BootNotification', payload: { reason: 'PowerUp' } },
    });
    expect(parseFrame(' [3, "1", {"status":"Accepted"}] \n', '1.6')).toEqual({
      ok: true,
      frame: { type: 3, id: '1', payload: { status: 'Accepted' } },
    });
    expect(parseFrame('[4,"1","NotImplemented","no",{"a":1}]', '1.6')).toEqual({
      ok: true,
      frame: {
        type: 4,
        id: '1',
        errorCode: 'NotImplemented',
        errorDescription: 'no',
        errorDetails: { a: 1 },
      },
    });
    expect(parseFrame('[5,"1","FormatViolation","",{}]', '2.1')).toMatchObject({
      ok: true,
      frame: { type: 5 },
    });
    expect(parseFrame('[6,"1","NotifyPeriodicEventStream",{}]', '2.1')).toMatchObject({
      ok: true,
      frame: { type: 6, action: 'NotifyPeriodicEventStream' },
    });
  });

  it('accepts an unknown action name and a non-standard error code: those are findings, not framing problems', () => {
    expect(parseFrame('[2,"1","NoSuchAction",{}]', '1.6').ok).toBe(true);
    expect(parseFrame('[4,"1","Error","",{}]', '2.0.1').ok).toBe(true);
  });
});

describe('builders and ids', () => {
  it('build the exact wire text', () => {
    expect(buildCall('1', 'Heartbeat', {})).toBe('[2,"1","Heartbeat",{}]');
    expect(buildCall('1', 'Heartbeat')).toBe('[2,"1","Heartbeat",{}]');
    expect(buildCallResult('1', { currentTime: '2025-01-01T00:00:00Z' })).toBe(
      '[3,"1",{"currentTime":"2025-01-01T00:00:00Z"}]',
    );
    expect(buildCallError('1', 'NotImplemented', 'Unknown action')).toBe(
      '[4,"1","NotImplemented","Unknown action",{}]',
    );
    expect(buildCallResultError('1', 'FormatViolation', 'bad', { at: '/x' })).toBe(
      '[5,"1","FormatViolation","bad",{"at":"/x"}]',
    );
    expect(buildSend('1', 'NotifyPeriodicEventStream', { id: 1 })).toBe(
      '[6,"1","NotifyPeriodicEventStream",{"id":1}]',
    );
  });

  it('newMessageId gives distinct ids that fit the 36-character limit', () => {
    const ids = new Set(Array.from({ length: 200 }, () => newMessageId()));
    expect(ids.size).toBe(200);
    for (const id of ids) {
      expect(id.length).toBeLessThanOrEqual(36);
      expect(parseFrame(buildCall(id, 'Heartbeat'), '2.0.1').ok).toBe(true);
    }
  });
});

// Property-based: arbitrary input never throws; builders round-trip.
const jsonObject = fc.dictionary(fc.string(), fc.jsonValue()) as fc.Arbitrary<JsonObject>;
const messageId = fc.string({ minLength: 1, maxLength: 36, unit: 'grapheme-ascii' });
const action = fc.string({ minLength: 1, maxLength: 40 });

describe('parseFrame properties', () => {
  it('never throws on arbitrary strings, and always explains a failure', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.constantFrom<OcppVersion | undefined>(...OCPP_VERSIONS, undefined),
        (text, v) => {
          const r = parseFrame(text, v);
          if (!r.ok) {
            expect(r.problem.message).not.toBe('');
            expect(r.problem.errorCode).not.toBe('');
            if (r.problem.code === 'not-json') {
              expect(r.problem.position).toBeGreaterThanOrEqual(0);
              expect(r.problem.position).toBeLessThanOrEqual(text.length);
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary JSON, including near-frames', () => {
    const nearFrame = fc.tuple(
      fc.oneof(fc.integer({ min: -1, max: 8 }), fc.jsonValue()),
      fc.oneof(messageId, fc.jsonValue()),
      fc.oneof(action, fc.jsonValue()),
      fc.oneof(jsonObject, fc.jsonValue()),
      fc.oneof(jsonObject, fc.jsonValue()),
    );
    const arb = fc.oneof(
      fc.jsonValue(),
      nearFrame.map((t) => t.slice(0, 3)),
      nearFrame.map((t) => t.slice(0, 4)),
      nearFrame,
    );
    fc.assert(
      fc.property(arb, fc.constantFrom<OcppVersion | undefined>(...OCPP_VERSIONS, undefined), (value, v) => {
        const r = parseFrame(JSON.stringify(value), v);
        if (r.ok) expect(frameToArray(r.frame)).toEqual(JSON.parse(JSON.stringify(value)));
        else expect(r.problem.code).not.toBe('not-json');
      }),
      { numRuns: 2000 },
    );
  });

  it('builders round-trip through parseFrame', () => {
    const frame: fc.Arbitrary<{ text: string; expected: Frame }> = fc.oneof(
      fc.tuple(messageId, action, jsonObject).map(([id, a, p]) => ({
        text: buildCall(id, a, p),
        expected: { type: 2 as const, id, action: a, payload: p },
      })),
      fc.tuple(messageId, jsonObject).map(([id, p]) => ({
        text: buildCallResult(id, p),
        expected: { type: 3 as const, id, payload: p },
      })),
      fc.tuple(messageId, fc.string(), fc.string(), jsonObject).map(([id, c, d, x]) => ({
        text: buildCallError(id, c, d, x),
        expected: { type: 4 as const, id, errorCode: c, errorDescription: d, errorDetails: x },
      })),
      fc.tuple(messageId, fc.string(), fc.string(), jsonObject).map(([id, c, d, x]) => ({
        text: buildCallResultError(id, c, d, x),
        expected: { type: 5 as const, id, errorCode: c, errorDescription: d, errorDetails: x },
      })),
      fc.tuple(messageId, action, jsonObject).map(([id, a, p]) => ({
        text: buildSend(id, a, p),
        expected: { type: 6 as const, id, action: a, payload: p },
      })),
    );
    fc.assert(
      fc.property(frame, ({ text, expected }) => {
        const r = parseFrame(text, '2.1');
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        // Compare through JSON: builders serialize -0 as 0, like any peer would.
        expect(r.frame).toEqual(JSON.parse(JSON.stringify(expected)) as JsonValue);
        expect(serializeFrame(r.frame)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });
});

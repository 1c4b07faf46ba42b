import { describe, expect, it } from 'vitest';
import { parseFrame } from '../../../shared/ocpp/frame';
import type { Frame } from '../../../shared/ocpp/frame-types';
import type { JsonValue } from '../../../shared/ocpp/json';
import {
  contentFailures,
  describeExpect,
  isCandidate,
  matcherFailure,
} from '../../../shared/scenario/matchers';
import { fillTemplate, fillText } from '../../../shared/scenario/template';

const frame = (text: string): Frame => {
  const r = parseFrame(text);
  if (!r.ok) throw new Error(r.problem.message);
  return r.frame;
};

describe('matchers', () => {
  it('say why a value fails, and pass what they should', () => {
    expect(matcherFailure({ equals: 'Accepted' }, 'Rejected')).toBe('is "Rejected", expected "Accepted"');
    expect(matcherFailure({ equals: { a: [1] } }, { a: [1] })).toBeUndefined();
    expect(matcherFailure({ oneOf: [1, 2] }, 3)).toBe('is 3, expected one of 1, 2');
    expect(matcherFailure({ regex: '^\\d+$' }, '12')).toBeUndefined();
    expect(matcherFailure({ regex: '^\\d+$' }, 12)).toBe('is 12, expected a string matching /^\\d+$/');
    expect(matcherFailure({ min: 0, max: 10 }, 11)).toBe('is 11, expected at most 10');
    expect(matcherFailure({ type: 'integer' }, 1.5)).toBe(
      'is 1.5 (number), expected a value of type integer',
    );
    expect(matcherFailure({ type: 'number' }, 2)).toBeUndefined();
    expect(matcherFailure({ exists: true }, undefined)).toBe('is absent');
    expect(matcherFailure({ absent: true }, undefined)).toBeUndefined();
    expect(matcherFailure({ absent: true }, null)).toBe('is null, expected it absent');
  });

  it('pick candidate frames by type, action and answered id; content failures name the pointer', () => {
    const result = frame('[3,"m1",{"status":"Rejected","list":[{"k":1}]}]');
    expect(isCandidate({ messageType: 'CALLRESULT' }, result, {}, 'm1')).toBe(true);
    expect(isCandidate({ messageType: 'CALLRESULT' }, result, {}, 'm2')).toBe(false);
    expect(isCandidate({ action: 'Reset' }, result, { answeredAction: 'Reset' })).toBe(true);
    expect(isCandidate({ action: 'Reset' }, result, {})).toBe(false);
    expect(
      contentFailures(
        { match: { '/status': { equals: 'Accepted' }, '/list/0/k': { equals: 1 }, '/x': { exists: true } } },
        result,
      ),
    ).toEqual(['/status is "Rejected", expected "Accepted"', '/x is absent']);
    const error = frame('[4,"m1","NotImplemented","",{}]');
    expect(contentFailures({ errorCode: ['FormatViolation'] }, error)).toEqual([
      'errorCode is "NotImplemented", expected "FormatViolation"',
    ]);
    expect(contentFailures({ errorCode: 'X' }, result)).toEqual([
      'expected a CALLERROR with X, got CALLRESULT',
    ]);
  });

  it('describe steps in words', () => {
    expect(
      describeExpect(
        {
          step: 'expect',
          messageType: 'CALLRESULT',
          action: 'Reset',
          match: { '/status': { equals: 'Accepted' } },
        },
        30,
      ),
    ).toBe('CALLRESULT to Reset with /status = "Accepted" within 30 s');
    expect(describeExpect({ step: 'expect-none', action: 'StartTransaction', within: 5 }, 30)).toBe(
      'no StartTransaction within 5 s',
    );
  });
});

describe('templates', () => {
  it('keep the type of a whole placeholder, write text inside strings, and report unknown names', () => {
    const vars = new Map<string, JsonValue>([
      ['tx', 42],
      ['tag', 'AB'],
    ]);
    expect(fillTemplate({ a: '{{tx}}', b: 'id-{{tag}}-{{tx}}', c: ['{{ tag }}'] }, vars)).toEqual({
      value: { a: 42, b: 'id-AB-42', c: ['AB'] },
      missing: [],
    });
    expect(fillTemplate({ a: '{{nope}}' }, vars)).toEqual({ value: { a: '{{nope}}' }, missing: ['nope'] });
    expect(fillText('[2,"{{tag}}","X",{"n":{{tx}}}', vars).value).toBe('[2,"AB","X",{"n":42}');
  });
});

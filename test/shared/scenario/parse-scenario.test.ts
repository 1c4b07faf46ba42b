import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseScenario, readScenario } from '../../../shared/scenario/parse-scenario';
import { SCENARIO_SCHEMA } from '../../../shared/scenario/scenario-schema';
import { BUILT_IN_SUITES } from '../../../shared/scenario/suites';

const schema = new Ajv({ strict: false, allErrors: true }).compile(SCENARIO_SCHEMA);

const problems = (value: unknown): string[] => {
  const r = readScenario(value);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('readScenario', () => {
  it('accepts every built-in suite, and so does the JSON schema the editor uses', () => {
    for (const suite of BUILT_IN_SUITES) {
      const json = JSON.parse(JSON.stringify(suite)) as unknown;
      expect(problems(json), suite.name).toEqual([]);
      expect(schema(json), `${suite.name}: ${JSON.stringify(schema.errors?.slice(0, 3))}`).toBe(true);
      const ids = suite.cases.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('reads a single-case file with version and role beside it', () => {
    const r = readScenario({
      name: 'mine',
      version: '2.0.1',
      role: 'station',
      variables: { tag: 'X' },
      steps: [
        { step: 'send', action: 'Authorize', payload: { idToken: { idToken: '{{tag}}', type: 'ISO14443' } } },
        {
          step: 'expect',
          messageType: 'CALLRESULT',
          match: { '/idTokenInfo/status': { equals: 'Accepted' } },
        },
      ],
    });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.scenario.cases[0]!.steps).toHaveLength(2);
  });

  it('names every problem with the JSON pointer of the value, all at once', () => {
    expect(
      problems({
        version: '1.5',
        role: 'both',
        name: 'x',
        cases: [
          {
            id: 'Bad Id',
            title: 't',
            steps: [
              { step: 'send', action: 'Reset', raw: 'x' },
              {
                step: 'expect',
                match: { 'no-slash': { equals: 1 }, '/a': { regex: '(' }, '/b': { min: 5, max: 1 } },
              },
              { step: 'expect', answering: 'never-sent' },
              { step: 'send', action: 'Reset', payload: { type: '{{later}}' } },
              { step: 'expect-none' },
              { step: 'teleport' },
              { step: 'prompt', text: 'go', extra: 1 },
            ],
          },
        ],
      }),
    ).toEqual([
      '/version: "version" must be one of 1.6, 2.0.1, 2.1',
      '/role: "role" must be "csms" (the tool is the CSMS, a charger is tested) or "station" (a CSMS is tested)',
      '/cases/0/id: "Bad Id" must be kebab-case (a-z, 0-9, -)',
      '/cases/0/steps/0: a send step has exactly one of "action" (with "payload"), "frame" or "raw"',
      '/cases/0/steps/1/match/no-slash: "no-slash" is not a JSON pointer: it must be empty or start with "/"',
      expect.stringMatching(/^\/cases\/0\/steps\/1\/match\/~1a\/regex: not a valid regular expression/),
      '/cases/0/steps/1/match/~1b: "min" (5) is above "max" (1)',
      '/cases/0/steps/2/answering: "never-sent" is not "last", "any" or the name of an earlier send step',
      '/cases/0/steps/3: "{{later}}" is used before any step captures "later"',
      '/cases/0/steps/4: "within" (seconds) is required',
      '/cases/0/steps/5/step: "step" must be one of send, expect, expect-none, capture, prompt, wait, disconnect, reconnect, answer, expect-handshake, connect',
      '/cases/0/steps/6/extra: unknown field "extra" (allowed: step, title, text, timeoutSec)',
    ]);
  });

  it('reports JSON syntax errors and non-objects instead of throwing', () => {
    const r = parseScenario('{"version": ');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toMatch(/^not valid JSON: /);
    expect(problems([1, 2])).toEqual(['/: a scenario must be a JSON object']);
    expect(problems(null)).toEqual(['/: a scenario must be a JSON object']);
  });

  it('the schema rejects what the parser rejects, for the shapes an editor can check', () => {
    const bad = [
      { version: '1.6', role: 'csms', steps: [{ step: 'wait' }] },
      { version: '1.6', role: 'csms', steps: [{ step: 'expect', within: -1 }] },
      {
        version: '1.6',
        role: 'csms',
        name: 'x',
        cases: [{ id: 'a', title: 't', steps: [{ step: 'send' }] }],
      },
      {
        version: '1.6',
        role: 'csms',
        steps: [{ step: 'answer', action: 'X', with: { payload: {}, raw: 'x' } }],
      },
      { version: '1.6', role: 'station', steps: [{ step: 'connect', expect: 'maybe' }] },
      { version: '1.6', role: 'station', steps: [{ step: 'connect', expect: 'refused', status: 200 }] },
      { version: '1.6', role: 'station', steps: [{ step: 'connect', basicAuth: { username: 'u' } }] },
    ];
    for (const value of bad) {
      expect(problems(value).length, JSON.stringify(value)).toBeGreaterThan(0);
      expect(schema(value), JSON.stringify(value)).toBe(false);
    }
  });

  it('reads a connect step: other credentials or none, accepted or refused with a status', () => {
    const value = {
      version: '1.6',
      role: 'station',
      variables: { wrong: 'nope' },
      steps: [
        { step: 'connect', basicAuth: { password: '{{wrong}}' }, expect: 'refused', status: 401 },
        { step: 'connect', basicAuth: null, expect: 'refused' },
        { step: 'connect', within: 5 },
      ],
    };
    const r = readScenario(value);
    expect(r.ok && r.scenario.cases[0]!.steps).toEqual([
      { step: 'connect', basicAuth: { password: '{{wrong}}' }, expect: 'refused', status: 401 },
      { step: 'connect', basicAuth: null, expect: 'refused' },
      { step: 'connect', within: 5 },
    ]);
    expect(schema(value)).toBe(true);
  });
});

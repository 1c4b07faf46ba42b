/**
 * The JSON schema of a scenario file, for editors (Monaco completes and validates with it; VS Code can use the copy
 * `ocpp-scope check --schema` prints). readScenario (parse-scenario.ts) is the authority and says more (templates
 * used before capture, duplicate case ids); a test keeps both in agreement on the built-in suites and on samples.
 */

import { STEP_KINDS, type StepKind } from './scenario-types';

export const SCENARIO_SCHEMA_URI = 'ocpp-scope://schemas/scenario.json';

const seconds = { type: 'number', minimum: 0, maximum: 86400 } as const;
const stringOrList = {
  oneOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
  ],
} as const;
const messageTypeName = { enum: ['CALL', 'CALLRESULT', 'CALLERROR', 'CALLRESULTERROR', 'SEND'] } as const;
const common = { title: { type: 'string', minLength: 1 }, comment: {} } as const;
const nonEmpty = { type: 'string', minLength: 1 } as const;
const messageType = {
  oneOf: [messageTypeName, { type: 'array', items: messageTypeName, minItems: 1 }],
} as const;
const matchers = { type: 'object', additionalProperties: { $ref: '#/definitions/matcher' } } as const;

/** One step kind: when `step` names it, only its own fields and the common ones are allowed (plus `rules`). */
function stepKind(kind: StepKind, own: Record<string, unknown>, rules: Record<string, unknown> = {}) {
  return {
    if: { properties: { step: { const: kind } } },
    then: { ...rules, additionalProperties: false, properties: { step: {}, ...common, ...own } },
  } as const;
}

export const SCENARIO_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: SCENARIO_SCHEMA_URI,
  title: 'OCPP Scope scenario',
  description:
    'A list of cases run against a live charger (role csms) or CSMS (role station). See docs/scenarios.md.',
  type: 'object',
  required: ['version', 'role'],
  properties: {
    $schema: { type: 'string' },
    comment: {},
    name: { type: 'string', minLength: 1, description: 'The scenario (suite) name.' },
    description: { type: 'string' },
    version: { enum: ['1.6', '2.0.1', '2.1'], description: 'OCPP version spoken.' },
    role: {
      enum: ['csms', 'station'],
      description:
        'csms: the tool is the CSMS and tests a charger; station: the tool is the charger and tests a CSMS.',
    },
    variables: {
      type: 'object',
      description:
        'Values steps use as {{name}}, with defaults; a run may override them (check --var name=value).',
    },
    answers: { $ref: '#/definitions/answers' },
    cases: { type: 'array', minItems: 1, items: { $ref: '#/definitions/case' } },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    title: { type: 'string', minLength: 1 },
    octt: { type: 'string', minLength: 1 },
    timeoutSec: seconds,
    steps: { type: 'array', minItems: 1, items: { $ref: '#/definitions/step' } },
  },
  oneOf: [
    { required: ['name', 'cases'], not: { required: ['steps'] } },
    { required: ['steps'], not: { required: ['cases'] } },
  ],
  additionalProperties: false,
  definitions: {
    case: {
      type: 'object',
      required: ['id', 'title', 'steps'],
      additionalProperties: false,
      properties: {
        comment: {},
        id: {
          type: 'string',
          pattern: '^[a-z0-9][a-z0-9-]*$',
          description: 'Stable kebab-case id (used by --case).',
        },
        title: { type: 'string', minLength: 1 },
        octt: {
          type: 'string',
          minLength: 1,
          description: 'Conformance test case id this case corresponds to.',
        },
        description: { type: 'string' },
        timeoutSec: { ...seconds, description: 'Default seconds for expect steps (30).' },
        answers: { $ref: '#/definitions/answers' },
        steps: { type: 'array', minItems: 1, items: { $ref: '#/definitions/step' } },
      },
    },
    answers: {
      type: 'object',
      description: 'How the tool answers the peer\'s CALLs, per action ("*" for any).',
      additionalProperties: { $ref: '#/definitions/answer' },
    },
    answer: {
      oneOf: [
        {
          type: 'object',
          required: ['payload'],
          additionalProperties: false,
          properties: { payload: { type: 'object' }, comment: {} },
        },
        {
          type: 'object',
          required: ['error'],
          additionalProperties: false,
          properties: {
            comment: {},
            error: {
              type: 'object',
              required: ['code'],
              additionalProperties: false,
              properties: {
                code: { type: 'string', minLength: 1 },
                description: { type: 'string' },
                details: { type: 'object' },
              },
            },
          },
        },
        {
          type: 'object',
          required: ['raw'],
          additionalProperties: false,
          properties: { raw: { type: 'string' }, comment: {} },
        },
        {
          type: 'object',
          required: ['none'],
          additionalProperties: false,
          properties: { none: { const: true }, comment: {} },
        },
      ],
    },
    matcher: {
      type: 'object',
      minProperties: 1,
      additionalProperties: false,
      properties: {
        equals: { description: 'Deep equality.' },
        oneOf: { type: 'array', minItems: 1 },
        regex: { type: 'string', description: 'JavaScript regular expression tested on a string value.' },
        min: { type: 'number' },
        max: { type: 'number' },
        exists: { type: 'boolean' },
        absent: { type: 'boolean' },
        type: { enum: ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] },
      },
    },
    step: {
      type: 'object',
      required: ['step'],
      properties: {
        step: { enum: [...STEP_KINDS] },
      },
      allOf: [
        stepKind(
          'send',
          {
            action: { type: 'string', minLength: 1 },
            payload: { type: 'object' },
            messageId: { type: 'string', minLength: 1 },
            frame: { type: 'array' },
            raw: { type: 'string', description: 'Exact text to send, malformed on purpose if need be.' },
            name: {
              type: 'string',
              minLength: 1,
              description: "Name for this call's id (see expect.answering).",
            },
          },
          { oneOf: [{ required: ['action'] }, { required: ['frame'] }, { required: ['raw'] }] },
        ),
        stepKind('expect', {
          messageType,
          action: stringOrList,
          answering: {
            type: 'string',
            minLength: 1,
            description: '"last", "any" or the name of a send step.',
          },
          messageId: { type: 'string', minLength: 1 },
          errorCode: stringOrList,
          match: matchers,
          within: seconds,
          capture: { type: 'object', additionalProperties: { type: 'string' } },
        }),
        stepKind(
          'expect-none',
          { messageType, action: stringOrList, within: seconds },
          { required: ['within'] },
        ),
        stepKind(
          'capture',
          { name: nonEmpty, pointer: { type: 'string' } },
          { required: ['name', 'pointer'] },
        ),
        stepKind('prompt', { text: nonEmpty, timeoutSec: seconds }, { required: ['text'] }),
        stepKind('wait', { seconds }, { required: ['seconds'] }),
        stepKind('disconnect', {}),
        stepKind('reconnect', { within: seconds }),
        stepKind('expect-handshake', { match: matchers }, { required: ['match'] }),
        stepKind('connect', {
          basicAuth: {
            description: "Credentials for this attempt; null sends none; absent: the run's own.",
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                required: ['password'],
                additionalProperties: false,
                properties: { username: { type: 'string' }, password: { type: 'string' } },
              },
            ],
          },
          expect: {
            enum: ['accepted', 'refused'],
            description: 'What the CSMS must do with the upgrade (default accepted).',
          },
          status: {
            type: 'integer',
            minimum: 400,
            maximum: 599,
            description: 'With expect refused: the HTTP status required (default any 4xx).',
          },
          within: seconds,
        }),
        stepKind(
          'answer',
          { action: nonEmpty, with: { $ref: '#/definitions/answer' } },
          { required: ['action', 'with'] },
        ),
      ],
    },
  },
} as const;

/**
 * The JSON schema of a scenario file, for editors (Monaco completes and validates with it; VS Code can use the copy
 * `ocpp-scope check --schema` prints). readScenario (parse-scenario.ts) is the authority and says more (templates
 * used before capture, duplicate case ids); a test keeps both in agreement on the built-in suites and on samples.
 */

import { STEP_KINDS } from './scenario-types';

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
        {
          if: { properties: { step: { const: 'send' } } },
          then: {
            additionalProperties: false,
            properties: {
              step: {},
              ...common,
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
            oneOf: [{ required: ['action'] }, { required: ['frame'] }, { required: ['raw'] }],
          },
        },
        {
          if: { properties: { step: { const: 'expect' } } },
          then: {
            additionalProperties: false,
            properties: {
              step: {},
              ...common,
              messageType: {
                oneOf: [messageTypeName, { type: 'array', items: messageTypeName, minItems: 1 }],
              },
              action: stringOrList,
              answering: {
                type: 'string',
                minLength: 1,
                description: '"last", "any" or the name of a send step.',
              },
              messageId: { type: 'string', minLength: 1 },
              errorCode: stringOrList,
              match: { type: 'object', additionalProperties: { $ref: '#/definitions/matcher' } },
              within: seconds,
              capture: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
        },
        {
          if: { properties: { step: { const: 'expect-none' } } },
          then: {
            required: ['within'],
            additionalProperties: false,
            properties: {
              step: {},
              ...common,
              messageType: {
                oneOf: [messageTypeName, { type: 'array', items: messageTypeName, minItems: 1 }],
              },
              action: stringOrList,
              within: seconds,
            },
          },
        },
        {
          if: { properties: { step: { const: 'capture' } } },
          then: {
            required: ['name', 'pointer'],
            additionalProperties: false,
            properties: {
              step: {},
              ...common,
              name: { type: 'string', minLength: 1 },
              pointer: { type: 'string' },
            },
          },
        },
        {
          if: { properties: { step: { const: 'prompt' } } },
          then: {
            required: ['text'],
            additionalProperties: false,
            properties: { step: {}, ...common, text: { type: 'string', minLength: 1 }, timeoutSec: seconds },
          },
        },
        {
          if: { properties: { step: { const: 'wait' } } },
          then: {
            required: ['seconds'],
            additionalProperties: false,
            properties: { step: {}, ...common, seconds },
          },
        },
        {
          if: { properties: { step: { const: 'disconnect' } } },
          then: { additionalProperties: false, properties: { step: {}, ...common } },
        },
        {
          if: { properties: { step: { const: 'reconnect' } } },
          then: { additionalProperties: false, properties: { step: {}, ...common, within: seconds } },
        },
        {
          if: { properties: { step: { const: 'expect-handshake' } } },
          then: {
            required: ['match'],
            additionalProperties: false,
            properties: {
              step: {},
              ...common,
              match: { type: 'object', additionalProperties: { $ref: '#/definitions/matcher' } },
            },
          },
        },
        {
          if: { properties: { step: { const: 'connect' } } },
          then: {
            additionalProperties: false,
            properties: {
              step: {},
              ...common,
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
            },
          },
        },
        {
          if: { properties: { step: { const: 'answer' } } },
          then: {
            required: ['action', 'with'],
            additionalProperties: false,
            properties: {
              step: {},
              ...common,
              action: { type: 'string', minLength: 1 },
              with: { $ref: '#/definitions/answer' },
            },
          },
        },
      ],
    },
  },
} as const;

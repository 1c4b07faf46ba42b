import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { actionsOf } from '../../../../shared/ocpp/actions';
import { ERROR_CODES } from '../../../../shared/ocpp/error-codes';
import { exampleRequest, exampleResponse } from '../../../../shared/ocpp/examples';
import { SCHEMA_INDEX } from '../../../../shared/ocpp/generated/schema-index';
import { payloadSchema } from '../../../../shared/ocpp/payload-schema';
import type { OcppVersion } from '../../../../shared/ocpp/versions';
import {
  buildFrameSchema,
  editorSchema,
  frameSchemaUri,
  monacoSchemas,
  schemaUri,
  type ActionEntry,
  type JsonSchema,
} from '../../../../renderer/src/logic/schema-assembly';

// Monaco's JSON service is not available in Node, so a 2020-12 validator stands in for it: the assembled schema must
// mean the right thing to any 2020-12 implementation (prefixItems, if/then, $ref to the registered payload URIs).
function entries(version: OcppVersion): ActionEntry[] {
  const sendOnly = new Set(
    actionsOf(version)
      .filter((a) => a.sendOnly)
      .map((a) => a.name),
  );
  return Object.entries(SCHEMA_INDEX[version]).map(([name, pair]) => ({
    name,
    hasRequest: true,
    hasResponse: pair.response !== undefined,
    sendOnly: sendOnly.has(name),
  }));
}

/** The array form of `items` is a completion hint for Monaco that 2020-12 ignores; ajv's 2020 mode rejects it. */
function withoutItemHints(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutItemHints);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    if (!(k === 'items' && Array.isArray(v))) out[k] = withoutItemHints(v);
  return out;
}

function validator(version: OcppVersion, responseAction?: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const schemas = monacoSchemas(
    { version, actions: entries(version), errorCodes: ERROR_CODES[version], responseAction },
    (action, kind) => payloadSchema(version, action, kind) as JsonSchema | undefined,
    'ocpp://composer/frame.json',
  );
  for (const s of schemas.slice(1)) {
    const { $schema: _drop, ...rest } = s.schema;
    ajv.addSchema({ ...rest, $id: s.uri });
  }
  return ajv.compile(withoutItemHints(schemas[0]!.schema) as JsonSchema);
}

describe('frame schema for Monaco', () => {
  it('binds the frame schema to the composer model and registers every payload under its own URI', () => {
    const list = monacoSchemas(
      { version: '2.0.1', actions: entries('2.0.1'), errorCodes: ERROR_CODES['2.0.1'] },
      (a, k) => payloadSchema('2.0.1', a, k) as JsonSchema | undefined,
      'ocpp://composer/frame.json',
    );
    expect(list[0]!.fileMatch).toEqual(['ocpp://composer/frame.json']);
    expect(list[0]!.uri).toBe(frameSchemaUri('2.0.1'));
    expect(list.some((s) => s.uri === schemaUri('2.0.1', 'BootNotification', 'request'))).toBe(true);
    for (const s of list.slice(1)) {
      expect(s.schema.$id).toBeUndefined();
      expect(JSON.stringify(s.schema)).not.toContain('"urn:');
    }
  });

  for (const version of ['1.6', '2.0.1', '2.1'] as const) {
    it(`accepts a valid BootNotification CALL and rejects a wrong payload (${version})`, () => {
      const v = validator(version);
      expect(v([2, 'm1', 'BootNotification', exampleRequest(version, 'BootNotification')])).toBe(true);
      expect(v([2, 'm1', 'BootNotification', { nonsense: true }])).toBe(false);
      expect(v([2, 'm1', 'NoSuchAction', {}])).toBe(false);
      expect(v([2, 'm1', 'BootNotification'])).toBe(false);
      expect(v([2, 'x'.repeat(37), 'Heartbeat', {}])).toBe(false);
    });
  }

  it('checks CALLRESULT payloads against the answered action only when it is known', () => {
    const unknown = validator('1.6');
    expect(unknown([3, 'm1', { anything: 1 }])).toBe(true);
    const boot = validator('1.6', 'BootNotification');
    expect(boot([3, 'm1', exampleResponse('1.6', 'BootNotification')])).toBe(true);
    expect(boot([3, 'm1', { status: 'Maybe' }])).toBe(false);
  });

  it('checks CALLERROR codes per version', () => {
    expect(validator('1.6')([4, 'm1', 'FormationViolation', 'bad', {}])).toBe(true);
    expect(validator('2.0.1')([4, 'm1', 'FormationViolation', 'bad', {}])).toBe(false);
    expect(validator('2.0.1')([4, 'm1', 'FormatViolation', 'bad', {}])).toBe(true);
    expect(validator('2.0.1')([4, 'm1', 'FormatViolation', 'bad'])).toBe(false);
  });

  it('knows message types 5 and 6 only in 2.1', () => {
    expect(validator('2.0.1')([6, 'm1', 'NotifyPeriodicEventStream', {}])).toBe(false);
    const v21 = validator('2.1');
    expect(
      v21([6, 'm1', 'NotifyPeriodicEventStream', exampleRequest('2.1', 'NotifyPeriodicEventStream')]),
    ).toBe(true);
    expect(v21([6, 'm1', 'BootNotification', {}])).toBe(false);
    expect(v21([5, 'm1', 'InternalError', 'could not process', {}])).toBe(true);
  });

  it('offers the action names as an enum, for completion', () => {
    const schema = buildFrameSchema({
      version: '1.6',
      actions: entries('1.6'),
      errorCodes: ERROR_CODES['1.6'],
    });
    const first = (schema.allOf as JsonSchema[])[0]!;
    const third = ((first.then as JsonSchema).prefixItems as JsonSchema[])[2]!;
    expect(third.enum).toContain('BootNotification');
    expect(third.enum).toContain('RemoteStartTransaction');
  });

  it('mirrors every tuple in the array form of items, which Monaco completion reads', () => {
    const schema = buildFrameSchema({
      version: '2.1',
      actions: entries('2.1'),
      errorCodes: ERROR_CODES['2.1'],
    });
    expect(schema.items).toEqual(schema.prefixItems);
    for (const part of schema.allOf as JsonSchema[]) {
      const then = part.then as JsonSchema;
      expect(then.items).toEqual(then.prefixItems);
    }
  });

  it('editorSchema drops urn ids but keeps ordinary properties named id', () => {
    expect(editorSchema({ $id: 'urn:x', id: 'urn:y', type: 'object' })).toEqual({ type: 'object' });
    expect(editorSchema({ id: 5 as unknown as string })).toEqual({ id: 5 });
  });
});

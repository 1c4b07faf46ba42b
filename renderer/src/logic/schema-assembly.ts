import type { OcppVersion } from '../../../shared/ocpp/versions';

/**
 * Schemas for the composer's Monaco editor. Monaco validates with its own JSON language service (never ajv: the
 * renderer's CSP forbids eval), so the frame array gets one schema that picks the payload schema by message type
 * and action with draft 2020-12 `prefixItems` and `if`/`then`, and each OCA payload schema is registered under its
 * own `ocpp://` URI with its `urn:` id removed (the language service would resolve `urn:` refs as relative paths).
 */

export type PayloadKind = 'request' | 'response';
export type JsonSchema = Record<string, unknown>;

export interface MonacoSchema {
  uri: string;
  fileMatch?: string[];
  schema: JsonSchema;
}

export interface ActionEntry {
  name: string;
  hasRequest: boolean;
  hasResponse: boolean;
  /** 2.1 SEND-only actions (NotifyPeriodicEventStream): a type 6 frame, never answered. */
  sendOnly?: boolean;
}

export function schemaUri(version: OcppVersion, action: string, kind: PayloadKind): string {
  return `ocpp://schemas/${version}/${action}.${kind}.json`;
}

export function frameSchemaUri(version: OcppVersion, responseAction?: string): string {
  return `ocpp://schemas/${version}/frame${responseAction ? `.${responseAction}` : ''}.json`;
}

/** A copy of an OCA schema without its `urn:` identity, ready to be registered under an `ocpp://` URI. */
export function editorSchema(raw: JsonSchema): JsonSchema {
  const copy: JsonSchema = { ...raw };
  delete copy.$id;
  if (typeof copy.id === 'string') delete copy.id;
  return copy;
}

export interface FrameSchemaOptions {
  version: OcppVersion;
  actions: readonly ActionEntry[];
  errorCodes: readonly string[];
  /** The action whose response a CALLRESULT in the editor answers (a held call, a "response to" template). */
  responseAction?: string;
}

const EMPTY = {};

/**
 * A tuple both ways: `prefixItems` is what the JSON language service validates against in a 2020-12 schema, while
 * its completion still reads only the older array form of `items` (which 2020-12 validation ignores). Giving both
 * keeps validation exact and makes action names, error codes and message types complete.
 */
function tuple(items: JsonSchema[], extra: JsonSchema = {}): JsonSchema {
  return { prefixItems: items, items, ...extra };
}

export function buildFrameSchema(o: FrameSchemaOptions): JsonSchema {
  const v21 = o.version === '2.1';
  const types = v21 ? [2, 3, 4, 5, 6] : [2, 3, 4];
  const callActions = o.actions.filter((a) => a.hasRequest && !a.sendOnly).map((a) => a.name);
  const sendActions = o.actions.filter((a) => a.sendOnly).map((a) => a.name);
  const when = (type: number, action?: string): JsonSchema => ({
    prefixItems: action === undefined ? [{ const: type }] : [{ const: type }, EMPTY, { const: action }],
  });
  const errorFrame = (type: number, what: string): JsonSchema => ({
    if: when(type),
    then: tuple(
      [
        EMPTY,
        EMPTY,
        { enum: [...o.errorCodes], description: `${what} error code defined by OCPP ${o.version}` },
        { type: 'string', description: 'Error description: free text' },
        { type: 'object', description: 'Error details: an object, usually {}' },
      ],
      { minItems: 5, maxItems: 5 },
    ),
  });

  const allOf: JsonSchema[] = [
    {
      if: when(2),
      then: tuple(
        [
          EMPTY,
          EMPTY,
          { enum: callActions, description: `Action of OCPP ${o.version}` },
          { type: 'object', description: 'Request payload' },
        ],
        { minItems: 4, maxItems: 4 },
      ),
    },
    ...o.actions
      .filter((a) => a.hasRequest && !a.sendOnly)
      .map((a) => ({
        if: when(2, a.name),
        then: tuple([EMPTY, EMPTY, EMPTY, { $ref: schemaUri(o.version, a.name, 'request') }]),
      })),
    {
      if: when(3),
      then: tuple(
        [
          EMPTY,
          EMPTY,
          o.responseAction && o.actions.some((a) => a.name === o.responseAction && a.hasResponse)
            ? { $ref: schemaUri(o.version, o.responseAction, 'response') }
            : { type: 'object', description: 'Response payload' },
        ],
        { minItems: 3, maxItems: 3 },
      ),
    },
    errorFrame(4, 'CALLERROR'),
  ];
  if (v21) {
    allOf.push(errorFrame(5, 'CALLRESULTERROR'));
    allOf.push({
      if: when(6),
      then: tuple([EMPTY, EMPTY, { enum: sendActions, description: 'SEND action' }, { type: 'object' }], {
        minItems: 4,
        maxItems: 4,
      }),
    });
    for (const name of sendActions)
      allOf.push({
        if: when(6, name),
        then: tuple([EMPTY, EMPTY, EMPTY, { $ref: schemaUri(o.version, name, 'request') }]),
      });
  }

  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `OCPP ${o.version} frame`,
    type: 'array',
    ...tuple(
      [
        {
          enum: types,
          description: v21
            ? 'Message type: 2 CALL, 3 CALLRESULT, 4 CALLERROR, 5 CALLRESULTERROR, 6 SEND'
            : 'Message type: 2 CALL, 3 CALLRESULT, 4 CALLERROR',
        },
        {
          type: 'string',
          minLength: 1,
          maxLength: 36,
          description: 'Message id: unique per sender, at most 36 characters',
        },
      ],
      { minItems: 3 },
    ),
    allOf,
  };
}

/** Everything Monaco needs for one version: the frame schema bound to the composer model, plus the payloads. */
export function monacoSchemas(
  o: FrameSchemaOptions,
  payload: (action: string, kind: PayloadKind) => JsonSchema | undefined,
  modelUri: string,
): MonacoSchema[] {
  const out: MonacoSchema[] = [
    { uri: frameSchemaUri(o.version, o.responseAction), fileMatch: [modelUri], schema: buildFrameSchema(o) },
  ];
  for (const a of o.actions) {
    for (const kind of ['request', 'response'] as const) {
      const raw = payload(a.name, kind);
      if (raw) out.push({ uri: schemaUri(o.version, a.name, kind), schema: editorSchema(raw) });
    }
  }
  return out;
}

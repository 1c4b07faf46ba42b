import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { quickDateTime } from './date-time-format';
import { NO_FINDINGS } from './finding';
import type { Finding } from './finding';
import { formatViolationCode, occurrenceViolationCode } from './error-codes';
import type { PayloadKind } from './payload-schema';
import { makePrecompiled } from './precompiled-validators';
import { rawPayloadSchema } from './payload-schema';
import type { JsonValue } from './json';
import type { OcppVersion } from './versions';

export { payloadSchema, rawPayloadSchema } from './payload-schema';
export type { PayloadKind } from './payload-schema';

/**
 * Validates OCPP payloads against the official OCA schemas. Compiles lazily, once per (version, action, kind), and
 * caches. Uses ajv, which compiles to code with `new Function`: Node side only, never the renderer.
 *
 * Which CALLERROR code a strict peer would answer each schema violation with (the specifications define the codes
 * in words; this is our reading, stable so tests and users can rely on it):
 * - required, minItems, maxItems, minProperties, maxProperties, additionalItems (a field or element occurs too
 *   few or too many times): OccurenceConstraintViolation (1.6, sic) / OccurrenceConstraintViolation (2.x)
 * - type (a string where a number belongs...): TypeConstraintViolation
 * - enum, const, minLength, maxLength, minimum, maximum, exclusive*, multipleOf, pattern, format (the field is
 *   well-formed but its value is not allowed): PropertyConstraintViolation
 * - additionalProperties, and anything structural not listed above (a property the action's PDU does not define
 *   means the payload is not that PDU): FormationViolation (1.6) / FormatViolation (2.x)
 */

const MAX_FINDINGS = 50;

export type SchemaFindingCode =
  | 'schema-required'
  | 'schema-type'
  | 'schema-additional-property'
  | 'schema-enum'
  | 'schema-length'
  | 'schema-range'
  | 'schema-format'
  | 'schema-pattern'
  | 'schema-items'
  | 'schema-invalid'
  | 'unknown-action'
  | 'no-response-schema'
  | 'schema-compile-failed'
  | 'schema-more-not-listed';

type AjvLike = { compile(schema: object): ValidateFunction };

// Two validators per schema: `first` stops at the first violation (the hot path: most frames are valid, and a
// hostile payload cannot make it slow); `all` lists every violation, but ajv's allErrors mode grows superlinearly
// with the number of errors, so it only runs on payloads small enough to be cheap.
type Mode = 'first' | 'all';
const MAX_NODES_FOR_ALL_ERRORS = 2000;

function options(mode: Mode, source: boolean) {
  return {
    strict: false,
    allErrors: mode === 'all',
    verbose: true,
    // 1.6 limits use multipleOf 0.1; without a precision 0.3 would fail on floating-point rounding.
    multipleOfPrecision: 9,
    // Kept for build/gen-validators.mjs, which writes the compiled code out (ajv's standalone mode).
    ...(source ? { code: { source: true } } : {}),
  } as const;
}

/** The draft a schema is written in (1.6 core: draft-04; the rest: draft-06). */
export function schemaDraft(schema: object): 4 | 6 {
  const s = (schema as { $schema?: unknown }).$schema;
  return typeof s === 'string' && s.includes('draft-04') ? 4 : 6;
}

/**
 * A fresh ajv instance set up exactly as validation here uses it. `source`: keep the generated code (for the
 * build's precompiled validators, which must behave exactly as those compiled at run time).
 */
export function createAjv(draft: 4 | 6, mode: Mode, source = false): Ajv {
  const a = (draft === 4 ? new AjvDraft04(options(mode, source)) : new Ajv(options(mode, source))) as Ajv;
  if (draft === 6) a.addMetaSchema(draft06MetaSchema);
  addFormats(a);
  // Not in the build's generated code, whose format references must stay ajv-formats' own (it gets the same
  // quick date-time from precompiled-validators at run time).
  if (!source) a.addFormat('date-time', quickDateTime(fullFormats['date-time']));
  return a;
}

const instances = new Map<string, AjvLike>();

function ajvFor(version: OcppVersion, draft: 4 | 6, mode: Mode): AjvLike {
  // One instance per version, draft and mode: each registers the schemas' ids, which must stay unique in it.
  const key = `${version}/${draft}/${mode}`;
  let ajv = instances.get(key);
  if (!ajv) {
    ajv = createAjv(draft, mode);
    instances.set(key, ajv);
  }
  return ajv;
}

type Compiled = { validate: ValidateFunction } | { error: string };
const compiled = new Map<string, Compiled>();

let runtimeCompiles = 0;

/** Schemas compiled by ajv at run time so far (none while the build's validators are loaded: tests, the bench). */
export function schemasCompiledAtRunTime(): number {
  return runtimeCompiles;
}

/** True when the schema's validator is compiled already (validating with it costs no compile). */
export function isSchemaCompiled(
  version: OcppVersion,
  action: string,
  kind: PayloadKind,
  mode: 'first' | 'all' = 'first',
): boolean {
  return compiled.has(`${version}\u0000${action}\u0000${kind}\u0000${mode}`);
}

/**
 * The 'first' validators by version, kind and action: the lookup of every frame, so no key string is built for it.
 * Filled as `compiled` is (entries are never removed from either).
 */
const firstIndex: Partial<Record<OcppVersion, Record<PayloadKind, Map<string, Compiled>>>> = {};

function firstMap(version: OcppVersion, kind: PayloadKind): Map<string, Compiled> {
  // Looked up by the version and kind strings themselves: a joined key (`version + kind`) is a new string to hash
  // on every frame (about 40 ns a lookup).
  return (firstIndex[version] ??= { request: new Map(), response: new Map() })[kind];
}

function compiledFor(
  version: OcppVersion,
  action: string,
  kind: PayloadKind,
  mode: Mode = 'first',
): Compiled | undefined {
  if (mode === 'first') {
    const hit = firstMap(version, kind).get(action);
    if (hit) return hit;
  }
  const key = `${version}\u0000${action}\u0000${kind}\u0000${mode}`;
  let c = compiled.get(key);
  if (c) return remember(version, action, kind, mode, c);
  const schema = rawPayloadSchema(version, action, kind);
  if (!schema) return undefined;
  const built = makePrecompiled(version, action, kind, mode);
  if (built) {
    c = { validate: built };
    compiled.set(key, c);
    return remember(version, action, kind, mode, c);
  }
  const draft = schemaDraft(schema);
  runtimeCompiles++;
  try {
    c = { validate: ajvFor(version, draft, mode).compile(schema) };
  } catch (e) {
    c = { error: e instanceof Error ? e.message : String(e) };
  }
  compiled.set(key, c);
  return remember(version, action, kind, mode, c);
}

function remember(
  version: OcppVersion,
  action: string,
  kind: PayloadKind,
  mode: Mode,
  c: Compiled,
): Compiled {
  if (mode === 'first') firstMap(version, kind).set(action, c);
  return c;
}

/** True when the value has at most `limit` nodes; stops counting early, so it is cheap on huge values. */
function smallerThan(value: unknown, limit: number): boolean {
  const stack: unknown[] = [value];
  let n = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (++n > limit) return false;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stack.push(x);
  }
  return true;
}

/**
 * Compiles a schema now (for the engine's warm-up and the "every schema compiles" test). Returns the error, if any.
 * `all` is the validator that lists every violation (used on invalid payloads).
 */
export function compileSchema(
  version: OcppVersion,
  action: string,
  kind: PayloadKind,
  mode: 'first' | 'all' = 'first',
): string | undefined {
  const c = compiledFor(version, action, kind, mode);
  if (!c) return `no ${kind} schema for ${action} in OCPP ${version}`;
  return 'error' in c ? c.error : undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return `the number ${v}`;
  return `${typeof v} ${String(v)}`;
}

const article = (t: string): string =>
  t === 'integer' || t === 'object' || t === 'array' ? `an ${t}` : `a ${t}`;

const FORMAT_HINT: Record<string, string> = {
  'date-time': 'a date-time (RFC 3339, e.g. 2025-01-31T12:00:00Z)',
  uri: 'a URI (e.g. https://example.com/path)',
};

function findingOf(version: OcppVersion, e: ErrorObject): Finding {
  const path = e.instancePath;
  const where = path === '' ? 'the payload' : path;
  const p = e.params as Record<string, unknown>;
  const data: unknown = e.data;
  const prop = formatViolationCode(version);
  switch (e.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      return {
        code: 'schema-required',
        severity: 'error',
        message: `required property '${missing}' is missing${path === '' ? '' : ` in ${path}`}`,
        path: `${path}/${missing}`,
        errorCode: occurrenceViolationCode(version),
      };
    }
    case 'type': {
      const t = String(p.type)
        .split(',')
        .map((x) => article(x))
        .join(' or ');
      return {
        code: 'schema-type',
        severity: 'error',
        message: `${where} must be ${t}, but is ${describe(data)}`,
        path,
        errorCode: 'TypeConstraintViolation',
      };
    }
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      return {
        code: 'schema-additional-property',
        severity: 'error',
        message: `unknown property '${extra}'${path === '' ? '' : ` in ${path}`}: the schema does not allow it`,
        path: `${path}/${extra}`,
        errorCode: prop,
      };
    }
    case 'enum':
    case 'const': {
      const allowed = (e.keyword === 'enum' ? (p.allowedValues as unknown[]) : [p.allowedValue]) ?? [];
      const list = allowed.map((x) => JSON.stringify(x)).join(', ');
      return {
        code: 'schema-enum',
        severity: 'error',
        message: `${where} must be one of ${list.length > 300 ? list.slice(0, 300) + '…' : list}, but is ${describe(data)}`,
        path,
        errorCode: 'PropertyConstraintViolation',
      };
    }
    case 'maxLength':
    case 'minLength': {
      const len = typeof data === 'string' ? [...data].length : undefined;
      return {
        code: 'schema-length',
        severity: 'error',
        message: `${where} is ${len ?? '?'} characters long; ${e.keyword === 'maxLength' ? 'at most' : 'at least'} ${String(p.limit)} allowed`,
        path,
        errorCode: 'PropertyConstraintViolation',
      };
    }
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
    case 'multipleOf': {
      const rule =
        e.keyword === 'multipleOf'
          ? `a multiple of ${String(p.multipleOf)}`
          : `${String(p.comparison)} ${String(p.limit)}`;
      return {
        code: 'schema-range',
        severity: 'error',
        message: `${where} must be ${rule}, but is ${describe(data)}`,
        path,
        errorCode: 'PropertyConstraintViolation',
      };
    }
    case 'format': {
      const f = String(p.format);
      return {
        code: 'schema-format',
        severity: 'error',
        message: `${where} must be ${FORMAT_HINT[f] ?? `in format ${f}`}, but is ${describe(data)}`,
        path,
        errorCode: 'PropertyConstraintViolation',
      };
    }
    case 'pattern':
      return {
        code: 'schema-pattern',
        severity: 'error',
        message: `${where} must match the pattern ${String(p.pattern)}, but is ${describe(data)}`,
        path,
        errorCode: 'PropertyConstraintViolation',
      };
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
    case 'additionalItems': {
      const n = Array.isArray(data)
        ? data.length
        : data && typeof data === 'object'
          ? Object.keys(data).length
          : 0;
      const what = e.keyword.endsWith('Properties') ? 'properties' : 'elements';
      return {
        code: 'schema-items',
        severity: 'error',
        message: `${where} must have ${e.keyword.startsWith('min') ? 'at least' : 'at most'} ${String(p.limit)} ${what}, but has ${n}`,
        path,
        errorCode: occurrenceViolationCode(version),
      };
    }
    default:
      return {
        code: 'schema-invalid',
        severity: 'error',
        message: `${where} ${e.message ?? 'does not match the schema'}`,
        path,
        errorCode: prop,
      };
  }
}

/** NotImplemented in every version: "Requested Action is not known by receiver". */
export function unknownActionFinding(version: OcppVersion, action: string): Finding {
  return {
    code: 'unknown-action',
    severity: 'error',
    message: `OCPP ${version} has no action '${action}' (names are case-sensitive)`,
    errorCode: 'NotImplemented',
  };
}

/**
 * Validates a payload. Annotates, never blocks, never throws: an empty list means valid. Each finding has a JSON
 * pointer into the payload, a sentence for people and the CALLERROR code a strict peer would answer with.
 */
export function validatePayload(
  version: OcppVersion,
  action: string,
  kind: PayloadKind,
  payload: JsonValue | undefined,
): readonly Finding[] {
  const c = compiledFor(version, action, kind);
  if (!c) {
    if (kind === 'response' && rawPayloadSchema(version, action, 'request')) {
      return [
        {
          code: 'no-response-schema',
          severity: 'warning',
          message: `${action} has no response in OCPP ${version}: it is sent with SEND and never answered`,
        },
      ];
    }
    return [unknownActionFinding(version, action)];
  }
  if ('error' in c) {
    return [
      {
        code: 'schema-compile-failed',
        severity: 'warning',
        message: `the ${action} ${kind} schema of OCPP ${version} could not be compiled: ${c.error}`,
      },
    ];
  }
  if (c.validate(payload)) return NO_FINDINGS;
  let errors = c.validate.errors ?? [];
  let partial = true;
  if (smallerThan(payload, MAX_NODES_FOR_ALL_ERRORS)) {
    const all = compiledFor(version, action, kind, 'all');
    if (all && 'validate' in all && !all.validate(payload) && all.validate.errors) {
      errors = all.validate.errors;
      partial = false;
    }
  }
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const f = findingOf(version, e);
    // allErrors can report the same thing twice (e.g. through anyOf branches); one line each is enough.
    const key = `${f.code}\u0000${f.path ?? ''}\u0000${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
    if (out.length >= MAX_FINDINGS) break;
  }
  if (partial) {
    out.push({
      code: 'schema-more-not-listed',
      severity: 'info',
      message: `the payload is large (over ${MAX_NODES_FOR_ALL_ERRORS} values): only its first schema violation is listed`,
    });
  }
  return out;
}

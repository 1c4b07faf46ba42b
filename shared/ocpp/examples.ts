import type { JsonObject, JsonValue } from './json';
import type { PayloadKind } from './payload-schema';
import { rawPayloadSchema } from './payload-schema';
import type { OcppVersion } from './versions';

/**
 * A minimal valid request and a valid response for every action of every version, for composer templates and
 * auto-answers. Built from the official schemas (required properties only, recursively) with realistic values
 * picked by property name: Accepted statuses, current ISO timestamps, interval 300, connector 1... A test
 * validates every one of them against its schema. No ajv here: safe for the renderer.
 */

interface Schema {
  type?: string | string[];
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema | Schema[];
  minItems?: number;
  enum?: JsonValue[];
  format?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: JsonValue;
  definitions?: Record<string, Schema>;
}

// Preferred enum values, in order: the happy path a person expects from a template.
const ENUM_PREFERENCE = [
  'Accepted',
  'Available',
  'PowerUp',
  'Operative',
  'Central',
  'ISO14443',
  'Immediate',
  'Idle',
  'Installed',
  'Uploaded',
  'Unlocked',
  'Started',
  'Updated',
  'Energy.Active.Import.Register',
  'Wh',
  'A',
  'W',
  'Hard',
  'NoError',
];

// Realistic values by property name; used when the type fits and the limits allow.
const HINTS: Record<string, JsonValue> = {
  interval: 300,
  heartbeatInterval: 300,
  connectorId: 1,
  evseId: 1,
  id: 1,
  requestId: 1,
  reservationId: 1,
  chargingProfileId: 1,
  stackLevel: 0,
  meterStart: 0,
  meterStop: 2000,
  listVersion: 1,
  retries: 3,
  retryInterval: 60,
  duration: 3600,
  startPeriod: 0,
  numberPhases: 3,
  limit: 16,
  seqNo: 0,
  configurationSlot: 1,
  securityProfile: 1,
  idTag: 'TAG-0001',
  parentIdTag: 'TAG-0000',
  idToken: 'TAG-0001',
  chargePointVendor: 'ExampleVendor',
  chargePointModel: 'ExampleModel',
  vendorName: 'ExampleVendor',
  model: 'ExampleModel',
  vendorId: 'com.example',
  serialNumber: 'SN-0001',
  firmwareVersion: '1.0.0',
  key: 'HeartbeatInterval',
  value: '300',
  name: 'Example',
  transactionId: 'TX-0001',
  remoteStartId: 1,
  location: 'https://example.com/files/firmware.bin',
  remoteLocation: 'https://example.com/upload',
  url: 'https://example.com/',
  csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB...\n-----END CERTIFICATE REQUEST-----',
  certificate: '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----',
  certificateChain: '-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----',
  hashAlgorithm: 'SHA256',
  issuerNameHash: '0f2a6c1d7e3b9a84c5d6e7f8091a2b3c4d5e6f70',
  issuerKeyHash: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
  language: 'en',
  currency: 'EUR',
  message: 'Hello',
  content: 'Hello',
  type: 'Example',
  tech: 'Example',
  techInfo: 'Example',
  reasonCode: 'NoError',
};

// Integer stand-ins where the name's usual hint is a string (1.6 transaction ids are integers, 2.x strings).
const INTEGER_HINTS: Record<string, number> = { transactionId: 1 };

const iso = (): string => new Date().toISOString();

function resolve(root: Schema, s: Schema): Schema {
  let cur = s;
  // Bounded: the OCA schemas never chain refs, but a cycle must not hang us.
  for (let k = 0; k < 8 && cur.$ref; k++) {
    const name = cur.$ref.slice(cur.$ref.lastIndexOf('/') + 1);
    const next = root.definitions?.[name];
    if (!next) break;
    cur = next;
  }
  return cur;
}

function typeOf(s: Schema): string | undefined {
  if (Array.isArray(s.type)) return s.type[0];
  if (s.type) return s.type;
  if (s.enum) return typeof s.enum[0];
  if (s.properties) return 'object';
  return undefined;
}

function clampNumber(s: Schema, n: number): number {
  let v = n;
  if (s.minimum !== undefined && v < s.minimum) v = s.minimum;
  if (s.maximum !== undefined && v > s.maximum) v = s.maximum;
  return v;
}

function instance(root: Schema, raw: Schema, name: string, depth: number): JsonValue {
  const s = resolve(root, raw);
  if (s.enum && s.enum.length > 0) {
    for (const p of ENUM_PREFERENCE) if (s.enum.includes(p)) return p;
    return s.enum[0] ?? null;
  }
  const hint = HINTS[name];
  switch (typeOf(s)) {
    case 'object': {
      const out: JsonObject = {};
      if (depth > 12) return out;
      for (const key of s.required ?? []) {
        const ps = s.properties?.[key];
        out[key] = ps ? instance(root, ps, key, depth + 1) : null;
      }
      return out;
    }
    case 'array': {
      const n = Math.max(0, s.minItems ?? 0);
      const item = Array.isArray(s.items) ? s.items[0] : s.items;
      const out: JsonValue[] = [];
      // Singular element name for hints: sampledValue -> value hints do not apply, keep the array's own name.
      for (let k = 0; k < n && k < 4; k++) out.push(item ? instance(root, item, name, depth + 1) : null);
      return out;
    }
    case 'string': {
      if (s.format === 'date-time') return iso();
      if (s.format === 'uri')
        return typeof hint === 'string' && hint.startsWith('http') ? hint : 'https://example.com/';
      let v = typeof hint === 'string' ? hint : typeof hint === 'number' ? String(hint) : 'example';
      if (s.maxLength !== undefined && [...v].length > s.maxLength) v = [...v].slice(0, s.maxLength).join('');
      return v;
    }
    case 'integer': {
      const h =
        typeof hint === 'number' && Number.isInteger(hint) ? hint : (INTEGER_HINTS[name] ?? s.minimum ?? 0);
      return Math.ceil(clampNumber(s, h));
    }
    case 'number':
      return clampNumber(s, typeof hint === 'number' ? hint : (s.minimum ?? 0));
    case 'boolean':
      return typeof s.default === 'boolean' ? s.default : false;
    case 'null':
      return null;
    default:
      return {};
  }
}

// Hand-picked payloads where the minimal one would be valid but unhelpful (a template should show the usual fields).
type Override = (version: OcppVersion) => JsonObject;
const REQUEST_OVERRIDES: Record<string, Override> = {
  MeterValues: (v): JsonObject =>
    v === '1.6'
      ? {
          connectorId: 1,
          meterValue: [
            {
              timestamp: iso(),
              sampledValue: [{ value: '1234.5', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
            },
          ],
        }
      : {
          evseId: 1,
          meterValue: [
            {
              timestamp: iso(),
              sampledValue: [{ value: 1234.5, measurand: 'Energy.Active.Import.Register' }],
            },
          ],
        },
};

const RESPONSE_OVERRIDES: Record<string, Override> = {
  // Only 1.6 has GetConfiguration; an empty answer would read as "this charger has no settings".
  GetConfiguration: (): JsonObject => ({
    configurationKey: [
      { key: 'HeartbeatInterval', readonly: false, value: '300' },
      { key: 'MeterValueSampleInterval', readonly: false, value: '60' },
    ],
  }),
};

function build(version: OcppVersion, action: string, kind: PayloadKind): JsonObject | undefined {
  const schema = rawPayloadSchema(version, action, kind) as Schema | undefined;
  if (!schema) return undefined;
  const o = (kind === 'request' ? REQUEST_OVERRIDES : RESPONSE_OVERRIDES)[action];
  if (o) return o(version);
  const v = instance(schema, schema, '', 0);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

/** True when the version defines this action and kind (a SEND-only action has no response). */
export function hasExample(version: OcppVersion, action: string, kind: PayloadKind): boolean {
  return rawPayloadSchema(version, action, kind) !== undefined;
}

/** A minimal valid request payload (fresh object, timestamps = now); {} for an action the version lacks. */
export function exampleRequest(version: OcppVersion, action: string): JsonObject {
  return build(version, action, 'request') ?? {};
}

/** A valid, happy-path response payload (Accepted, current time...); {} when there is no response schema. */
export function exampleResponse(version: OcppVersion, action: string): JsonObject {
  return build(version, action, 'response') ?? {};
}

/** Either kind, for code that has the kind as a value. */
export function examplePayload(version: OcppVersion, action: string, kind: PayloadKind): JsonObject {
  return build(version, action, kind) ?? {};
}

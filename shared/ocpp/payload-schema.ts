import { SCHEMA_INDEX } from './generated/schema-index';
import type { JsonObject, JsonValue } from './json';
import type { OcppVersion } from './versions';

/**
 * Schema lookup without a validator: safe for the renderer (no ajv, no `new Function`), so Monaco can be given the
 * official schemas. schema-registry.ts re-exports these for the Node side.
 */

export type PayloadKind = 'request' | 'response';

/** The official OCA schema object exactly as vendored (shared; never mutate it). */
export function rawPayloadSchema(
  version: OcppVersion,
  action: string,
  kind: PayloadKind,
): object | undefined {
  const pair = Object.hasOwn(SCHEMA_INDEX[version], action) ? SCHEMA_INDEX[version][action] : undefined;
  return kind === 'request' ? pair?.request : pair?.response;
}

function rewriteRefs(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$ref' && typeof v === 'string') {
      // An absolute ref (urn:...#/definitions/X) only resolves against the urn $id, which we remove: keep the fragment.
      const hash = v.indexOf('#');
      out[k] = hash > 0 ? v.slice(hash) : v;
    } else if (k === 'javaType') {
      // Code-generator hint, meaningless to an editor.
      continue;
    } else out[k] = rewriteRefs(v);
  }
  return out;
}

/**
 * A fresh copy of a payload schema adapted for editors (Monaco's JSON language service): the `urn:` identity
 * (`$id`, or `id` in draft-04 files) removed, because the service resolves `urn:` refs as relative paths and fails;
 * every `$ref` made local (`#/definitions/...`). Undefined when the version has no such action or kind.
 */
export function payloadSchema(
  version: OcppVersion,
  action: string,
  kind: PayloadKind,
): JsonObject | undefined {
  const raw = rawPayloadSchema(version, action, kind);
  if (!raw) return undefined;
  const copy = rewriteRefs(raw as JsonObject) as JsonObject;
  delete copy.$id;
  if (typeof copy.id === 'string') delete copy.id;
  return copy;
}

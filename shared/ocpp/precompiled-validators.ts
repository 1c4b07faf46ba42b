import type { ValidateFunction } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { quickDateTime } from './date-time-format';
import type { OcppVersion } from './versions';

/**
 * The validators compiled at build time (build/gen-validators.mjs, ajv's standalone code), so that the first use of
 * an action costs no schema compile: compiling one 2.1 schema at run time took up to 100 ms and froze every
 * connection meanwhile. A version's code is loaded once, when the version is first wanted (its JSON, off the hot
 * path); each validator is then made from its code on first use or by the warm-up, in well under a millisecond to
 * a few for the largest, instead of ajv's tens to hundreds.
 *
 * Node side only, like ajv itself: the code is instantiated with `new Function`.
 */

export type ValidatorMode = 'first' | 'all';

interface GeneratedTable {
  inputs: string;
  /** `Action/kind/mode` -> the text of `(function(formats, ucs2length) { ...; return validate; })`. */
  validators: Record<string, string>;
}

// The generated code asks for the two modules ajv's code needs by these names (see RUNTIME in the generator).
// date-time with a quick yes in front of the full check (same verdicts): it is in nearly every payload.
const FORMATS = { fullFormats: { ...fullFormats, 'date-time': quickDateTime(fullFormats['date-time']) } };
const UCS2LENGTH = { default: ucs2length };

/** Length of a string in code points, as JSON Schema counts it (maxLength). */
function ucs2length(str: string): number {
  let n = 0;
  for (let i = 0; i < str.length; i++, n++) {
    const c = str.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length && (str.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}

// Literal paths, so bundlers include the tables.
const LOADERS: Record<OcppVersion, () => Promise<{ default: GeneratedTable }>> = {
  '1.6': () => import('./generated/validators/v16.json', { with: { type: 'json' } }),
  '2.0.1': () => import('./generated/validators/v201.json', { with: { type: 'json' } }),
  '2.1': () => import('./generated/validators/v21.json', { with: { type: 'json' } }),
};

const tables = new Map<OcppVersion, Record<string, string>>();
const loading = new Map<OcppVersion, Promise<boolean>>();

/**
 * Loads a version's generated code (once); resolves false when it cannot be (then schemas compile at run time, as
 * before). Never rejects.
 */
export function loadPrecompiled(version: OcppVersion): Promise<boolean> {
  let p = loading.get(version);
  if (!p) {
    p = LOADERS[version]().then(
      (m) => {
        tables.set(version, m.default.validators);
        return true;
      },
      () => false,
    );
    loading.set(version, p);
  }
  return p;
}

/** True once the version's generated code is loaded. */
export function precompiledLoaded(version: OcppVersion): boolean {
  return tables.has(version);
}

/**
 * The build-time validator of a schema, made from its code now; undefined when the version's code is not loaded or
 * has none for it. The caller keeps it (schema-registry caches every validator).
 */
export function makePrecompiled(
  version: OcppVersion,
  action: string,
  kind: 'request' | 'response',
  mode: ValidatorMode,
): ValidateFunction | undefined {
  const source = tables.get(version)?.[`${action}/${kind}/${mode}`];
  if (source === undefined) return undefined;
  // The code is ours (generated at build time from the vendored schemas), never a peer's.
  const make = new Function(`return ${source}`)() as (f: object, u: object) => ValidateFunction;
  return make(FORMATS, UCS2LENGTH);
}

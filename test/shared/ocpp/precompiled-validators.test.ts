import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { actionsOf } from '../../../shared/ocpp/actions';
import { exampleRequest, exampleResponse } from '../../../shared/ocpp/examples';
import type { JsonValue } from '../../../shared/ocpp/json';
import {
  loadPrecompiled,
  makePrecompiled,
  precompiledLoaded,
} from '../../../shared/ocpp/precompiled-validators';
import { createAjv, rawPayloadSchema, schemaDraft } from '../../../shared/ocpp/schema-registry';
import { OCPP_VERSIONS } from '../../../shared/ocpp/versions';

const what = (errors: ErrorObject[] | null | undefined): unknown =>
  (errors ?? []).map((e) => [e.instancePath, e.schemaPath, e.keyword, e.params, e.data]);

describe('validators compiled at build time', () => {
  it.each(OCPP_VERSIONS)(
    'judge every payload as the run-time compiled ones do, errors and all (%s)',
    async (version) => {
      expect(await loadPrecompiled(version)).toBe(true);
      expect(precompiledLoaded(version)).toBe(true);
      const ajv = {
        first: { 4: createAjv(4, 'first'), 6: createAjv(6, 'first') },
        all: { 4: createAjv(4, 'all'), 6: createAjv(6, 'all') },
      };
      const differ: string[] = [];
      let checked = 0;
      for (const a of actionsOf(version))
        for (const kind of ['request', 'response'] as const) {
          const schema = rawPayloadSchema(version, a.name, kind);
          if (!schema) continue;
          const example =
            kind === 'request' ? exampleRequest(version, a.name) : exampleResponse(version, a.name);
          // Valid, empty, a stranger property, wrong types at the top, and the example with a bad field.
          const payloads: JsonValue[] = [example, {}, { zzz: 1 }, [], 'text', { ...example, customData: 5 }];
          for (const key of Object.keys(example).slice(0, 2)) payloads.push({ ...example, [key]: [null] });
          for (const mode of ['first', 'all'] as const) {
            const built = makePrecompiled(version, a.name, kind, mode);
            const compiled = ajv[mode][schemaDraft(schema)].compile(schema);
            if (!built) {
              differ.push(`${a.name} ${kind} ${mode}: no build-time validator`);
              continue;
            }
            for (const p of payloads) {
              checked++;
              const ok = [built(p), compiled(p)];
              if (
                ok[0] !== ok[1] ||
                JSON.stringify(what(built.errors)) !== JSON.stringify(what(compiled.errors))
              )
                differ.push(`${a.name} ${kind} ${mode} ${JSON.stringify(p).slice(0, 60)}`);
            }
          }
        }
      expect(differ).toEqual([]);
      expect(checked).toBeGreaterThan(100);
    },
    60_000,
  );
});

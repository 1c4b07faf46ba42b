import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FILE_OF, inputsHash } from '../../build/gen-validators.mjs';
import { OCPP_VERSIONS } from '../../shared/ocpp/versions';

describe('build-time validators (build/gen-validators.mjs)', () => {
  it.each(OCPP_VERSIONS)('are generated from the current schemas, ajv and options (%s)', (version) => {
    const file = new URL(`../../shared/ocpp/generated/validators/${FILE_OF[version]}.json`, import.meta.url);
    const table = JSON.parse(readFileSync(file, 'utf8')) as { inputs: string };
    // Stale: run `npm run gen:validators` and commit the output.
    expect(table.inputs).toBe(inputsHash(version));
  });
});

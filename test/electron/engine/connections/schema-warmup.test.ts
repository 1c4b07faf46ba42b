import { describe, expect, it } from 'vitest';
import {
  schemasReady,
  schemasWarm,
  warmSchemas,
} from '../../../../electron/engine/connections/schema-warmup';
import { actionsOf } from '../../../../shared/ocpp/actions';
import {
  isSchemaCompiled,
  rawPayloadSchema,
  schemasCompiledAtRunTime,
} from '../../../../shared/ocpp/schema-registry';

describe('schema warm-up', () => {
  it('readies both validators of every schema of a version from the build, without blocking the loop for long', async () => {
    expect(schemasWarm('1.6')).toBe(false);
    // The loop keeps turning during the warm-up: immediates scheduled meanwhile run between slices.
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    await schemasReady(['1.6']);
    spinning = false;
    expect(turns).toBeGreaterThan(5);
    const missing: string[] = [];
    for (const a of actionsOf('1.6'))
      for (const kind of ['request', 'response'] as const)
        for (const mode of ['first', 'all'] as const)
          if (rawPayloadSchema('1.6', a.name, kind) && !isSchemaCompiled('1.6', a.name, kind, mode))
            missing.push(`${a.name} ${kind} ${mode}`);
    expect(missing).toEqual([]);
    // Made from the code compiled at build time: nothing was compiled by ajv here.
    expect(schemasCompiledAtRunTime()).toBe(0);
    expect(schemasWarm('1.6')).toBe(true);
    // Warm: no waiting at all.
    let resolved = false;
    void warmSchemas(['1.6']).then(() => (resolved = true));
    await Promise.resolve();
    expect(resolved).toBe(true);
  });
});

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The validators are held to the contract's types at compile time (CHECKS_MATCH_CONTRACT in shared/api-validate.ts).
 * Tried on a scratch copy of shared/ the way the drift happened before: a field added to a contract type and not to
 * its validator must fail `tsc`, naming nothing at run time.
 */
const root = join(import.meta.dirname, '..', '..');

function tscWith(edit: (api: string) => string): { status: number | null; out: string } {
  // Inside node_modules so that the copy resolves the same packages (ajv) as the original.
  const scratch = join(root, 'node_modules', '.cache', `contract-scratch-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    cpSync(join(root, 'tsconfig.json'), join(scratch, 'tsconfig.json'));
    cpSync(join(root, 'shared'), join(scratch, 'shared'), { recursive: true });
    // Only the validators and what they import: the assertion lives there, and the rest of shared/ is not needed.
    writeFileSync(
      join(scratch, 'tsconfig.check.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { lib: ['ES2023'], types: [] },
        files: ['shared/api-validate.ts'],
      }),
    );
    const api = join(scratch, 'shared', 'api.ts');
    writeFileSync(api, edit(readFileSync(api, 'utf8')));
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(scratch, 'tsconfig.check.json')],
      {
        encoding: 'utf8',
      },
    );
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe('contract validators follow the contract types', () => {
  it('a field added to a contract type but not to its validator fails to compile', () => {
    const drifted = tscWith((api) =>
      api.replace(/export interface ReplaySettings \{\n/, '$&  driftedField?: string;\n'),
    );
    expect(drifted.status).not.toBe(0);
    expect(drifted.out).toMatch(/CHECKS_MATCH_CONTRACT|api-validate\.ts/);
    expect(drifted.out).toContain('startReplay');
    const untouched = tscWith((api) => api);
    expect(untouched.out).toBe('');
    expect(untouched.status).toBe(0);
  }, 120_000);
});

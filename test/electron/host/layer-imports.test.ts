import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** electron/app and electron/host are siblings: neither imports the other; what both need is in electron/common. */

const root = join(import.meta.dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => relative(root, join(d.parentPath, d.name)));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('electron/app and electron/host do not import each other', () => {
  it.each([
    ['electron/app', /(^|\/)host\//],
    ['electron/host', /(^|\/)app\//],
    ['electron/common', /(^|\/)(app|host)\//],
  ])('%s', (dir, forbidden) => {
    const offending = sources(dir).flatMap((f) =>
      importsOf(f)
        .filter((spec) => spec.startsWith('.') && forbidden.test(spec))
        .map((spec) => `${f} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('ESLint rejects such an import in either direction, and still the renderer', async () => {
    const eslint = new ESLint({ cwd: root });
    const lint = async (filePath: string, code: string): Promise<string[]> =>
      (await eslint.lintText(code, { filePath: join(root, filePath) }))
        .flatMap((r) => r.messages)
        .filter((m) => m.ruleId === 'no-restricted-imports')
        .map((m) => m.message);
    expect(
      await lint(
        'electron/host/probe.ts',
        "import { x } from '../app/settings-store';\nexport const y = x;\n",
      ),
    ).toHaveLength(1);
    expect(
      await lint('electron/app/probe.ts', "import { x } from '../host/serve';\nexport const y = x;\n"),
    ).toHaveLength(1);
    expect(
      await lint(
        'electron/host/probe.ts',
        "import { x } from '../../renderer/src/x';\nexport const y = x;\n",
      ),
    ).toHaveLength(1);
    expect(
      await lint('electron/host/probe.ts', "import { x } from '../common/csp';\nexport const y = x;\n"),
    ).toEqual([]);
  }, 60_000);
});

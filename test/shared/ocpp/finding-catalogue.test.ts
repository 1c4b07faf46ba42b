import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAILURE_CATALOGUE, FINDING_CATALOGUE, findingSpec } from '../../../shared/ocpp/finding-catalogue';
import { renderFindingsDoc } from '../../../shared/ocpp/finding-catalogue-doc';

const root = join(import.meta.dirname, '../../..');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'schemas' || name === 'generated' || name === 'node_modules') continue;
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Codes that are not findings: errors of the UI/engine contract and of opening a file, carried as such. */
const CONTRACT_ERROR_CODES = new Set([
  'failed',
  'forbidden',
  'not-available',
  'unknown-method',
  'bad-arguments',
  'not-found',
  'unreadable',
  'unknown-format',
  'too-large',
  'empty',
]);

describe('the finding catalogue', () => {
  it('lists each code once, with a meaning', () => {
    for (const list of [FINDING_CATALOGUE, FAILURE_CATALOGUE]) {
      const codes = list.map((f) => f.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const f of list) {
        expect(f.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(f.meaning.length).toBeGreaterThan(10);
      }
    }
    expect(findingSpec('duplicate-message-id')?.severity).toBe('error');
    expect(findingSpec('no-such-code')).toBeUndefined();
  });

  it('generates docs/findings.md (run `npm run gen:findings` after changing the catalogue)', () => {
    expect(readFileSync(join(root, 'docs/findings.md'), 'utf8')).toBe(renderFindingsDoc());
  });

  it('covers every code the source can emit', () => {
    const known = new Set([...FINDING_CATALOGUE, ...FAILURE_CATALOGUE].map((f) => f.code));
    const covered = (code: string): boolean =>
      known.has(code) ||
      known.has(`capture-${code}`) ||
      known.has(`frame-${code}`) ||
      CONTRACT_ERROR_CODES.has(code);
    const missing: string[] = [];
    let seen = 0;
    for (const file of [...sources(join(root, 'shared')), ...sources(join(root, 'electron'))]) {
      const text = readFileSync(file, 'utf8');
      // `code: 'x'` in object literals, the engine's failure('stage', 'code', ...), the importers' finding('code', ...),
      // a file reader's problem('code', ...) / problems.add('code', ...), and [code, message] tuples (capture lines).
      const re =
        /\bcode: '([a-z0-9-]+)'|\bfailure\(\s*'[a-z]+',\s*'([a-z0-9-]+)'|\bfinding\(\s*'([a-z0-9-]+)'|\b(?:problem|problems\.add)\(\s*'([a-z0-9-]+)'|\[\s*'([a-z0-9-]+)',\s*['`][A-Z]/g;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        const code = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5])!;
        seen++;
        if (!covered(code)) missing.push(`${code} (${file.slice(root.length + 1)})`);
      }
    }
    expect(seen).toBeGreaterThan(80);
    expect(missing).toEqual([]);
  });
});

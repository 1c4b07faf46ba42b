import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { enginesNode, minimumOf, nodeRequirement } from '../../build/node-version.mjs';
import { testTempDir } from '../support/temp-dirs';

const root = join(import.meta.dirname, '..', '..');

interface LockedPackage {
  version?: string;
  engines?: Record<string, string> | string[];
}

function lockedPackages(): [string, LockedPackage][] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockedPackage>;
  };
  return Object.entries(lock.packages).filter(([path]) => path !== '');
}

describe('the Node line in package.json (engines.node)', () => {
  const ours = enginesNode(join(root, 'package.json')) ?? '';

  it('is a plain minimum that the lock file records too', () => {
    expect(minimumOf(ours)).toBeDefined();
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockedPackage>;
    };
    expect(lock.packages['']?.engines).toEqual({ node: ours });
  });

  it('satisfies, at its lowest version, the Node range of every installed package', () => {
    // Otherwise `npm install` on the oldest Node we claim prints EBADENGINE warnings (Electron 45's tooling wants
    // >= 22.12): raise our minimum or pick a release of the dependency that accepts it.
    const lowest = semver.minVersion(ours);
    expect(lowest).not.toBeNull();
    const refused: string[] = [];
    for (const [path, pkg] of lockedPackages()) {
      const range = Array.isArray(pkg.engines) ? undefined : pkg.engines?.node;
      if (range === undefined) continue;
      if (!semver.satisfies(lowest!, range))
        refused.push(`${path}@${pkg.version ?? '?'} wants node ${range}`);
    }
    expect(refused).toEqual([]);
  });

  it('is what build/start.mjs asks for, in one sentence, on an older Node', () => {
    expect(nodeRequirement('>=22.12.0', 'v20.20.2')).toBe(
      'OCPP Scope needs Node 22.12.0 or later (this is Node 20.20.2): install Node 22 LTS, ' +
        'or run `.ci/run --node-only`, which fetches one and prints how to use it.',
    );
    expect(nodeRequirement('>=22.12.0', '22.11.9')).toMatch(/^OCPP Scope needs Node 22\.12\.0 or later/);
    expect(nodeRequirement('>=22.12.0', '22.12.0')).toBeUndefined();
    expect(nodeRequirement('>=22.12.0', 'v24.1.0')).toBeUndefined();
    expect(nodeRequirement(ours, semver.minVersion(ours)!.version)).toBeUndefined();
  });

  it('gives no requirement, instead of failing npm start, when package.json has no engines field', () => {
    const dir = testTempDir('engines');
    writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
    expect(enginesNode(join(dir, 'package.json'))).toBeUndefined();
    expect(enginesNode(join(dir, 'missing.json'))).toBeUndefined();
    expect(nodeRequirement(undefined, 'v20.0.0')).toBeUndefined();
    expect(minimumOf('^22')).toBeUndefined();
  });
});

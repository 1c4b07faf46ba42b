// The Node line the toolchain needs (Electron 45 and its tooling want >= 22.12), read from `engines.node` in
// package.json so that the one field stays the single source. Plain JS with no dependency: it must run before
// `npm install` has finished, on whatever Node the person has.
import { readFileSync } from 'node:fs';

/** The minimum version of an `engines.node` range of the form `>=X.Y.Z` (the only form package.json uses). */
export function minimumOf(range) {
  if (typeof range !== 'string') return undefined;
  const match = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  return match ? match.slice(1, 4).map(Number) : undefined;
}

function atLeast(have, want) {
  for (let i = 0; i < 3; i += 1) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

/** One sentence naming the Node required when `version` is older than `range`; undefined when it is new enough. */
export function nodeRequirement(range, version = process.versions.node) {
  const want = minimumOf(range);
  if (!want) return undefined;
  const have = version.replace(/^v/, '').split(/[.-]/).slice(0, 3).map(Number);
  if (atLeast(have, want)) return undefined;
  return (
    `OCPP Scope needs Node ${want.join('.')} or later (this is Node ${have.join('.')}): install Node 22 LTS, ` +
    'or run `.ci/run --node-only`, which fetches one and prints how to use it.'
  );
}

/** The `engines.node` range of the package.json at `file`. */
export function enginesNode(file) {
  // A package.json without the field (or unreadable) gives no requirement: this check warns, it never stops a start.
  try {
    return JSON.parse(readFileSync(file, 'utf8'))?.engines?.node;
  } catch {
    return undefined;
  }
}

// `npm test`: type-check every layer, lint, then every test; ends with one plain summary line.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const steps = [
  ['type-check', 'npx', ['tsc', '-p', 'shared']],
  ['type-check', 'npx', ['tsc', '-p', 'electron']],
  ['type-check', 'npx', ['tsc', '-p', 'renderer']],
  ['type-check', 'npx', ['tsc', '-p', 'test']],
  ['lint', 'npx', ['eslint', '.']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['build', 'npm', ['run', 'build']],
];
for (const [name, cmd, args] of steps) {
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.log(`\n${name} failed (exit ${r.status}).`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

// Tests that measure time (round trips at the wire, the engine's fair share) run on their own after the rest, so
// that the other test files' processes do not take the two cores from under the measurement.
const TIMED = ['test/electron/engine/wire-rtt.test.ts', 'test/electron/engine/fair-share.test.ts'];
const own = process.argv.slice(2);
const phases =
  own.length > 0
    ? [{ name: 'vitest run', args: own }]
    : [
        { name: 'vitest run (all but the timed tests)', args: TIMED.flatMap((f) => ['--exclude', f]) },
        { name: 'vitest run (timed tests, one file at a time)', args: ['--no-file-parallelism', ...TIMED] },
      ];
let passed = 0;
let failed = 0;
let skipped = 0;
let status = 0;
for (const [i, phase] of phases.entries()) {
  const results = `.vitest-results-${i}.json`;
  rmSync(results, { force: true });
  console.log(`\n== tests: ${phase.name}`);
  const r = spawnSync(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...phase.args],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) status = r.status ?? 1;
  try {
    const json = JSON.parse(readFileSync(results, 'utf8'));
    passed += json.numPassedTests;
    failed += json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0);
    skipped += json.numPendingTests + json.numTodoTests;
  } catch {
    failed = Math.max(1, failed);
  }
}
const r = { status };
if (r.status !== 0 && failed === 0) failed = 1;
if (skipped > 0) {
  // A skipped test is not a passing one: fail loudly so that nobody mistakes it for coverage.
  console.log(`${skipped} test(s) were skipped; skipped tests are not allowed.`);
  failed += skipped;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

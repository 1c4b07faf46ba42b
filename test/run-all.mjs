// `npm test`: type-check every layer, lint, then every test; ends with one plain summary line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
// The tests get a temp dir of their own: whatever is in it once they have all ended is something a test (or the
// product under test) made and did not remove, and nothing of a run elsewhere on the machine (another checkout, a
// benchmark) is mistaken for ours. The caches tools keep in the temp dir (tsx's, Node's compile cache) are not
// leftovers. A clean run removes the dir; one with leftovers keeps it for a look (a fuzz crash saves its input there).
const TOOL_CACHES = /^(tsx-\d+|node-compile-cache)$/;
const testTmp = mkdtempSync(join(tmpdir(), 'ocpp-scope-test-run-'));
const env = { ...process.env, TMPDIR: testTmp, TMP: testTmp, TEMP: testTmp };
for (const [i, phase] of phases.entries()) {
  const results = `.vitest-results-${i}.json`;
  rmSync(results, { force: true });
  console.log(`\n== tests: ${phase.name}`);
  const r = spawnSync(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...phase.args],
    { stdio: 'inherit', env },
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
const left = readdirSync(testTmp).filter((name) => !TOOL_CACHES.test(name));
if (left.length === 0) rmSync(testTmp, { recursive: true, force: true, maxRetries: 5 });
else {
  console.log(
    `\nThe tests left ${left.length} file(s) or folder(s) in their temp dir ${testTmp}: ${left.sort().join(', ')}.\n` +
      'Each test removes what it makes, even when it fails (test/support/temp-dirs.ts). Remove the dir when done.',
  );
  failed += 1;
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

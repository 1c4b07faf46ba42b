import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe('number fields that hold fractional times start as doubles (double-zero.ts)', () => {
  it("a lane, a share account, a frame event and a connection keep V8's hidden class through traffic", () => {
    // In a child with V8's natives syntax (the test process has none): a field that changed its kind would have
    // moved the objects that saw traffic to another hidden class than the untouched one of their kind, which on a
    // running engine left the answer path unoptimised for good (see double-zero.ts).
    const r = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', 'test/support/hidden-classes.ts'],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    // The heavy ones were made to wait (their wait and slack set to fractions): the case that changed the class.
    expect(out['slowed']).toBe(true);
    // One of its frames waited, then was handled (its delay noted): the lane's fields past a wait too.
    expect(out['queued']).toBe(1);
    expect(Number.isInteger(out['slack'])).toBe(false);
    expect(out).toMatchObject({ lane: true, account: true, event: true, connection: true, lastRttMs: 7 });
  });
});

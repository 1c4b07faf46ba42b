import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScopeEngine } from '../../../../electron/engine/scope-engine';
import { defaultStationSettings } from '../../../../shared/api-defaults';
import { CHARGER_CORE_16 } from '../../../../shared/scenario/suites/charger-core-1-6';
import { CHARGER_CORE_201 } from '../../../../shared/scenario/suites/charger-core-2-0-1';
import { runAgainstCharger } from './check-harness';

/** Our own simulated charger (another engine, connected as a station with the simulator on) under test. */
async function simulatedCharger(url: string, version: '1.6' | '2.0.1'): Promise<{ stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'check-sim-'));
  const engine = new ScopeEngine({ dataDir });
  await engine.connectStation({ ...defaultStationSettings(), url: `${url}/SIM-CHECK`, protocols: [version] });
  return {
    stop: async () => {
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What the simulated charger does not do (yet), found by these suites: it does not validate the payloads of the
 * CALLs it receives (a wrong type, a missing field, an unknown enum value get a CALLRESULT, not a CALLERROR); after
 * a second reset in a row (Hard right after Soft; 2.0.1 Immediate after OnIdle) it reconnects but sends no
 * BootNotification within minutes; TriggerMessage BootNotification shortly after a reset did not bring a
 * BootNotification within the 3 s these tests allow. The second reset is left out (it would wait out its 180 s); the
 * payload cases are asserted to fail, so this test says so when the simulator learns them; every other case must pass.
 */
const PAYLOAD_GAPS = ['malformed-payload', 'missing-required-field', 'wrong-payload-type'];
const UNSETTLED = ['trigger-boot-notification'];

describe.each([
  { suite: CHARGER_CORE_16, version: '1.6' as const, secondReset: 'reset-hard' },
  { suite: CHARGER_CORE_201, version: '2.0.1' as const, secondReset: 'reset-immediate' },
])('$suite.name against our simulated charger', ({ suite, version, secondReset }) => {
  it('passes every case that needs no person, except the known gaps of the simulator', async () => {
    const cases = suite.cases.map((c) => c.id).filter((id) => id !== secondReset);
    const { report } = await runAgainstCharger(suite, (url) => simulatedCharger(url, version), { cases });
    const notPassed = report.cases.filter(
      (c) => c.verdict !== 'passed' && c.verdict !== 'skipped' && !UNSETTLED.includes(c.id),
    );
    expect(
      notPassed
        .map((c) => `${c.id}: ${c.reason}`)
        .filter((r) => !PAYLOAD_GAPS.some((g) => r.startsWith(`${g}:`))),
    ).toEqual([]);
    expect(notPassed.map((c) => c.id).sort()).toEqual(PAYLOAD_GAPS);
    for (const c of notPassed) expect(c.failure!.actual).toMatch(/^expected CALLERROR, got CALLRESULT/);
    expect(report.cases.filter((c) => c.verdict === 'passed').length).toBeGreaterThan(20);
  }, 90_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScopeEngine } from '../../../../electron/engine/scope-engine';
import { defaultStationSettings } from '../../../../shared/api-defaults';
import { CHARGER_CORE_16 } from '../../../../shared/scenario/suites/charger-core-1-6';
import { CHARGER_CORE_201 } from '../../../../shared/scenario/suites/charger-core-2-0-1';
import { needsPerson } from '../../../../shared/scenario/parse-scenario';
import { runAgainstCharger, verdicts } from './check-harness';

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

describe.each([
  { suite: CHARGER_CORE_16, version: '1.6' as const },
  { suite: CHARGER_CORE_201, version: '2.0.1' as const },
])('$suite.name against our simulated charger', ({ suite, version }) => {
  it('passes every case that needs no person: payload validation (CALLERROR), resets in a row, triggers', async () => {
    const { report } = await runAgainstCharger(suite, (url) => simulatedCharger(url, version));
    const notPassed = report.cases.filter((c) => c.verdict !== 'passed' && c.verdict !== 'skipped');
    expect(notPassed.map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
    // Skipped are exactly the cases that need a person: no automatic case is let off.
    expect(verdicts(report, 'skipped')).toEqual(suite.cases.filter(needsPerson).map((c) => c.id));
    expect(verdicts(report, 'passed').length).toBe(suite.cases.filter((c) => !needsPerson(c)).length);
  }, 90_000);
});

import { describe, expect, it } from 'vitest';
import { needsPerson } from '../../../../shared/scenario/parse-scenario';
import { CHARGER_CORE_16 } from '../../../../shared/scenario/suites/charger-core-1-6';
import { CHARGER_CORE_201 } from '../../../../shared/scenario/suites/charger-core-2-0-1';
import { runAgainstCharger, verdicts } from './check-harness';
import { startRpcCharger } from './rpc-charger';

const manual = (s: typeof CHARGER_CORE_16): string[] => s.cases.filter(needsPerson).map((c) => c.id);

describe.each([
  { suite: CHARGER_CORE_16, version: '1.6' as const, resets: ['reset-soft', 'reset-hard'] },
  { suite: CHARGER_CORE_201, version: '2.0.1' as const, resets: ['reset-on-idle', 'reset-immediate'] },
])('$suite.name against an ocpp-rpc charger (strict mode)', ({ suite, version, resets }) => {
  it('a compliant charger passes every case that needs no person; those are skipped', async () => {
    const { report, events } = await runAgainstCharger(suite, (url) => startRpcCharger(url, version));
    const failed = report.cases.filter((c) => c.verdict !== 'passed' && c.verdict !== 'skipped');
    expect(failed.map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
    expect(verdicts(report, 'skipped')).toEqual(manual(suite));
    expect(verdicts(report, 'passed').length).toBe(suite.cases.length - manual(suite).length);
    // The resets really rebooted the charger: a new connection each, all recorded by the engine.
    expect(events.filter((e) => e.kind === 'opened' && e.ok).length).toBe(1 + resets.length);
    // Every frame of a case is in the engine's stream under the seq the report gives.
    const seqs = new Set(events.map((e) => e.seq));
    expect(report.cases.every((c) => c.seqs.every((s) => seqs.has(s)))).toBe(true);
  }, 60_000);

  it('a broken charger fails exactly the cases that check what it breaks, each saying why', async () => {
    const { report } = await runAgainstCharger(suite, (url) =>
      startRpcCharger(url, version, { broken: true }),
    );
    const triggers = suite.cases
      .filter(
        (c) =>
          c.id.startsWith('trigger-') && c.id !== (version === '2.0.1' ? 'trigger-boot-notification' : ''),
      )
      .map((c) => c.id);
    const negative = ['malformed-json', 'malformed-payload', 'wrong-payload-type', 'missing-required-field'];
    expect(verdicts(report, 'failed').sort()).toEqual([...resets, ...triggers, ...negative].sort());
    const byId = new Map(report.cases.map((c) => [c.id, c]));
    const reset = byId.get(resets[0]!)!.failure!;
    expect(reset.actual).toContain('expected CALLRESULT, got CALLERROR NotImplemented to Reset');
    expect(reset.actualFrame).toContain('"NotImplemented"');
    expect(reset.seqs.length).toBe(2);
    const trigger = byId.get('trigger-heartbeat')!.failure!;
    expect(trigger.expected).toContain('CALL Heartbeat');
    expect(trigger.actual).toBe('nothing of that kind came within 3 s');
    expect(byId.get('malformed-json')!.failure!.actual).toBe('nothing of that kind came within 3 s');
    expect(byId.get('malformed-payload')!.failure!.actual).toContain('got CALLRESULT');
    expect(byId.get('wrong-payload-type')!.reason).toMatch(
      /Step 2 \(expect CALLERROR .*TypeConstraintViolation/,
    );
  }, 90_000);
});

import { describe, expect, it } from 'vitest';
import { CSMS_CORE_16, CSMS_CORE_201 } from '../../../../shared/scenario/suites/csms-core';
import { runAgainstCsms, verdicts } from './check-harness';
import { startRpcCsms } from './rpc-csms';

describe.each([
  { suite: CSMS_CORE_16, version: '1.6' as const },
  { suite: CSMS_CORE_201, version: '2.0.1' as const },
])('$suite.name against an ocpp-rpc CSMS (strict mode)', ({ suite, version }) => {
  it('a CSMS with correct handlers passes every case', async () => {
    const csms = await startRpcCsms(version);
    try {
      const { report, events } = await runAgainstCsms(suite, csms.url);
      expect(report.cases.filter((c) => c.verdict !== 'passed').map((c) => `${c.id}: ${c.reason}`)).toEqual(
        [],
      );
      // Every frame went through the engine's station connection.
      const frames = events.filter((e) => e.kind === 'frame');
      expect(frames.filter((e) => e.kind === 'frame' && e.sender === 'station').length).toBeGreaterThan(
        suite.cases.length,
      );
    } finally {
      await csms.stop();
    }
  }, 60_000);

  it('a CSMS that answers wrongly fails exactly those cases, saying what came', async () => {
    const csms = await startRpcCsms(version, { wrong: true });
    try {
      const { report } = await runAgainstCsms(suite, csms.url);
      expect(verdicts(report, 'failed').sort()).toEqual([
        'authorize-invalid',
        'boot',
        'data-transfer-unknown-vendor',
      ]);
      const boot = report.cases.find((c) => c.id === 'boot')!.failure!;
      expect(boot.actual).toBe('/status is "Pending", expected "Accepted"');
      expect(boot.actualFrame).toContain('"Pending"');
      const tag = report.cases.find((c) => c.id === 'authorize-invalid')!.failure!;
      expect(tag.actual).toMatch(/status is "Accepted", expected one of/);
    } finally {
      await csms.stop();
    }
  }, 60_000);
});

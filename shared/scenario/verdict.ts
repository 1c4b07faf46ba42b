import type { CaseResult, RunReport, Verdict } from './scenario-types';

/** Counting and judging a run: one place for "did it pass", so the CLI's exit code, the UI and the reports agree. */

export type VerdictCounts = Record<Verdict, number>;

export function countVerdicts(cases: readonly Pick<CaseResult, 'verdict'>[]): VerdictCounts {
  const counts: VerdictCounts = { passed: 0, failed: 0, inconclusive: 0, skipped: 0 };
  for (const c of cases) counts[c.verdict]++;
  return counts;
}

/** A run is good when nothing failed and nothing is left undecided (skipped cases are fine: they were not run). */
export function runPassed(report: Pick<RunReport, 'cases'>): boolean {
  const n = countVerdicts(report.cases);
  return n.failed === 0 && n.inconclusive === 0;
}

export function summaryLine(report: Pick<RunReport, 'cases'>): string {
  const n = countVerdicts(report.cases);
  return `${n.passed} passed, ${n.failed} failed, ${n.inconclusive} inconclusive, ${n.skipped} skipped`;
}

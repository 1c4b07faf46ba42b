import type { SimulatorSettingsProblems } from '../../../shared/api';

/** The sentence of a check the engine refused or did not answer, under the field it is about. */
export function refusal(e: unknown): SimulatorSettingsProblems {
  const m = e instanceof Error ? e.message : String(e);
  if (m.includes('revokedCertificates')) return { revokedCertificates: m };
  if (m.includes('crlFile') || m.includes('caFile')) return { crlFile: m };
  return { config: m };
}

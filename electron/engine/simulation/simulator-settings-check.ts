import type { SimulatorSettingsCheck, SimulatorSettingsProblems } from '../../../shared/api';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { invalidValuesSentence, serialProblem, unknownKeysSentence } from '../../../shared/simulator-config';
import { deviceConfigProblems } from './device-model';
import { loadCrlFileWithNotes } from './crl-checks';

/**
 * What is wrong with a simulated charger's initial configuration and revoked serials, per field, for the versions
 * it may speak: a 1.6 station takes any key (user-defined keys are allowed), so keys are checked against the device
 * model only when every version offered is 2.x (a typo is then refused, not silently dropped). The CLI, the station
 * and fleet dialogs and the engine's own refusal all tell it with these sentences.
 */
export function simulatorSettingsProblems(
  versions: readonly OcppVersion[],
  s: {
    connectors: number;
    config?: Readonly<Record<string, string>>;
    revokedCertificates?: readonly string[];
  },
): SimulatorSettingsProblems {
  const problems: SimulatorSettingsProblems = {};
  const config = s.config ?? {};
  if (versions.length > 0 && !versions.includes('1.6') && Object.keys(config).length > 0) {
    const { unknown, invalid } = deviceConfigProblems(s.connectors, { ...config });
    const told = [
      ...(unknown.length > 0 ? [unknownKeysSentence(unknown, versions)] : []),
      ...(invalid.length > 0 ? [invalidValuesSentence(invalid)] : []),
    ];
    if (told.length > 0) problems.config = told.join(' ');
  }
  for (const serial of s.revokedCertificates ?? []) {
    const problem = serialProblem(serial);
    if (problem) {
      problems.revokedCertificates = problem;
      break;
    }
  }
  return problems;
}

/**
 * simulatorSettingsProblems, and whether the CRL file (if any) can be read as one; a CRL that is read but whose
 * signature or dates are not right is `crlNote` (a warning: the list is still used).
 */
export async function checkSimulatorSettings(
  request: SimulatorSettingsCheck,
): Promise<SimulatorSettingsProblems> {
  const problems = simulatorSettingsProblems(request.versions, request);
  if (request.crlFile) {
    const crl = await loadCrlFileWithNotes(request.crlFile, request.caFile ? [request.caFile] : []);
    if (!crl.ok) problems.crlFile = crl.reason;
    else if (crl.notes?.length) problems.crlNote = `${crl.notes.join('; ')}.`;
  }
  return problems;
}

/**
 * The settings with the serials of their CRL file (read now) added to revokedCertificates, or a sentence saying why
 * the file cannot be read (no prefix: each caller names the file its own way). The model never sees the path: a
 * station reads its CRL when it starts. What is wrong with a CRL that is read (signature, dates; checked against the
 * CAs of `caFiles` and those its file bundles) goes to `onNote`, one sentence each.
 */
export async function withCrlSerials<T extends { revokedCertificates?: string[]; crlFile?: string }>(
  s: T,
  onNote?: (note: string) => void,
  caFiles: readonly string[] = [],
): Promise<T | { error: string }> {
  if (!s.crlFile) return s;
  const crl = await loadCrlFileWithNotes(s.crlFile, caFiles);
  if (!crl.ok) return { error: `${crl.reason}.` };
  crl.notes?.forEach((n) => onNote?.(n));
  const out = { ...s, revokedCertificates: [...(s.revokedCertificates ?? []), ...crl.serials] };
  delete out.crlFile;
  return out;
}

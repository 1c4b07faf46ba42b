import type { OcppVersion } from './ocpp/versions';

/**
 * The simulator's initial configuration and revoked serials as a person writes them (the CLI's `--set KEY=VALUE` and
 * `--revoked SERIAL`, the station and fleet dialogs' text fields), read in one place so both say the same sentences.
 * Pure: every reader returns a result with its reason, never throws.
 */

/** One `KEY=VALUE` (the value may be empty or hold `=`); undefined when there is no key (blank or none) before an `=`. */
export function parseConfigPair(pair: string): { key: string; value: string } | undefined {
  const at = pair.indexOf('=');
  const key = at < 0 ? '' : pair.slice(0, at).trim();
  if (key === '') return undefined;
  return { key, value: pair.slice(at + 1) };
}

/** What a pair that is not KEY=VALUE is told (after `--set ` on the command line). */
export function badPairSentence(pair: string): string {
  return `needs KEY=VALUE, got "${pair}".`;
}

/** A configuration written one `KEY=VALUE` a line (blank lines and lines starting with # are passed over). */
export function parseConfigLines(text: string): { config: Record<string, string> } | { error: string } {
  const config: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const pair = parseConfigPair(line);
    if (!pair) return { error: `Line ${i + 1} ${badPairSentence(line)}` };
    config[pair.key] = pair.value;
  }
  return { config };
}

/** The configuration as the text field shows it: one KEY=VALUE a line. */
export function configText(config: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(config ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/**
 * Keys that name no variable of a 2.x device model (DeviceModel.configure reports them), told as the CLI tells them
 * after `--set `.
 */
export function unknownKeysSentence(keys: readonly string[], versions: readonly OcppVersion[]): string {
  return `${keys.join(', ')}: no such variable in the OCPP ${versions.join(' / ')} device model (write Component.Variable or Component.Variable[Instance], e.g. OCPPCommCtrlr.HeartbeatInterval).`;
}

/** Initial configuration values the device model's variables cannot take (`KEY=VALUE (what it takes)` each). */
export function invalidValuesSentence(items: readonly string[]): string {
  return `${items.join(', ')}: not a value this variable takes.`;
}

/** Why `serial` is no certificate serial number (hex, colons allowed); undefined when it is one. */
export function serialProblem(serial: string): string | undefined {
  return /^[0-9a-fA-F:]+$/.test(serial) ? undefined : `needs a hex serial number, got "${serial}".`;
}

/** Serial numbers written separated by commas, spaces or new lines. */
export function parseSerials(text: string): { serials: string[] } | { error: string } {
  const serials = text.split(/[\s,]+/).filter((s) => s !== '');
  for (const s of serials) {
    const problem = serialProblem(s);
    if (problem) return { error: `A revoked certificate ${problem}` };
  }
  return { serials };
}

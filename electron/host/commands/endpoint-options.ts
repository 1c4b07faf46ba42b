import { parseArgvOrThrow, type OptionTable } from '../argv';
import type { EndpointSettings } from '../../../shared/api';
import type { CliIo } from '../cli-context';
import { checkPort, cliDataDir } from '../cli-util';
import type { RunConventions } from './run-conventions';
import { RUN_OPTIONS, RUN_OPTIONS_HELP, runConventions } from './run-conventions';

/** What listen and proxy parse their arguments into. */
export interface EndpointCommandOptions {
  settings: EndpointSettings;
  json: boolean;
  help: boolean;
  /** Where the local CA is kept (profiles 2/3 without --cert). */
  dataDir?: string;
  regenerateCa?: boolean;
  run?: RunConventions;
}

/** The options (argv.ts table) both listen and proxy accept, with the same meaning. */
export const COMMON_ENDPOINT_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  ca: { type: 'string' },
  'call-timeout': { type: 'string' },
  'max-frame-bytes': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'data-dir': { type: 'string' },
  'regenerate-ca': { type: 'boolean' },
  ...RUN_OPTIONS,
} as const;

/** What listen and proxy read the same way from the common options. */
export function commonEndpointValues(
  values: { 'data-dir'?: string; 'regenerate-ca'?: boolean; record?: string; utc?: boolean },
  io: Pick<CliIo, 'cwd' | 'env'> = { cwd: process.cwd(), env: process.env },
): Pick<EndpointCommandOptions, 'dataDir' | 'regenerateCa' | 'run'> {
  return {
    dataDir: cliDataDir(io, values['data-dir']),
    regenerateCa: values['regenerate-ca'] === true,
    run: runConventions(values, io),
  };
}

export const COMMON_ENDPOINT_HELP = `  --data-dir DIR         where the generated local CA is kept (default ~/.ocpp-scope; OCPP_SCOPE_DATA_DIR)
  --regenerate-ca        replace the kept local CA with a new one (chargers must then trust the new one)
${RUN_OPTIONS_HELP}`;

/** Strict parsing (no positionals, no unknown options) of the common options plus a command's own. */
export function parseEndpointArgs<const T extends OptionTable>(argv: string[], own: T) {
  const options = { ...COMMON_ENDPOINT_OPTIONS, ...own };
  return parseArgvOrThrow(argv, options, { positionals: false }).values;
}

export function portOption(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const checked = checkPort(value);
  if ('error' in checked) throw new Error(checked.error);
  return checked.port;
}

export function numberOption(
  name: string,
  value: string | undefined,
  fallback: number,
  /** The same bound the app's settings apply (a whole number up to `max`), where the engine relies on one. */
  whole?: { max: number },
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number, got "${value}".`);
  if (whole && (!Number.isInteger(n) || n > whole.max))
    throw new Error(`--${name} needs a whole number from 0 to ${whole.max}, got "${value}".`);
  return n;
}

/** A certificate without its key (or the reverse) is a usage error, not something to guess around. */
export function checkCertAndKey(values: { cert?: string; key?: string }): void {
  if ((values.cert === undefined) !== (values.key === undefined))
    throw new Error('--cert and --key go together.');
}

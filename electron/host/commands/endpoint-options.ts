import { parseArgs } from 'node:util';
import type { ParseArgsOptionsConfig } from 'node:util';
import type { EndpointSettings } from '../../../shared/api';
import { checkPort } from '../cli-util';

/** What listen and proxy parse their arguments into. */
export interface EndpointCommandOptions {
  settings: EndpointSettings;
  json: boolean;
  help: boolean;
}

/** The parseArgs options both listen and proxy accept, with the same meaning. */
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
} as const;

/** Strict parsing (no positionals, no unknown options) of the common options plus a command's own. */
export function parseEndpointArgs<const T extends ParseArgsOptionsConfig>(argv: string[], own: T) {
  const options = { ...COMMON_ENDPOINT_OPTIONS, ...own };
  return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values;
}

export function portOption(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const checked = checkPort(value);
  if ('error' in checked) throw new Error(checked.error);
  return checked.port;
}

export function numberOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} needs a number, got "${value}".`);
  return n;
}

/** A certificate without its key (or the reverse) is a usage error, not something to guess around. */
export function checkCertAndKey(values: { cert?: string; key?: string }): void {
  if ((values.cert === undefined) !== (values.key === undefined))
    throw new Error('--cert and --key go together.');
}

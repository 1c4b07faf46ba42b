import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliIo } from './cli-context';

/** Thrown for a wrong command line; the dispatcher prints the message and exits with EXIT.usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** One clear sentence on stderr, prefixed with the command. */
export function fail(io: CliIo, command: string, message: string): void {
  io.stderr.write(`ocpp-scope ${command}: ${message}\n`);
}

/** A TCP port from 0 (any free one) to 65535, or the sentence saying why `text` is not one. */
export function checkPort(text: string): { port: number } | { error: string } {
  const port = Number(text);
  if (text.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535)
    return { error: `--port must be a number from 0 to 65535, not "${text}".` };
  return { port };
}

/** A ws:// or wss:// URL with a host, or the reason it is not one. */
export function checkWsUrl(text: string): { url: URL } | { error: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `"${text}" is not a URL; expected something like ws://host:port/path/IDENTITY.` };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    return { error: `"${text}" is not a WebSocket URL; it must start with ws:// or wss://.` };
  }
  if (url.hostname === '') return { error: `"${text}" has no host.` };
  return { url };
}

/**
 * The data folder commands share with `serve` (settings, recordings, the local CA): `--data-dir`, else
 * OCPP_SCOPE_DATA_DIR, else ~/.ocpp-scope.
 */
export function cliDataDir(io: Pick<CliIo, 'cwd' | 'env'>, given: string | undefined): string {
  return resolve(io.cwd, given ?? io.env.OCPP_SCOPE_DATA_DIR ?? join(homedir(), '.ocpp-scope'));
}

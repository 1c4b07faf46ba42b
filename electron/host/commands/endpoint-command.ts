import type { EndpointSettings, EndpointStatus } from '../../../shared/api';
import { localCa, ConnectionHub, Endpoint, usesLocalCa } from '../../engine';
import type { CliIo } from '../cli-context';
import { say, untilAborted, warn } from '../cli-context';
import { EXIT } from '../exit-codes';
import { eventPrinter } from './event-printer';
import type { EndpointCommandOptions } from './endpoint-options';
import { startRecording, zoneLine } from './run-conventions';

/** Something started beside the endpoint on the same event stream (listen --files), with its banner lines. */
export type Beside = (
  hub: ConnectionHub,
  endpoint: Endpoint,
) => Promise<{ lines: string[]; stop: () => Promise<void> } | { error: string }>;

/**
 * What listen and proxy share: start an endpoint, print its banner, print every event until Ctrl+C (or SIGTERM),
 * then stop it. Being stopped is how these commands finish, so that ends with exit 0.
 */
export async function runEndpointUntilStopped(
  io: CliIo,
  command: string,
  options: EndpointCommandOptions,
  banner: (status: EndpointStatus) => string[],
  beside?: Beside,
): Promise<number> {
  const { settings, json, run } = options;
  const hub = new ConnectionHub();
  const endpoint = new Endpoint(hub);
  let caNote: string | undefined;
  // The file server beside the endpoint (listen --files) signs its TLS certificates with the same kept CA.
  if ((usesLocalCa(settings) || beside !== undefined) && options.dataDir !== undefined) {
    try {
      const ca = await localCa(options.dataDir, { regenerate: options.regenerateCa === true });
      endpoint.localCa = ca;
      caNote = ca.created
        ? `A new local CA was made (${ca.replacedBecause ?? 'first run'}) and kept in ${ca.certFile}.`
        : `The local CA kept in ${ca.certFile} is used.`;
    } catch (error) {
      warn(io, `ocpp-scope ${command}: the local CA could not be kept: ${(error as Error).message}`);
      return EXIT.connection;
    }
  }
  const status = await endpoint.start(settings);
  if (!status.running) {
    warn(io, `ocpp-scope ${command}: ${status.error ?? 'could not start'}`);
    return EXIT.connection;
  }
  const extra = beside ? await beside(hub, endpoint) : undefined;
  if (extra && 'error' in extra) {
    await endpoint.stop();
    warn(io, `ocpp-scope ${command}: ${extra.error}`);
    return EXIT.connection;
  }
  const recording = run?.record !== undefined ? startRecording(hub.stream, run.record) : undefined;
  for (const line of banner(status)) say(io, line);
  for (const line of extra?.lines ?? []) say(io, line);
  if (caNote && !json) say(io, caNote);
  if (!json) say(io, zoneLine(run?.timeZone ?? 'local'));
  if (recording && !json) say(io, `Recording to ${recording.file}`);
  const unsubscribe = hub.stream.subscribe(eventPrinter(io, json, run?.timeZone ?? 'local'));
  await untilAborted(io.signal);
  await extra?.stop();
  await endpoint.stop();
  unsubscribe();
  recording?.stop();
  if (!json) say(io, 'Stopped.');
  return EXIT.ok;
}

/**
 * The whole of listen and proxy apart from their options and banner: a bad argument is a usage error, --help prints
 * the help, anything else runs until stopped.
 */
export async function runEndpointCommand(
  argv: string[],
  io: CliIo,
  command: string,
  help: string,
  parse: (argv: string[], io: CliIo) => EndpointCommandOptions,
  banner: (status: EndpointStatus, settings: EndpointSettings, json: boolean) => string[],
  beside?: Beside,
): Promise<number> {
  let parsed: EndpointCommandOptions;
  try {
    parsed = parse(argv, io);
  } catch (error) {
    warn(io, `ocpp-scope ${command}: ${(error as Error).message} (see --help)`);
    return EXIT.usage;
  }
  if (parsed.help) {
    say(io, help.trimEnd());
    return EXIT.ok;
  }
  return runEndpointUntilStopped(
    io,
    command,
    parsed,
    (status) => banner(status, parsed.settings, parsed.json),
    beside,
  );
}

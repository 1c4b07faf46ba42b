import type { EndpointSettings, EndpointStatus } from '../../../shared/api';
import { ConnectionHub } from '../../engine/connection-hub';
import { Endpoint } from '../../engine/endpoint';
import type { CliIo } from '../cli-context';
import { say, untilAborted, warn } from '../cli-context';
import { EXIT } from '../exit-codes';
import { eventPrinter } from './event-printer';
import type { EndpointCommandOptions } from './endpoint-options';

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
  settings: EndpointSettings,
  json: boolean,
  banner: (status: EndpointStatus) => string[],
  beside?: Beside,
): Promise<number> {
  const hub = new ConnectionHub();
  const endpoint = new Endpoint(hub);
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
  for (const line of banner(status)) say(io, line);
  for (const line of extra?.lines ?? []) say(io, line);
  const unsubscribe = hub.stream.subscribe(eventPrinter(io, json));
  await untilAborted(io.signal);
  await extra?.stop();
  await endpoint.stop();
  unsubscribe();
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
  parse: (argv: string[]) => EndpointCommandOptions,
  banner: (status: EndpointStatus, settings: EndpointSettings, json: boolean) => string[],
  beside?: Beside,
): Promise<number> {
  let parsed: EndpointCommandOptions;
  try {
    parsed = parse(argv);
  } catch (error) {
    warn(io, `ocpp-scope ${command}: ${(error as Error).message} (see --help)`);
    return EXIT.usage;
  }
  if (parsed.help) {
    say(io, help.trimEnd());
    return EXIT.ok;
  }
  const { settings, json } = parsed;
  return runEndpointUntilStopped(
    io,
    command,
    settings,
    json,
    (status) => banner(status, settings, json),
    beside,
  );
}

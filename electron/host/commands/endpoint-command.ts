import type { EndpointSettings, EndpointStatus } from '../../../shared/api';
import { ConnectionHub } from '../../engine/connection-hub';
import { Endpoint } from '../../engine/endpoint';
import type { CliIo } from '../cli-context';
import { say, untilAborted, warn } from '../cli-context';
import { EXIT } from '../exit-codes';
import { eventPrinter } from './event-printer';

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
): Promise<number> {
  const hub = new ConnectionHub();
  const endpoint = new Endpoint(hub);
  const status = await endpoint.start(settings);
  if (!status.running) {
    warn(io, `ocpp-scope ${command}: ${status.error ?? 'could not start'}`);
    return EXIT.connection;
  }
  for (const line of banner(status)) say(io, line);
  const unsubscribe = hub.stream.subscribe(eventPrinter(io, json));
  await untilAborted(io.signal);
  await endpoint.stop();
  unsubscribe();
  if (!json) say(io, 'Stopped.');
  return EXIT.ok;
}

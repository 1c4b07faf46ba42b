import type { ScopeEvent } from '../../../shared/capture/events';
import type { TimeZoneMode } from '../../../shared/time-zone';
import { eventToText } from '../../engine';
import type { CliIo } from '../cli-context';
import { say } from '../cli-context';

/** Prints events as text or JSON lines, remembering identities so each line names its charger. */
export function eventPrinter(
  io: CliIo,
  json: boolean,
  zone: TimeZoneMode = 'local',
): (e: ScopeEvent) => void {
  const identities = new Map<string, string>();
  return (e) => {
    if (e.kind === 'opened' && e.connection.identity) identities.set(e.conn, e.connection.identity);
    say(io, json ? JSON.stringify(e) : eventToText(e, identities, zone));
  };
}

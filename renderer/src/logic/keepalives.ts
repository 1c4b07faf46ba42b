import type { KeepaliveHiding } from '../../../shared/api';
import { parseSearch, type ParsedSearch } from './filter';

/**
 * Keepalives (WebSocket ping/pong, and Heartbeat if asked) hidden with one switch: the switch adds a clause of the
 * one filter language to the person's own filter, so the live log, captures and the engine's index agree on it.
 */
export function keepaliveClause(hiding: KeepaliveHiding | undefined): string {
  switch (hiding) {
    case 'pings':
      return '-kind:ping -kind:pong';
    case 'pings-and-heartbeats':
      return '-kind:ping -kind:pong -action:Heartbeat';
    default:
      return '';
  }
}

/** The query the log runs: the person's filter (problems reported on it alone) ANDed with the keepalive clause. */
export function searchQuery(search: string, base: number, hiding: KeepaliveHiding | undefined): ParsedSearch {
  const own = parseSearch(search, base);
  const clause = keepaliveClause(hiding);
  if (clause === '') return own;
  const mine = own.unknown.length > 0 || search.trim() === '' ? '' : `(${search.trim()}) `;
  return { query: parseSearch(mine + clause, base).query, unknown: own.unknown };
}

/**
 * The requests one sender has in flight on a connection (see pairing.ts), oldest first. A charger makes one call at
 * a time, so the usual case is a single request: it is kept in a field (`lone`), and a Map is used only while more
 * than one is in flight. Writing and deleting a Map entry per call cost a new hash table every few calls for each of
 * a thousand chargers (a set after a shrink grows it, a delete that empties it shrinks it), each living long enough
 * to be promoted out of the young generation.
 *
 * Invariant: `lone` is set only while `more` is empty; order is the order of `set` (a set of an id in flight moves
 * it to the newest place).
 */

export interface InFlightRequest {
  id: string;
}

export interface InFlight<R extends InFlightRequest> {
  /** The one request in flight, while it is the only one. */
  lone: R | undefined;
  /** The requests in flight while there are two or more (and possibly after, until compacted); else NO_MORE. */
  more: Map<string, R>;
}

const EMPTY = new Map<string, never>();

/** The map of every in-flight set with nothing in `more`: read only, replaced by a map of its own on the first write. */
export function noMore<R extends InFlightRequest>(): Map<string, R> {
  return EMPTY as Map<string, R>;
}

export function inFlightSize(f: InFlight<InFlightRequest>): number {
  return f.lone !== undefined ? 1 : f.more.size;
}

export function inFlightGet<R extends InFlightRequest>(f: InFlight<R>, id: string): R | undefined {
  const lone = f.lone;
  if (lone !== undefined) return lone.id === id ? lone : undefined;
  return f.more.size === 0 ? undefined : f.more.get(id);
}

/** True when `id` was in flight (and is no more). */
export function inFlightDelete(f: InFlight<InFlightRequest>, id: string): boolean {
  const lone = f.lone;
  if (lone !== undefined) {
    if (lone.id !== id) return false;
    f.lone = undefined;
    return true;
  }
  return f.more.size !== 0 && f.more.delete(id);
}

/** Puts `r` in flight as the newest (replacing a request with its id). */
export function inFlightSet<R extends InFlightRequest>(f: InFlight<R>, r: R): void {
  const lone = f.lone;
  if (lone === undefined && f.more.size === 0) {
    f.lone = r;
    return;
  }
  if (lone !== undefined) {
    if (lone.id === r.id) {
      f.lone = r;
      return;
    }
    f.lone = undefined;
    if (f.more === (EMPTY as Map<string, R>)) f.more = new Map();
    f.more.set(lone.id, lone);
  }
  const more = f.more;
  more.delete(r.id);
  more.set(r.id, r);
}

/** The requests in flight, oldest first (a copy: the caller may delete while it walks it). */
export function inFlightList<R extends InFlightRequest>(f: InFlight<R>): R[] {
  if (f.lone !== undefined) return [f.lone];
  return f.more.size === 0 ? [] : [...f.more.values()];
}

/** The oldest request in flight. */
export function inFlightOldest<R extends InFlightRequest>(f: InFlight<R>): R | undefined {
  if (f.lone !== undefined) return f.lone;
  if (f.more.size === 0) return undefined;
  return f.more.values().next().value;
}

/** Lets go of an empty map (a quiet connection): the next requests make it again if they need one. */
export function inFlightCompact(f: InFlight<InFlightRequest>): void {
  if (f.more.size === 0) f.more = EMPTY;
}

import type { ChargerHealth } from '../../../shared/capture/charger-health';
import { ChargerHealthBuilder } from '../../../shared/capture/charger-health';
import type { LiveLog } from '../state/live-log';

interface Cached {
  builder: ChargerHealthBuilder;
  count: number;
  lastSeq: number;
}

const cache = new WeakMap<LiveLog, Cached>();

/**
 * The health of one charger in a live log, kept up to date incrementally: each new event is read once, however often
 * the view re-renders. A log that shrank (trimmed after days) is read again from what it holds.
 */
export function healthOf(log: LiveLog, identity: string): ChargerHealth | undefined {
  let c = cache.get(log);
  if (!c || log.events.length < c.count) {
    c = { builder: new ChargerHealthBuilder(), count: 0, lastSeq: -1 };
    cache.set(log, c);
  }
  for (let i = c.count; i < log.events.length; i++) {
    const e = log.events[i]!;
    if (e.seq <= c.lastSeq) continue;
    c.builder.add(e);
    c.lastSeq = e.seq;
  }
  c.count = log.events.length;
  return c.builder.get(identity);
}

import type { FrameObserverFactory } from '../../../shared/ocpp/frame-observer';
import type { AutoAnswerBook } from '../station/auto-answer';
import type { ConnectionLimits } from './connection';

/** What every connection of one endpoint (or of one fleet's stations) has alike: one read-only object for them all. */
export interface ConnectionSetup {
  readonly answers: AutoAnswerBook;
  /** 0 = no pings. */
  readonly pingIntervalSec: number;
  readonly callTimeoutSec: number;
  readonly limits: ConnectionLimits;
  readonly observers: readonly FrameObserverFactory[] | undefined;
}

/** Setups kept for reuse: an endpoint and a fleet or two connecting at the same time each find theirs. */
const MAX_RECENT = 8;
// Most recently made or reused first: ten thousand connections then hold one object instead of five fields each.
const recent: ConnectionSetup[] = [];

function alike(a: ConnectionSetup, b: ConnectionSetup): boolean {
  return (
    a.answers === b.answers &&
    a.pingIntervalSec === b.pingIntervalSec &&
    a.callTimeoutSec === b.callTimeoutSec &&
    a.limits === b.limits &&
    a.observers === b.observers
  );
}

/** The setup of these parts, shared with the connections made recently that had the same. */
export function connectionSetup(parts: ConnectionSetup): ConnectionSetup {
  const first = recent[0];
  if (first !== undefined && alike(first, parts)) return first;
  for (let i = 1; i < recent.length; i++) {
    const s = recent[i]!;
    if (alike(s, parts)) {
      recent.splice(i, 1);
      recent.unshift(s);
      return s;
    }
  }
  const made = Object.freeze({
    answers: parts.answers,
    pingIntervalSec: parts.pingIntervalSec,
    callTimeoutSec: parts.callTimeoutSec,
    limits: parts.limits,
    observers: parts.observers,
  });
  recent.unshift(made);
  if (recent.length > MAX_RECENT) recent.pop();
  return made;
}

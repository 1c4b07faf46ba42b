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

/** Setups an owner keeps for reuse: an endpoint whose settings change, or stations with their own ping and timeout. */
const MAX_RECENT = 8;

function alike(a: ConnectionSetup, b: ConnectionSetup): boolean {
  return (
    a.answers === b.answers &&
    a.pingIntervalSec === b.pingIntervalSec &&
    a.callTimeoutSec === b.callTimeoutSec &&
    a.limits === b.limits &&
    a.observers === b.observers
  );
}

/**
 * The setups of one owner's connections (an Endpoint's, a Station's and so a fleet's): the connections with the same
 * parts share one frozen object, so ten thousand connections hold one object instead of five fields each. Owned by
 * the Endpoint or Station that makes the connections, so nothing outlives them or is shared between engines.
 */
export class ConnectionSetups {
  /** Most recently made or reused first. */
  private readonly recent: ConnectionSetup[] = [];

  /** The setup of these parts, shared with the connections made recently that had the same. */
  of(parts: ConnectionSetup): ConnectionSetup {
    const recent = this.recent;
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
}

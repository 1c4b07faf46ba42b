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

// The last setup made: an endpoint's or a fleet's connections come one after another with the same parts, so
// ten thousand of them hold one object instead of five fields each.
let last: ConnectionSetup | undefined;

/** The setup of these parts, shared with the connection made before when it had the same. */
export function connectionSetup(parts: ConnectionSetup): ConnectionSetup {
  const l = last;
  if (
    l !== undefined &&
    l.answers === parts.answers &&
    l.pingIntervalSec === parts.pingIntervalSec &&
    l.callTimeoutSec === parts.callTimeoutSec &&
    l.limits === parts.limits &&
    l.observers === parts.observers
  )
    return l;
  last = Object.freeze({
    answers: parts.answers,
    pingIntervalSec: parts.pingIntervalSec,
    callTimeoutSec: parts.callTimeoutSec,
    limits: parts.limits,
    observers: parts.observers,
  });
  return last;
}

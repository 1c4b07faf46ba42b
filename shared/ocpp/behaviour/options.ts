/** Time windows and tolerances of the behaviour rules. Every field has a default; pass only what you change. */
export interface BehaviourOptions {
  /** A TriggerMessage answered Accepted: the requested message must follow within this. Default 30 s. */
  triggerWindowMs: number;
  /** A remote start answered Accepted: the transaction (or a connector status change) within this. Default 60 s. */
  remoteStartWindowMs: number;
  /** A Reset answered Accepted: a BootNotification (on a new connection) within this. Default 180 s. */
  resetWindowMs: number;
  /** Heartbeats closer than this fraction of the interval (and more than the grace early) are too often. Default 0.5. */
  heartbeatEarlyFactor: number;
  /** Silence longer than interval x this factor + heartbeatGraceMs is a missing heartbeat. Default 1.5. */
  heartbeatLateFactor: number;
  /** Heartbeat jitter always tolerated, either way. Default 10 s. */
  heartbeatGraceMs: number;
  /** A charger's clock may be this far off the tool's when judging whether an event predates a boot. Default 60 s. */
  clockSkewMs: number;
}

export const DEFAULT_BEHAVIOUR_OPTIONS: Readonly<BehaviourOptions> = Object.freeze({
  triggerWindowMs: 30_000,
  remoteStartWindowMs: 60_000,
  resetWindowMs: 180_000,
  heartbeatEarlyFactor: 0.5,
  heartbeatLateFactor: 1.5,
  heartbeatGraceMs: 10_000,
  clockSkewMs: 60_000,
});

export function behaviourOptions(o: Partial<BehaviourOptions> = {}): BehaviourOptions {
  return { ...DEFAULT_BEHAVIOUR_OPTIONS, ...o };
}

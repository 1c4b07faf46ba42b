import type { Finding } from '../finding';
import type {
  ConnectionTimedFinding,
  FrameObserver,
  FrameObserverFactory,
  ObservedConnection,
  ObserverScope,
  TimedFinding,
} from '../frame-observer';
import type { OcppVersion } from '../versions';
import { behaviourFinding } from './catalogue';
import { ConnectionObserver } from './connection-observer';
import { behaviourOptions, type BehaviourOptions } from './options';
import { PeerModel } from './peer-model';
import { RULES_16 } from './rules-16';
import { RULES_2X } from './rules-2x';

export { BEHAVIOUR_CODES, type BehaviourCodeName } from './catalogue';
export { DEFAULT_BEHAVIOUR_OPTIONS, type BehaviourOptions } from './options';

export type { ConnectionTimedFinding } from '../frame-observer';

/** Identities remembered while none of their connections is live; past it the longest-idle are forgotten. */
const MAX_IDLE_PEERS = 10_000;

const NO_FINDINGS: TimedFinding[] = [];
Object.freeze(NO_FINDINGS);
const NO_FRAME_FINDINGS: Finding[] = [];
Object.freeze(NO_FRAME_FINDINGS);
/** Without a version nothing can be judged: one shared observer that sees nothing. */
const BLIND: FrameObserver = {
  observe: () => NO_FRAME_FINDINGS,
  advance: () => NO_FINDINGS,
  closed: () => NO_FINDINGS,
  readsAnswer: () => false,
};

/**
 * The behaviour rules of one event stream (one engine, one import): a peer model per identity that outlives its
 * connections, and an observer per connection from `observerFor`. Pure: time moves only through the `t` given.
 */
export class BehaviourRules implements ObserverScope {
  readonly options: BehaviourOptions;
  private readonly peers = new Map<string, PeerModel>();

  constructor(options: Partial<BehaviourOptions> = {}) {
    this.options = behaviourOptions(options);
  }

  /** The factory of this scope's observers; its `scope` lets the engine's clock and imports advance this scope. */
  readonly observerFor: FrameObserverFactory = Object.assign(
    (version: OcppVersion | undefined, connection?: ObservedConnection): FrameObserver => {
      if (version === undefined) return BLIND;
      const peer = connection ? this.peer(connection.identity) : new PeerModel('');
      return new ConnectionObserver(
        version,
        version === '1.6' ? RULES_16 : RULES_2X,
        peer,
        connection?.conn ?? '',
        this.options,
      );
    },
    { scope: this as ObserverScope },
  );

  /** The earliest deadline of a Reset whose identity has no live connection; Infinity when there is none. */
  nextDeadline(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const peer of this.peers.values()) {
      const r = peer.reset;
      if (r && peer.live === 0 && r.deadline < next) next = r.deadline;
    }
    return next;
  }

  /**
   * Expectations of identities with no live connection left (a Reset accepted, the connection closed, and no new
   * one came): the engine's rule clock calls it until nothing waits, an import as its events pass and once at the
   * end of input. Each names the connection it is about.
   */
  advance(t: number): ConnectionTimedFinding[] {
    const out: ConnectionTimedFinding[] = [];
    for (const peer of this.peers.values()) {
      const r = peer.reset;
      if (!r || peer.live > 0 || t < r.deadline) continue;
      peer.reset = undefined;
      out.push({
        t,
        conn: r.conn,
        finding: behaviourFinding(
          'reset-no-reboot',
          peer.version ?? '1.6',
          `Reset was accepted and the connection closed, but the station did not reconnect and send a BootNotification within ${Math.round(this.options.resetWindowMs / 1000)} s`,
          [r.seq],
        ),
      });
    }
    return out;
  }

  private peer(identity: string): PeerModel {
    let p = this.peers.get(identity);
    if (p) return p;
    if (this.peers.size >= MAX_IDLE_PEERS) {
      for (const [k, v] of this.peers) {
        if (v.live === 0) {
          this.peers.delete(k);
          break;
        }
      }
    }
    p = new PeerModel(identity);
    this.peers.set(identity, p);
    return p;
  }
}

/** An observer factory with its own scope and the default windows (or the ones given). */
export function behaviourObservers(options: Partial<BehaviourOptions> = {}): FrameObserverFactory {
  return new BehaviourRules(options).observerFor;
}

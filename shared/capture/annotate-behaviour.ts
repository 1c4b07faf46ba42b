import { BehaviourRules } from '../ocpp/behaviour';
import type { FrameObserver, TimedFinding } from '../ocpp/frame-observer';
import type { Frame } from '../ocpp/frame-types';
import type { OcppVersion } from '../ocpp/versions';
import type { FrameEvent, ScopeEvent } from './events';

/** Requests whose outcome the rules wait for (the ones a timed finding names). */
const AWAITED = new Set([
  'TriggerMessage',
  'ExtendedTriggerMessage',
  'RemoteStartTransaction',
  'RequestStartTransaction',
  'Reset',
]);

/**
 * Runs the behaviour rules over frames that came from outside the engine (HAR, pcap), in stream order, the way the
 * engine runs them live. A finding that comes from time passing (a triggered message that never came) is put on the
 * request it is about (its first related seq), or else on the frame whose time concluded it: an import has no
 * place for a new note between existing events.
 */
export class ImportBehaviour {
  private readonly rules = new BehaviourRules();
  private readonly observers = new Map<string, FrameObserver>();
  private readonly identities = new Map<string, string>();
  /** Requests a timed finding can be about, by seq: where such a finding goes. */
  private readonly requests = new Map<number, FrameEvent>();
  private lastT = Number.NEGATIVE_INFINITY;

  constructor(private readonly versionOf: (conn: string) => OcppVersion | undefined) {}

  /** Every event, in order (opened and closed too: they start and end a connection's observer). */
  event(e: ScopeEvent): void {
    if (e.t > this.lastT) this.lastT = e.t;
    if (e.kind === 'opened') {
      this.identities.set(e.conn, e.connection.identity);
    } else if (e.kind === 'closed') {
      const o = this.observers.get(e.conn);
      if (o) {
        this.place(o.closed(e.t), undefined);
        this.observers.delete(e.conn);
      }
    }
  }

  /** A frame that parsed, after its pairing. */
  frame(e: FrameEvent, frame: Frame): void {
    let o = this.observers.get(e.conn);
    if (!o) {
      o = this.rules.observerFor(this.versionOf(e.conn), {
        conn: e.conn,
        identity: this.identities.get(e.conn) ?? e.conn,
      });
      this.observers.set(e.conn, o);
    }
    if (frame.type === 2 && AWAITED.has(frame.action)) this.requests.set(e.seq, e);
    this.place(o.advance(e.t), e);
    const found = o.observe({ seq: e.seq, t: e.t, sender: e.sender, frame, findings: e.findings });
    if (found.length) e.findings.push(...found);
  }

  /** The import ended: connections still open end with it; what expired by then is found. */
  end(): void {
    const t = this.lastT;
    for (const o of this.observers.values()) this.place(o.closed(t), undefined);
    this.observers.clear();
    for (const x of this.rules.advance(t)) this.place([x], undefined);
  }

  private place(timed: readonly TimedFinding[], current: FrameEvent | undefined): void {
    for (const x of timed) {
      const about = x.finding.related?.[0];
      const target = (about !== undefined ? this.requests.get(about) : undefined) ?? current;
      target?.findings.push(x.finding);
    }
  }
}

import type { Finding, FrameSummary, PairInfo, Sender } from '../../shared/capture/events';
import { analyzeFrame } from '../../shared/ocpp/analyze';
import type { BehaviourRules } from '../../shared/ocpp/behaviour';
import { parseFrame } from '../../shared/ocpp/frame';
import type { FrameObserver, TimedFinding } from '../../shared/ocpp/frame-observer';
import type { Frame, FrameProblem } from '../../shared/ocpp/frame-types';
import { PairingTracker } from '../../shared/ocpp/pairing';
import type { PendingRequest } from '../../shared/ocpp/pairing';
import type { OcppVersion } from '../../shared/ocpp/versions';

export interface Analysis {
  frame?: Frame;
  msg?: FrameSummary;
  problem?: FrameProblem;
  findings: Finding[];
  pair?: PairInfo;
  /** Behaviour expectations that expired by this frame's time: record them after the frame's event (as notes). */
  timed?: TimedFinding[];
}

/** The behaviour rules of the engine, and which connection this analyzer is for. */
export interface AnalyzerBehaviour {
  rules: BehaviourRules;
  conn: string;
  identity: string;
}

// Stand-ins for answers we built ourselves: pairing only reads their type and id.
const OWN_PAYLOAD = Object.freeze({});
const HISTORY = 8;

/**
 * Parses, validates and pairs the frames of one connection: a thin per-connection wrapper over the protocol core's
 * analyzeFrame and PairingTracker, so the engine and a capture being annotated pair frames by the same rules. `seq`
 * is the seq the frame's event is about to get (the stream's count: the event is emitted right after, synchronously).
 * The tracker is created on first use: thousands of idle chargers should cost little.
 */
export class FrameAnalyzer {
  private tracker: PairingTracker | undefined;
  private observer: FrameObserver | undefined;

  constructor(
    public version: OcppVersion | undefined,
    private readonly timeoutMs = 30_000,
    private readonly behaviour?: AnalyzerBehaviour,
  ) {}

  /** The behaviour observer, made once the version is known (rules differ by version). */
  private observes(): FrameObserver | undefined {
    if (this.observer || !this.behaviour || this.version === undefined) return this.observer;
    const b = this.behaviour;
    return (this.observer = b.rules.observerFor(this.version, { conn: b.conn, identity: b.identity }));
  }

  /**
   * Feeds a parsed frame to the behaviour rules (after pairing and schema checks, in wire order). `t` is the wall
   * clock the frame's event gets, taken here: the event is stamped synchronously right after.
   */
  private behave(a: Analysis, frame: Frame, sender: Sender, seq: number): void {
    const o = this.observes();
    if (!o) return;
    const t = Date.now();
    const timed = o.advance(t);
    if (timed.length) a.timed = timed;
    const found = o.observe({ seq, t, sender, frame, findings: a.findings });
    if (found.length) a.findings.push(...found);
  }

  /** Time passed with no frame (a ping, the clock): behaviour expectations that expired meanwhile. */
  tick(): TimedFinding[] {
    return this.observer?.advance(Date.now()) ?? [];
  }

  private pairs(): PairingTracker {
    // A short history per connection (for duplicate answers and reused ids): a thousand busy chargers each keeping
    // the core's default 256 finished calls per side measured as a steady GC load on the endpoint.
    return (this.tracker ??= new PairingTracker({ timeoutMs: this.timeoutMs, historySize: HISTORY }));
  }

  /** `pair: false` validates without pairing (an edited copy of a frame that was already paired). */
  analyze(text: string, sender: Sender, seq: number, mono: number, pair = true): Analysis {
    // A plain literal, no conditional spreads: this runs for every frame.
    const r = analyzeFrame({
      text,
      sender,
      conn: '',
      seq,
      mono,
      tracker: pair ? this.pairs() : undefined,
      version: this.version,
    });
    const p = r.problem;
    if (!r.frame || !r.msg) {
      if (!p) return { findings: r.findings };
      const a: Analysis = {
        problem: p,
        findings: [
          { code: `frame-${p.code}`, severity: 'error', message: p.message, errorCode: p.errorCode },
          ...r.findings,
        ],
      };
      if (r.pair) a.pair = r.pair;
      return a;
    }
    const a: Analysis = { frame: r.frame, msg: r.msg, findings: r.findings };
    if (r.pair) a.pair = r.pair;
    // An edited copy of a frame (pair: false) was observed already as it arrived.
    if (pair && this.behaviour) this.behave(a, r.frame, sender, seq);
    return a;
  }

  /** Registers a request that did not parse but that we answer (with a CALLERROR), so the answer pairs with it. */
  trackMalformedCall(sender: Sender, id: string, seq: number, mono: number): void {
    this.pairs().track({ conn: '', sender, seq, mono, frame: { type: 2, id, action: '', payload: {} } });
  }

  /**
   * Pairs an answer we built ourselves for `id` (auto-answer): no validation needed. With behaviour rules, `text`
   * is parsed for them (a BootNotification answer sets the boot state); what they find on our own canned answer is
   * not recorded.
   */
  answerOwn(
    sender: Sender,
    id: string,
    type: 3 | 4,
    seq: number,
    mono: number,
    text?: string,
  ): PairInfo | undefined {
    const stand: Frame =
      type === 3
        ? { type: 3, id, payload: OWN_PAYLOAD }
        : { type: 4, id, errorCode: '', errorDescription: '', errorDetails: OWN_PAYLOAD };
    const pair = this.pairs().track({ conn: '', sender, seq, mono, frame: stand }).pair;
    const o = text !== undefined ? this.observes() : undefined;
    if (o && text !== undefined) {
      const r = parseFrame(text, this.version);
      if (r.ok) o.observe({ seq, t: Date.now(), sender, frame: r.frame, findings: [] });
    }
    return pair;
  }

  /** Our CALL `id` got no answer in time; undefined when it was answered meanwhile. */
  markTimedOut(sender: Sender, id: string): PendingRequest | undefined {
    return this.tracker?.expireOne('', sender, id);
  }

  /** The connection closed: forget the pairing; the behaviour rules conclude what they can (notes to record). */
  clear(): TimedFinding[] {
    this.tracker?.forget('');
    const o = this.observer;
    this.observer = undefined;
    return o ? o.closed(Date.now()) : [];
  }
}

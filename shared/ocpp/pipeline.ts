import { analyzeFrame } from './analyze';
import { defaultObservers } from './default-observers';
import type { Finding } from './finding';
import type {
  FrameObserver,
  FrameObserverFactory,
  ObservedConnection,
  ObservedFrame,
  TimedFinding,
} from './frame-observer';
import type { FrameSummary, PairInfo } from './frame-summary';
import type { Frame, FrameProblem, ParseResult } from './frame-types';
import type { JsonObject, JsonValue } from './json';
import {
  advanceGuarded,
  closedGuarded,
  observeGuarded,
  quietUntilGuarded,
  readsAnswerGuarded,
} from './guarded-observer';
import { PairingTracker } from './pairing';
import type { PendingRequest } from './pairing';
import type { Sender } from './sender';
import type { OcppVersion } from './versions';

/**
 * The one analysis pipeline of a connection: parse -> pair -> schema -> behaviour rules -> findings. Every source
 * feeds it the same way, frame by frame in wire order: the live endpoint, station and proxy, CLI `send`, replay, and
 * the HAR, pcap and capture imports (see shared/capture/annotate.ts). Uses the schema registry (ajv): Node side only.
 *
 * Cheap on the hot path: the pairing tracker is made on the first frame, observers only when some are configured,
 * and requests are remembered for the observers only then.
 */

export interface Analysis {
  frame?: Frame;
  msg?: FrameSummary;
  problem?: FrameProblem;
  findings: Finding[];
  pair?: PairInfo;
}

export interface PipelineOptions {
  /** A response later than this is flagged response-after-timeout. Default 30 s; Infinity: never late. */
  timeoutMs?: number;
  /** Behaviour rules, one observer each per connection. Default: defaultObservers() (a scope of its own). */
  observers?: readonly FrameObserverFactory[];
  /** The connection (id, identity) handed to the observers, so rules of one identity span its connections. */
  connection?: ObservedConnection;
}

/**
 * Finished requests remembered per connection and side (for duplicate answers and reused ids). Short on purpose: a
 * thousand busy chargers each keeping 256 measured as a steady GC load on the endpoint. Imports use the same
 * figure, so a session gives the same findings live and imported.
 */
export const PAIRING_HISTORY = 8;

/** Requests kept for the observers (their payload is what an answer is judged against); the oldest fall out. */
const MAX_REMEMBERED_REQUESTS = 1024;

/** The payload handed to observers that said they would not read it (FrameObserver.readsAnswer). */
const UNREAD: JsonObject = Object.freeze({}) as JsonObject;

/** What advance and closed give when no rule concluded anything: the common case, so no array per frame. */
const NOTHING_TIMED: readonly TimedFinding[] = Object.freeze([]);

interface RememberedRequest {
  seq: number;
  t: number;
  action: string;
  payload: JsonValue;
}

/** The finding that names why a text is not an OCPP-J frame (the problem itself stays on the event). */
export function frameProblemFinding(p: FrameProblem): Finding {
  const f: Finding = { code: `frame-${p.code}`, severity: 'error', message: p.message };
  if (p.errorCode !== undefined) f.errorCode = p.errorCode;
  return f;
}

export class FramePipeline {
  private tracker: PairingTracker | undefined;
  private readonly factories: readonly FrameObserverFactory[];
  /** Made on first use, for the version: the one observer itself when there is one (the default rules), no array. */
  private observers: FrameObserver | FrameObserver[] | undefined;
  private requests: Map<number, RememberedRequest> | undefined;
  private readonly timeoutMs: number;
  private readonly connection: ObservedConnection | undefined;
  private versionValue: OcppVersion | undefined;

  constructor(version: OcppVersion | undefined, options: PipelineOptions = {}) {
    this.versionValue = version;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.factories = options.observers ?? defaultObservers();
    this.connection = options.connection;
  }

  get version(): OcppVersion | undefined {
    return this.versionValue;
  }

  /** The version is known once the upgrade is answered; observers made before that are made again for it. */
  set version(v: OcppVersion | undefined) {
    if (v === this.versionValue) return;
    this.versionValue = v;
    this.observers = undefined;
  }

  /** True when behaviour rules run: callers then pass wire times and let trusted answers through `analyze`. */
  get observing(): boolean {
    return this.factories.length > 0;
  }

  private pairs(): PairingTracker {
    return (this.tracker ??= new PairingTracker({ timeoutMs: this.timeoutMs, historySize: PAIRING_HISTORY }));
  }

  private observerSet(): FrameObserver | FrameObserver[] {
    if (this.observers === undefined) {
      const f = this.factories;
      // An array of one per connection cost ten thousand simulated chargers 56 bytes each.
      this.observers =
        f.length === 1
          ? f[0]!(this.versionValue, this.connection)
          : f.map((make) => make(this.versionValue, this.connection));
    }
    return this.observers;
  }

  /** The observers as a list (for the rare walks: a connection's close). */
  private observerList(): readonly FrameObserver[] {
    const o = this.observerSet();
    return Array.isArray(o) ? o : [o];
  }

  /**
   * One frame's text, as it crossed the wire. `seq` is the seq its event gets; `mono` the monotonic clock (round-trip
   * times); `t` the wall clock (behaviour rules; only read when observing). `pair: false` validates without pairing
   * (an edited copy of a frame that was already paired).
   */
  analyze(
    text: string,
    sender: Sender,
    seq: number,
    mono: number,
    t = 0,
    pair = true,
    /** parseFrame(text, version), when the caller parsed it already. */
    parsed?: ParseResult,
    /** False for a frame the engine built, valid by construction: not checked against its schema again. */
    validate = true,
    /** A request whose id the engine just made (a random UUID): not looked for among ids in use or used before. */
    freshId = false,
  ): Analysis {
    // A plain literal, no conditional spreads: this runs for every frame.
    const r = analyzeFrame({
      text,
      parsed,
      sender,
      conn: '',
      seq,
      mono,
      tracker: pair ? this.pairs() : undefined,
      version: this.versionValue,
      validate,
      freshId,
    });
    const p = r.problem;
    let a: Analysis;
    if (!r.frame || !r.msg) {
      if (!p) return { findings: r.findings };
      a = { problem: p, findings: [frameProblemFinding(p), ...r.findings] };
      if (r.pair) a.pair = r.pair;
      return a;
    }
    // The analysis itself, not a copy (an object per frame fewer): it holds the same frame, msg, findings and pair,
    // and requestSeq besides.
    a = r;
    if (this.factories.length > 0 && pair) this.observe(a, r.frame, sender, seq, t, r.requestSeq);
    return a;
  }

  private observe(
    a: Analysis,
    frame: Frame,
    sender: Sender,
    seq: number,
    t: number,
    requestSeq?: number,
  ): void {
    const o: ObservedFrame = { seq, t, sender, frame, findings: a.findings };
    if (frame.type === 2) {
      // Kept only for a rule that may read it with the answer (most calls: none). The map is made for the first
      // one: a charger whose calls no rule reads keeps none (one made per heartbeat lived on as old-space garbage).
      if (!this.skipsAnswer(sender === 'csms' ? 'station' : 'csms', frame.action, frame.id)) {
        const requests = (this.requests ??= new Map());
        requests.set(seq, { seq, t, action: frame.action, payload: frame.payload });
        if (requests.size > MAX_REMEMBERED_REQUESTS) requests.delete(requests.keys().next().value as number);
      }
    } else if (requestSeq !== undefined && this.requests !== undefined) {
      const requests = this.requests;
      const req = requests.get(requestSeq);
      if (req) {
        o.request = req;
        // A CALLRESULTERROR (2.1) still answers about the same request: keep it until the response closes it.
        if (frame.type === 3 || frame.type === 4) requests.delete(requestSeq);
      }
    }
    const observers = this.observerSet();
    if (!Array.isArray(observers)) {
      // The usual case (the default rules): no array per frame, as most frames make no rule speak.
      const f = observeGuarded(observers, o);
      if (f.length) a.findings.push(...f);
      return;
    }
    // Each observer sees the findings of the earlier stages only, not another observer's.
    const added: Finding[] = [];
    for (const observer of observers) {
      const f = observeGuarded(observer, o);
      if (f.length) added.push(...f);
    }
    if (added.length) a.findings.push(...added);
  }

  /**
   * An answer the engine built itself (auto-answer), valid by construction: paired, and shown to the behaviour rules
   * like any frame, without being parsed for framing or validated against its schema again. `frame(text)` is the
   * answer as built, called only when a rule reads its payload (a function and its text rather than a closure: this
   * runs for every call answered).
   */
  ownAnswer(
    sender: Sender,
    frame: (text: string) => Frame,
    text: string,
    type: 3 | 4,
    id: string,
    seq: number,
    mono: number,
    t = 0,
  ): Analysis {
    const p = this.pairs().pair({
      conn: '',
      sender,
      seq,
      mono,
      type,
      id,
      action: '',
      version: this.versionValue,
    });
    // Built whole (the summary's fields in the order they always had): no property added per answer.
    const msg: FrameSummary = p.action ? { type, id, action: p.action } : { type, id };
    const a: Analysis = { msg, findings: p.findings, pair: p.pair, frame: undefined };
    if (this.factories.length > 0) {
      const f =
        type === 3 && this.skipsAnswer(sender, p.action, id) ? { type, id, payload: UNREAD } : frame(text);
      if (f.type === 4) msg.errorCode = f.errorCode;
      a.frame = f;
      this.observe(a, f, sender, seq, t, p.requestSeq);
    }
    return a;
  }

  /** True when no observer reads the payload of this answer (so an answer the engine built need not be parsed). */
  private skipsAnswer(sender: Sender, action: string | undefined, id: string): boolean {
    if (action === undefined) return false;
    const requester: Sender = sender === 'csms' ? 'station' : 'csms';
    const observers = this.observerSet();
    if (!Array.isArray(observers)) return !readsAnswerGuarded(observers, requester, action, id);
    for (const observer of observers) {
      if (readsAnswerGuarded(observer, requester, action, id)) return false;
    }
    return true;
  }

  /** Pairs an answer the engine built itself for `id` (auto-answer), by type and id: no parsing needed. */
  pairOwnAnswer(sender: Sender, id: string, type: 3 | 4, seq: number, mono: number): PairInfo | undefined {
    return this.pairs().pair({ conn: '', sender, seq, mono, type, id, action: '' }).pair;
  }

  /** Our CALL `id` got no answer in time; undefined when it was answered meanwhile. */
  timedOut(sender: Sender, id: string): PendingRequest | undefined {
    return this.tracker?.expireOne('', sender, id);
  }

  /** Time reached `t` (wire clock): what the behaviour rules conclude from waiting. */
  advance(t: number): readonly TimedFinding[] {
    // Before its first frame a connection has nothing of its own to wait for; what its identity still owes from an
    // earlier connection (a reboot after Reset) is judged at its first frame or its close. Thousands of idle
    // chargers then carry no rule state (it measured as most of an idle connection's memory).
    const observers = this.observers;
    if (observers === undefined) return NOTHING_TIMED;
    if (!Array.isArray(observers)) {
      const f = advanceGuarded(observers, t);
      return f.length === 0 ? NOTHING_TIMED : f;
    }
    // Runs before every frame: no array unless a rule concluded something.
    let out: readonly TimedFinding[] = NOTHING_TIMED;
    for (let i = 0; i < observers.length; i++) {
      const f = advanceGuarded(observers[i]!, t);
      if (f.length === 0) continue;
      out = out.length === 0 ? f : [...out, ...f];
    }
    return out;
  }

  /**
   * A time before which advance() concludes nothing (FrameObserver.quietUntil), as things stand now; 0 when some
   * rule cannot tell. Before the first frame nothing waits (see advance).
   */
  quietUntil(): number {
    const observers = this.observers;
    if (observers === undefined) return Number.POSITIVE_INFINITY;
    if (!Array.isArray(observers)) return quietUntilGuarded(observers);
    let until = Number.POSITIVE_INFINITY;
    for (let i = 0; i < observers.length; i++) {
      const u = quietUntilGuarded(observers[i]!);
      if (u < until) until = u;
    }
    return until;
  }

  /** The connection ended at `t` (or the import did): the rules' last word. Pairing state is dropped. */
  closed(t: number): TimedFinding[] {
    const out: TimedFinding[] = [];
    if (this.factories.length > 0) {
      for (const observer of this.observerList()) {
        const f = closedGuarded(observer, t);
        if (f.length) out.push(...f);
      }
    }
    this.clear();
    return out;
  }

  /**
   * The connection is quiet: lets go of the maps only frames in flight need, where they are empty (made again by the
   * next frame). What the rules and the pairing remember is kept.
   */
  compact(): void {
    if (this.requests?.size === 0) this.requests = undefined;
    this.tracker?.compact();
  }

  /** Forgets pairing and observer state (a station reconnecting starts afresh). */
  clear(): void {
    this.tracker?.forget('');
    this.observers = undefined;
    this.requests = undefined;
  }
}

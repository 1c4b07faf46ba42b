import { NO_FINDINGS } from './finding';
import type { Finding } from './finding';
import type { PairInfo } from './frame-summary';
import { senderPhrase } from './sender';
import type { Sender } from './sender';
import { rpcFrameworkErrorCode } from './error-codes';
import type { Frame, FrameProblem, MessageTypeId } from './frame-types';
import type { OcppVersion } from './versions';
import { SlotHistory } from './pairing-history';
import type { Done, History } from './pairing-history';
import {
  inFlightCompact,
  inFlightDelete,
  inFlightGet,
  inFlightList,
  inFlightOldest,
  inFlightSet,
  inFlightSize,
  noMore,
} from './pairing-in-flight';
import type { InFlight } from './pairing-in-flight';

/**
 * Matches responses to requests per connection, direction and message id, and measures round-trip times.
 * OCPP-J rules it checks: ids are unique per sender on a connection; a CALL gets exactly one CALLRESULT or
 * CALLERROR from the other side; a SEND (2.1) is never answered; a CALLRESULTERROR (2.1) answers a CALLRESULT;
 * a sender has at most one CALL in flight. Memory is bounded per connection, so a hostile peer cannot grow it.
 */

export interface PairingOptions {
  /** A response later than this is flagged (and a request older than this is expired by `expire`). Default 30 s. */
  timeoutMs?: number;
  /** Requests remembered per connection and direction after completion or timeout. Default 256. */
  historySize?: number;
  /**
   * Requests in flight kept per sender on a connection before the oldest are let go (a finding says so, once until
   * half as many are in flight). Default 4096.
   */
  maxPending?: number;
}

export interface TrackInput {
  conn: string;
  sender: Sender;
  seq: number;
  /** Monotonic clock, ms. */
  mono: number;
  frame: Frame;
  version?: OcppVersion;
}

/** What pairing reads of a frame: its type and id (and a request's action). No parsed frame is needed. */
export interface PairInput {
  conn: string;
  sender: Sender;
  seq: number;
  /** Monotonic clock, ms. */
  mono: number;
  type: MessageTypeId;
  id: string;
  /** For a CALL or SEND; '' when unknown (a malformed request that is still answered). */
  action: string;
  version?: OcppVersion | undefined;
  /**
   * A request whose id its sender just made (our station's calls: a random UUID): it cannot be in use nor used
   * before, so neither is looked for (at ten thousand chargers, a look through a cold history per heartbeat).
   */
  freshId?: boolean;
}

export interface PairResult {
  findings: Finding[];
  /** For a response: the request it answers (partnerSeq) and the round-trip time. */
  pair?: PairInfo;
  /** For a response: the action of the request it answers. */
  action?: string;
  /** For a response: seq of the request, so the engine can set the request's own pair.partnerSeq. */
  requestSeq?: number;
}

export interface PendingRequest {
  conn: string;
  sender: Sender;
  id: string;
  action: string;
  seq: number;
  mono: number;
  /** 2 CALL or 6 SEND. */
  type: 2 | 6;
}

/**
 * A large history: a Map by id, with its eviction order in a ring of (id, generation). Evicting by iterating the
 * Map from its oldest key would walk over the holes V8 leaves behind deleted entries.
 */
class MapHistory implements History {
  private readonly byId = new Map<string, Done & { gen: number }>();
  private readonly ringIds: string[] = [];
  private readonly ringGens: number[] = [];
  private pos = 0;
  private gen = 0;

  constructor(private readonly size: number) {}

  get(id: string): Done | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  add(d: Done): void {
    const gen = ++this.gen;
    const pos = this.pos;
    const oldId = this.ringIds[pos];
    // Only the entry this slot put there is evicted: an id remembered again later has a newer slot.
    if (oldId !== undefined && this.byId.get(oldId)?.gen === this.ringGens[pos]) this.byId.delete(oldId);
    this.byId.set(d.id, Object.assign(d, { gen }));
    this.ringIds[pos] = d.id;
    this.ringGens[pos] = gen;
    this.pos = pos + 1 >= this.size ? 0 : pos + 1;
  }

  addAnswered(id: string, action: string, seq: number, outcome: 3 | 4, responseSeq: number): void {
    this.add({ id, action, seq, mono: 0, outcome, responseSeq });
  }

  replace(d: Done): void {
    const old = this.byId.get(d.id);
    if (old) this.byId.set(d.id, Object.assign(d, { gen: old.gen }));
  }
}

/** Requests in flight from this sender (oldest first; see pairing-in-flight.ts), and what it finished recently. */
interface Side extends InFlight<PendingRequest> {
  /** Recently finished requests from this sender, by id, bounded. */
  done: History;
  /** The CALL most recently put in flight: usually the one a "one CALL in flight" warning names, found in O(1). */
  newestCall?: PendingRequest;
}

/**
 * A side that let requests go because more than maxPending were in flight (rare: kept apart from Side, which ten
 * thousand simulated chargers have two of each).
 */
interface Drops {
  /**
   * Requests let go and not accounted for since: each answer paired from the history, and each answer no request is
   * known for, accounts for one. At 0, an answer with an unknown id is an error again.
   */
  unanswered: number;
  /** Letting go now: set at a drop (which the in-flight-limit finding then names), cleared at half the limit. */
  now: boolean;
}

/** A connection's two senders; each side is made when first needed (a simulated charger's CSMS rarely calls). */
type Sides = Record<Sender, Side | undefined>;

/**
 * What a request that finds nothing gets: one shared result instead of an empty array and an object per call (the
 * charger's every call). Frozen: a caller that kept and added to it would tell every connection.
 */
const NOTHING_FOUND: PairResult = Object.freeze({ findings: NO_FINDINGS as Finding[] });

const other = (s: Sender): Sender => (s === 'station' ? 'csms' : 'station');
const round = (ms: number): number => Math.max(0, Math.round(ms * 1000) / 1000);

/**
 * A finished request, built field by field: an object spread with extra properties takes V8's slow path, and this
 * runs for every answered CALL (it measured about 15 times slower than the explicit literal).
 */
function finished(p: PendingRequest | Done, outcome: Done['outcome'], responseSeq?: number): Done {
  const d: Done = {
    id: p.id,
    action: p.action,
    seq: p.seq,
    // Read only to time a late answer to a request that timed out or was dropped. Elsewhere 0: a fractional time is
    // a number object of its own in each entry, where a small integer is kept in the field.
    mono: outcome === 'timeout' || outcome === 'dropped' ? p.mono : 0,
    outcome,
    // Always present (maybe undefined): a property added afterwards would cost each entry a property table.
    responseSeq,
  };
  return d;
}

/**
 * The frame a malformed one pairs as, when its type and message id can be read (docs/capture-format.md, `pair`): a
 * CALL with a null payload, five elements or a 37-character id is still a request its peer answers, and a broken
 * answer still answers. Undefined when nothing can be paired.
 */
export function standInFrame(problem: FrameProblem): Frame | undefined {
  const id = problem.messageId;
  const v = problem.value;
  if (id === undefined || !Array.isArray(v)) return undefined;
  switch (v[0]) {
    case 2:
      return { type: 2, id, action: typeof v[2] === 'string' ? v[2] : '', payload: {} };
    case 3:
      return { type: 3, id, payload: {} };
    case 4:
      return { type: 4, id, errorCode: '', errorDescription: '', errorDetails: {} };
    default:
      return undefined;
  }
}

export class PairingTracker {
  readonly timeoutMs: number;
  private readonly historySize: number;
  private readonly maxPending: number;
  /** The sides that let requests go (see Drops); made at the first drop. */
  private drops: WeakMap<Side, Drops> | undefined;
  // One connection (a pipeline's tracker, the usual case) is kept in two fields; a Map only from the second on.
  private soloConn = '';
  private solo: Sides | undefined;
  private conns: Map<string, Sides> | undefined;

  constructor(options: PairingOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.historySize = options.historySize ?? 256;
    this.maxPending = options.maxPending ?? 4096;
  }

  private sidesOf(conn: string): Sides | undefined {
    if (this.conns !== undefined) return this.conns.get(conn);
    return this.solo !== undefined && this.soloConn === conn ? this.solo : undefined;
  }

  /** Every connection's sides, in the order they were first seen. */
  private all(): [string, Sides][] {
    if (this.conns !== undefined) return [...this.conns];
    return this.solo !== undefined ? [[this.soloConn, this.solo]] : [];
  }

  private side(conn: string, sender: Sender): Side {
    let c = this.sidesOf(conn);
    if (!c) {
      c = { station: undefined, csms: undefined };
      if (this.conns === undefined && this.solo === undefined) {
        this.soloConn = conn;
        this.solo = c;
      } else {
        if (this.conns === undefined) {
          this.conns = new Map([[this.soloConn, this.solo!]]);
          this.solo = undefined;
        }
        this.conns.set(conn, c);
      }
    }
    // Read by name, not by key: a keyed load per frame (the sender as the key) was a slow generic lookup.
    if (sender === 'station') return (c.station ??= this.newSide());
    return (c.csms ??= this.newSide());
  }

  private newSide(): Side {
    const h = Math.max(1, this.historySize);
    // newestCall present from the start: added later it would cost the side a property table.
    return {
      lone: undefined,
      more: noMore(),
      done: h <= 16 ? new SlotHistory(h) : new MapHistory(h),
      newestCall: undefined,
    };
  }

  /**
   * Lets go of what only requests in flight need, where none is (a quiet connection): the next request makes it
   * again. Not per answer: a charger with one call at a time would otherwise make a map for every call.
   */
  compact(): void {
    for (const [, sides] of this.all()) {
      if (sides.station) inFlightCompact(sides.station);
      if (sides.csms) inFlightCompact(sides.csms);
    }
  }

  /** An answer later than the timeout to a request still waited for, or let go (not expired). */
  private lateAnswer(name: string, action: string, rttMs: number): Finding {
    return {
      code: 'response-after-timeout',
      severity: 'warning',
      message: `${name} to ${action} came after ${Math.round(rttMs)} ms, later than the ${this.timeoutMs} ms timeout`,
    };
  }

  /** A drop episode ends at half the limit, so that a sender hovering at the limit is not told at every call. */
  private endDropping(side: Side): void {
    // Nearly always undefined (nothing was ever let go): one field read per answer.
    const drops = this.drops;
    if (drops === undefined) return;
    const d = drops.get(side);
    if (d?.now && inFlightSize(side) <= Math.floor(this.maxPending / 2)) d.now = false;
  }

  /** An answer to a request let go, paired or not: one fewer is waited for. */
  private accountDrop(side: Side): void {
    const d = this.drops?.get(side);
    if (d && d.unanswered > 0) d.unanswered--;
  }

  private remember(side: Side, d: Done): void {
    side.done.add(d);
  }

  /** Feed every parsed frame, in stream order. */
  track(input: TrackInput): PairResult {
    const f = input.frame;
    const { conn, sender, seq, mono, version } = input;
    const action = f.type === 2 || f.type === 6 ? f.action : '';
    return this.pair({ conn, sender, seq, mono, type: f.type, id: f.id, action, version });
  }

  /** Feed every frame whose type and id can be read (parsed or not), in stream order. */
  pair(input: PairInput): PairResult {
    const type = input.type;
    if (type === 2 || type === 6) return this.request(input, type, input.action);
    return this.response(input, type);
  }

  private request(input: PairInput, type: 2 | 6, action: string): PairResult {
    const { conn, sender, seq, mono, version } = input;
    const id = input.id;
    const side = this.side(conn, sender);
    // Made only when there is something to say: nearly every request finds nothing (see NOTHING_FOUND).
    let findings: Finding[] | undefined;
    // Most requests find nothing in flight (one call at a time): then no lookup in the pending map, which with
    // thousands of chargers is cold in the CPU's cache.
    const fresh = input.freshId === true;
    let inFlight = fresh ? undefined : inFlightGet(side, id);
    if (inFlight && mono - inFlight.mono > this.timeoutMs) {
      // Its request timed out (expire() not called yet): a resend with the same id is a reuse, not a clash.
      inFlightDelete(side, id);
      this.remember(side, finished(inFlight, 'timeout'));
      inFlight = undefined;
    }
    if (inFlight) {
      (findings ??= []).push({
        code: 'duplicate-message-id',
        severity: 'error',
        message: `message id "${id}" is already in use by ${inFlight.action} (seq ${inFlight.seq}), still unanswered: ids must be unique per sender`,
        errorCode: rpcFrameworkErrorCode(version),
      });
    } else if (!fresh && side.done.has(id)) {
      const prev = side.done.get(id)!;
      (findings ??= []).push({
        code: 'reused-message-id',
        severity: 'warning',
        message: `message id "${id}" was already used by ${prev.action} (seq ${prev.seq}): ids should be unique per sender on a connection`,
      });
    }
    if (type === 2 && inFlightSize(side) > 0) {
      // One CALL in flight per direction. SENDs do not count: they are never answered.
      let busy: PendingRequest | undefined;
      const newest = side.newestCall;
      if (
        newest &&
        newest.id !== id &&
        inFlightGet(side, newest.id) === newest &&
        mono - newest.mono <= this.timeoutMs
      )
        busy = newest;
      else {
        for (const p of inFlightList(side)) {
          if (p.type === 2 && p.id !== id && mono - p.mono <= this.timeoutMs) {
            busy = p;
            break;
          }
        }
      }
      if (busy) {
        (findings ??= []).push({
          code: 'call-while-pending',
          severity: 'warning',
          message: `${senderPhrase(sender)} sent ${action} while its ${busy.action} (id "${busy.id}", seq ${busy.seq}) is still unanswered: OCPP-J allows one CALL in flight per sender`,
        });
      }
    }
    const req: PendingRequest = { conn, sender, id, action, seq, mono, type };
    if (type === 6) {
      // Never answered: remember it only to recognise a (wrong) response to it.
      this.remember(side, finished(req, 'send'));
      return findings ? { findings } : NOTHING_FOUND;
    }
    inFlightSet(side, req);
    side.newestCall = req;
    if (inFlightSize(side) > this.maxPending) {
      const oldest = inFlightOldest(side);
      if (oldest) {
        inFlightDelete(side, oldest.id);
        this.remember(side, finished(oldest, 'dropped'));
        const drops = (this.drops ??= new WeakMap());
        let d = drops.get(side);
        if (d === undefined) drops.set(side, (d = { unanswered: 0, now: false }));
        d.unanswered++;
        if (!d.now) {
          d.now = true;
          (findings ??= []).push({
            code: 'in-flight-limit',
            severity: 'warning',
            message: `more than ${this.maxPending} requests of ${senderPhrase(sender)} are in flight: the oldest, ${oldest.action} (id "${oldest.id}", seq ${oldest.seq}), is let go, and so is the oldest at every request sent until half as many are in flight. Requests let go get no call timeout; an answer to one is still paired while the recent history holds it`,
          });
        }
      }
    }
    return findings ? { findings } : NOTHING_FOUND;
  }

  private response(input: PairInput, type: 3 | 4 | 5): PairResult {
    const { conn, sender, seq, mono } = input;
    const id = input.id;
    const findings: Finding[] = [];

    if (type === 5) {
      // CALLRESULTERROR: the original requester (this sender) could not process the CALLRESULT it got.
      const mine = this.side(conn, sender);
      const d = mine.done.get(id);
      if (d && d.outcome === 3 && d.responseSeq !== undefined) {
        return { findings, pair: { partnerSeq: d.responseSeq }, action: d.action, requestSeq: d.seq };
      }
      const p = inFlightGet(mine, id);
      findings.push({
        code: d || p ? 'response-type-mismatch' : 'response-to-unknown-id',
        severity: 'error',
        message: d
          ? d.outcome === 'send'
            ? `CALLRESULTERROR for "${id}", which was a SEND: a SEND gets no answer, so there is no CALLRESULT to reject`
            : d.outcome === 4
              ? `CALLRESULTERROR for "${id}", which was answered by a CALLERROR, not a CALLRESULT`
              : d.outcome === 'dropped'
                ? `CALLRESULTERROR for "${id}", whose CALL has not been answered (it was let go: more than ${this.maxPending} requests were in flight)`
                : `CALLRESULTERROR for "${id}", whose CALL was never answered (timed out)`
          : p
            ? `CALLRESULTERROR for "${id}" (${p.action}), which has not been answered with a CALLRESULT yet`
            : `CALLRESULTERROR for message id "${id}": ${senderPhrase(sender)} sent no request with that id`,
      });
      return { findings };
    }

    const requester = other(sender);
    const side = this.side(conn, requester);
    const name = type === 3 ? 'CALLRESULT' : 'CALLERROR';
    const req = inFlightGet(side, id);
    if (req) {
      inFlightDelete(side, id);
      // Answered: it no longer counts as in flight, and an idle connection need not keep it beside its history.
      if (side.newestCall === req) side.newestCall = undefined;
      this.endDropping(side);
      side.done.addAnswered(req.id, req.action, req.seq, type, seq);
      const rttMs = round(mono - req.mono);
      if (rttMs > this.timeoutMs) findings.push(this.lateAnswer(name, req.action, rttMs));
      return { findings, pair: { partnerSeq: req.seq, rttMs }, action: req.action, requestSeq: req.seq };
    }
    const d = side.done.get(id);
    if (d) {
      if (d.outcome === 'send') {
        findings.push({
          code: 'response-type-mismatch',
          severity: 'error',
          message: `${name} to a SEND (${d.action}, seq ${d.seq}): a SEND is never answered`,
        });
        return { findings, action: d.action, requestSeq: d.seq };
      }
      if (d.outcome === 'dropped') {
        // Not late for being let go: only the time says whether it came after the timeout.
        const rttMs = round(mono - d.mono);
        side.done.replace(finished(d, type, seq));
        this.accountDrop(side);
        if (rttMs > this.timeoutMs) findings.push(this.lateAnswer(name, d.action, rttMs));
        return { findings, pair: { partnerSeq: d.seq, rttMs }, action: d.action, requestSeq: d.seq };
      }
      if (d.outcome === 'timeout') {
        const rttMs = round(mono - d.mono);
        side.done.replace(finished(d, type, seq));
        findings.push({
          code: 'response-after-timeout',
          severity: 'warning',
          message: `${name} to ${d.action} came after ${Math.round(rttMs)} ms, after the request had timed out (${this.timeoutMs} ms)`,
        });
        return { findings, pair: { partnerSeq: d.seq, rttMs }, action: d.action, requestSeq: d.seq };
      }
      findings.push({
        code: 'duplicate-response',
        severity: 'error',
        message: `a second response to "${id}" (${d.action}): it was already answered (seq ${d.responseSeq ?? '?'})`,
      });
      return { findings, action: d.action, requestSeq: d.seq };
    }
    // Maybe the response came from the side that sent the request (a mirrored id): say so, it is a common bug.
    const same = this.side(conn, sender);
    const own = inFlightGet(same, id) ?? same.done.get(id);
    const dropped = this.drops?.get(side)?.unanswered ?? 0;
    if (!own && dropped > 0) {
      // Maybe the answer to a request let go (more in flight than kept) that the history no longer holds.
      this.accountDrop(side);
      findings.push({
        code: 'response-to-untracked-request',
        severity: 'info',
        message: `${name} for message id "${id}": no request of ${senderPhrase(requester)} with that id is known, but ${dropped} of its requests let go while more than ${this.maxPending} were in flight are still unanswered, and it may answer one of them`,
      });
      return { findings };
    }
    findings.push({
      code: 'response-to-unknown-id',
      severity: 'error',
      message: own
        ? `${name} for "${id}" comes from ${senderPhrase(sender)}, which itself sent that ${own.action}: the answer must come from the other side`
        : `${name} for message id "${id}": ${senderPhrase(requester)} sent no request with that id`,
    });
    return { findings };
  }

  /**
   * Expires requests older than the timeout (call it from a timer); returns them so the engine can note them.
   * A response that still comes later is paired and flagged response-after-timeout.
   */
  expire(nowMono: number, conn?: string): PendingRequest[] {
    const out: PendingRequest[] = [];
    for (const [c, sides] of this.all()) {
      if (conn !== undefined && c !== conn) continue;
      for (const side of [sides.station, sides.csms]) {
        if (!side) continue;
        for (const p of inFlightList(side)) {
          if (nowMono - p.mono > this.timeoutMs) {
            inFlightDelete(side, p.id);
            this.remember(side, finished(p, 'timeout'));
            out.push(p);
          }
        }
        this.endDropping(side);
      }
    }
    return out;
  }

  /**
   * Expires one request now (the engine arms a timer per CALL it sends, with its own timeout); returns it, or
   * undefined when it was already answered. A response that still comes later is flagged response-after-timeout.
   */
  expireOne(conn: string, sender: Sender, id: string): PendingRequest | undefined {
    const side = this.sidesOf(conn)?.[sender];
    if (side === undefined) return undefined;
    const p = inFlightGet(side, id);
    if (!p) {
      // Let go earlier (more in flight than kept) and never answered: it has now timed out by the engine's own
      // timeout, so a later answer is late by that, not by this tracker's.
      const d = side.done.get(id);
      if (d?.outcome === 'dropped') {
        side.done.replace(finished(d, 'timeout'));
        this.accountDrop(side);
      }
      return undefined;
    }
    inFlightDelete(side, id);
    if (side.newestCall === p) side.newestCall = undefined;
    this.endDropping(side);
    this.remember(side, finished(p, 'timeout'));
    return p;
  }

  /** Requests still waiting for an answer, oldest first. */
  pending(conn?: string): PendingRequest[] {
    const out: PendingRequest[] = [];
    for (const [c, sides] of this.all()) {
      if (conn !== undefined && c !== conn) continue;
      if (sides.station) out.push(...inFlightList(sides.station));
      if (sides.csms) out.push(...inFlightList(sides.csms));
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** The action of a request in flight or recently finished, by the id a response carries. */
  actionOf(conn: string, requester: Sender, id: string): string | undefined {
    const side = this.sidesOf(conn)?.[requester];
    if (side === undefined) return undefined;
    return inFlightGet(side, id)?.action ?? side.done.get(id)?.action;
  }

  /** Drop everything about a connection (closed). */
  forget(conn: string): void {
    if (this.conns !== undefined) this.conns.delete(conn);
    else if (this.solo !== undefined && this.soloConn === conn) this.solo = undefined;
  }
}

import type { Finding } from '../finding';
import type { Sender } from '../sender';
import type { FrameObserver, ObservedFrame, TimedFinding } from '../frame-observer';
import type { JsonObject } from '../json';
import type { OcppVersion } from '../versions';
import { behaviourFinding, type BehaviourCodeName } from './catalogue';
import type { BehaviourOptions } from './options';
import type { PeerModel } from './peer-model';
import { num, obj, str } from './read';

/** A CALL one of the rules waits on the answer to. */
export interface PendingCall {
  action: string;
  seq: number;
  t: number;
  payload: JsonObject;
}

/** A remote start the station accepted: a transaction should follow. */
export interface RemoteStartExpectation {
  seq: number;
  deadline: number;
  /** 1.6 connectorId / 2.x evseId, when the CSMS named one. */
  connector?: number;
  /** 2.x: remoteStartId, and the transactionId the answer carried. */
  remoteStartId?: number;
  transactionId?: string;
  /** The connector reported a status change meanwhile: the station reacted (maybe waiting for the EV). */
  reacted: boolean;
}

interface TriggerExpectation {
  action: string;
  seq: number;
  /** Infinity until the TriggerMessage is answered Accepted. */
  deadline: number;
  /** The message came (possibly before the answer). */
  done: boolean;
}

type BootState = 'none' | 'inflight' | 'pending' | 'rejected' | 'accepted';

/** What the version families add: their own messages on top of the common boot, heartbeat, trigger and reset. */
export interface FamilyRules {
  /** Actions whose answer a rule reads, per requester. */
  readonly stationCalls: ReadonlySet<string>;
  readonly csmsCalls: ReadonlySet<string>;
  request(o: ConnectionObserver, sender: Sender, action: string, payload: JsonObject, f: ObservedFrame): void;
  response(o: ConnectionObserver, call: PendingCall, payload: JsonObject, f: ObservedFrame): void;
}

const NONE_F: Finding[] = [];
Object.freeze(NONE_F);
const NONE_T: TimedFinding[] = [];
Object.freeze(NONE_T);
// Shared, read-only: a connection's own list is made by its first expectation (thousands of quiet chargers arm none).
const NO_TRIGGERS: TriggerExpectation[] = [];
Object.freeze(NO_TRIGGERS);
const NO_REMOTE_STARTS: RemoteStartExpectation[] = [];
Object.freeze(NO_REMOTE_STARTS);

const COMMON_STATION_CALLS = ['BootNotification'];
const COMMON_CSMS_CALLS = ['TriggerMessage', 'ExtendedTriggerMessage', 'Reset'];

/** The actions whose answer a rule reads, per requester: the common rules' and the family's in one set each. */
interface Wanted {
  readonly station: ReadonlySet<string>;
  readonly csms: ReadonlySet<string>;
}

/**
 * Made once per family: asking one set instead of two (the common one, then the family's) halves the lookups of a
 * call no rule reads the answer to, which are asked three times per call (nearly every call of a charger).
 */
const WANTED = new WeakMap<FamilyRules, Wanted>();

function wantedBy(family: FamilyRules): Wanted {
  let w = WANTED.get(family);
  if (w === undefined) {
    w = {
      station: new Set([...COMMON_STATION_CALLS, ...family.stationCalls]),
      csms: new Set([...COMMON_CSMS_CALLS, ...family.csmsCalls]),
    };
    WANTED.set(family, w);
  }
  return w;
}
/** Bounds per connection: a peer flooding calls or triggers cannot grow them. */
const MAX_PENDING = 64;
const MAX_EXPECTATIONS = 16;

/** The message a TriggerMessage's requestedMessage asks for, as the action the station then sends. */
function triggeredAction(requested: string | undefined): string | undefined {
  if (requested === undefined || requested === 'CustomTrigger') return undefined;
  if (requested.startsWith('Sign') && requested.endsWith('Certificate')) return 'SignCertificate';
  return requested;
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/**
 * The behaviour rules of one connection. Dispatches by message type and action, so a frame no rule cares about
 * costs a few comparisons and allocates nothing. Time moves only through the `t` it is given.
 */
export class ConnectionObserver implements FrameObserver {
  /** Findings for the frame being observed; allocated on the first one. */
  private out: Finding[] | undefined;
  private timed: TimedFinding[] | undefined;

  private boot: BootState;
  /** When a Pending/Rejected BootNotification was answered, and the retry interval it gave (ms). */
  private bootAnsweredT = 0;
  private bootInterval = 0;
  /** seq of the first station request on this connection before any BootNotification; -1 when none. */
  private preBootSeq = -1;
  private preBootCount = 0;

  // Made when a rule first waits on an answer, let go when none is awaited: thousands of quiet chargers keep none.
  private stationPending: Map<string, PendingCall> | undefined;
  private csmsPending: Map<string, PendingCall> | undefined;

  private lastStationT = Number.NaN;
  private silenceReported = false;
  private lastHeartbeatT = Number.NaN;
  private lastHeartbeatSeq = -1;
  private tooOftenReported = false;

  private triggers: TriggerExpectation[] = NO_TRIGGERS;
  private remoteStarts: RemoteStartExpectation[] = NO_REMOTE_STARTS;
  /** Earliest deadline among triggers and remote starts; Infinity when none is armed. */
  private nextDeadline = Number.POSITIVE_INFINITY;
  private isClosed = false;
  private readonly wanted: Wanted;

  constructor(
    readonly version: OcppVersion,
    readonly family: FamilyRules,
    readonly peer: PeerModel,
    readonly conn: string,
    readonly options: BehaviourOptions,
  ) {
    // A station that booted on an earlier connection may simply reconnect: it need not boot again.
    this.boot = peer.acceptedBootT !== undefined ? 'accepted' : 'none';
    this.wanted = wantedBy(family);
    peer.live++;
    peer.version = version;
  }

  // ---- for the family rules ------------------------------------------------------------------------------------

  find(code: BehaviourCodeName, message: string, related?: number[]): void {
    (this.out ??= []).push(behaviourFinding(code, this.version, message, related));
  }

  /** The connector's reported status changed: a pending remote start there counts as answered by the station. */
  connectorReacted(connector: number | undefined): void {
    for (const r of this.remoteStarts) {
      if (r.connector === undefined || connector === undefined || r.connector === connector) r.reacted = true;
    }
  }

  /** A transaction started (or a 2.x event names the remote start): settle the matching remote start. */
  transactionStarted(match: (r: RemoteStartExpectation) => boolean): void {
    const list = this.remoteStarts;
    for (let i = list.length - 1; i >= 0; i--) if (match(list[i]!)) list.splice(i, 1);
  }

  armRemoteStart(r: Omit<RemoteStartExpectation, 'deadline' | 'reacted'>, t: number): void {
    if (this.remoteStarts === NO_REMOTE_STARTS) this.remoteStarts = [];
    else if (this.remoteStarts.length >= MAX_EXPECTATIONS) this.remoteStarts.shift();
    const deadline = t + this.options.remoteStartWindowMs;
    this.remoteStarts.push({ ...r, deadline, reacted: false });
    if (deadline < this.nextDeadline) this.nextDeadline = deadline;
  }

  /** A transaction ended: an OnIdle reset waiting for it may now start its clock. */
  transactionEnded(t: number): void {
    const r = this.peer.reset;
    if (r?.deferred && this.peer.transactions.open.size === 0) {
      r.deferred = false;
      r.deadline = t + this.options.resetWindowMs;
    }
  }

  /** Sets the heartbeat interval agreed, in seconds (0: none). */
  heartbeatInterval(sec: number): void {
    if (!(sec >= 0)) return;
    this.peer.heartbeatMs = sec * 1000;
    this.tooOftenReported = false;
  }

  // ---- FrameObserver -------------------------------------------------------------------------------------------

  observe(f: ObservedFrame): Finding[] {
    this.out = undefined;
    const fr = f.frame;
    if (f.sender === 'station') {
      this.lastStationT = f.t;
      this.silenceReported = false;
    }
    if (fr.type === 2 || fr.type === 6) {
      if (f.sender === 'station') this.stationRequest(f, fr.action);
      else this.csmsRequest(f, fr.action, fr.payload);
      this.family.request(this, f.sender, fr.action, fr.payload, f);
      if (fr.type === 2) this.remember(f, fr.action, fr.payload);
    } else if (fr.type === 3 || fr.type === 4) {
      const requester: Sender = f.sender === 'station' ? 'csms' : 'station';
      const pending = requester === 'station' ? this.stationPending : this.csmsPending;
      let call: PendingCall | undefined;
      if (pending !== undefined) {
        call = pending.get(fr.id);
        if (call) {
          pending.delete(fr.id);
          if (pending.size === 0) this.dropPending(requester);
        }
      }
      // Started mid-stream: the pipeline's pairing may still know the request.
      if (!call && f.request && this.wants(f.sender === 'station' ? 'csms' : 'station', f.request.action)) {
        const p = obj(f.request.payload);
        if (p) call = { action: f.request.action, seq: f.request.seq, t: f.request.t, payload: p };
      }
      if (call && fr.type === 3) {
        this.commonResponse(call, fr.payload, f);
        this.family.response(this, call, fr.payload, f);
      }
    }
    const out = this.out;
    this.out = undefined;
    return out ?? NONE_F;
  }

  readsAnswer(requester: Sender, action: string, id: string): boolean {
    return (
      this.wants(requester, action) ||
      (requester === 'station' ? this.stationPending : this.csmsPending)?.has(id) === true
    );
  }

  advance(t: number): TimedFinding[] {
    this.timed = undefined;
    if (!this.isClosed) this.expire(t);
    const out = this.timed;
    this.timed = undefined;
    return out ?? NONE_T;
  }

  /** See FrameObserver.quietUntil: the earliest deadline expire() watches (a silent station, a Reset, a trigger). */
  quietUntil(): number {
    if (this.isClosed) return Number.POSITIVE_INFINITY;
    let until = this.nextDeadline;
    const hb = this.peer.heartbeatMs;
    if (hb !== undefined && hb > 0 && !this.silenceReported && this.lastStationT === this.lastStationT) {
      const late = this.lastStationT + hb * this.options.heartbeatLateFactor + this.options.heartbeatGraceMs;
      if (late < until) until = late;
    }
    const reset = this.peer.reset;
    if (reset && reset.deadline < until) until = reset.deadline;
    return until;
  }

  closed(t: number): TimedFinding[] {
    if (this.isClosed) return NONE_T;
    try {
      return this.advance(t);
    } finally {
      // Even when a rule failed in that last advance (the pipeline records it as rule-failed): a connection left
      // counted as live would keep its identity from ever being judged as gone (a Reset without a reboot).
      this.isClosed = true;
      this.peer.live--;
      // What has not expired yet cannot be judged: the station may have sent it had the connection lasted.
      this.triggers = NO_TRIGGERS;
      this.remoteStarts = NO_REMOTE_STARTS;
      this.stationPending = undefined;
      this.csmsPending = undefined;
    }
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  private wants(requester: Sender, action: string): boolean {
    return (requester === 'station' ? this.wanted.station : this.wanted.csms).has(action);
  }

  private remember(f: ObservedFrame, action: string, payload: JsonObject): void {
    if (!this.wants(f.sender, action)) return;
    const pending =
      f.sender === 'station'
        ? (this.stationPending ??= new Map<string, PendingCall>())
        : (this.csmsPending ??= new Map<string, PendingCall>());
    if (pending.size >= MAX_PENDING) {
      const oldest = pending.keys().next();
      if (!oldest.done) pending.delete(oldest.value);
    }
    pending.set(f.frame.id, { action, seq: f.seq, t: f.t, payload });
  }

  private dropPending(requester: Sender): void {
    if (requester === 'station') this.stationPending = undefined;
    else this.csmsPending = undefined;
  }

  private timedFinding(t: number, code: BehaviourCodeName, message: string, related?: number[]): void {
    (this.timed ??= []).push({ t, finding: behaviourFinding(code, this.version, message, related) });
  }

  private expire(t: number): void {
    const hb = this.peer.heartbeatMs;
    if (hb !== undefined && hb > 0 && !this.silenceReported && this.lastStationT === this.lastStationT) {
      const late = hb * this.options.heartbeatLateFactor + this.options.heartbeatGraceMs;
      if (t - this.lastStationT > late) {
        this.silenceReported = true;
        this.timedFinding(
          t,
          'heartbeat-missing',
          `No message from the station for ${seconds(t - this.lastStationT)}, with a heartbeat interval of ${seconds(hb)}`,
        );
      }
    }
    const reset = this.peer.reset;
    if (reset && t >= reset.deadline) {
      this.peer.reset = undefined;
      this.timedFinding(
        t,
        'reset-no-reboot',
        `Reset was accepted, but no BootNotification followed within ${seconds(this.options.resetWindowMs)}${reset.conn === this.conn ? ' (this connection stayed open)' : ''}`,
        [reset.seq],
      );
    }
    if (t < this.nextDeadline) return;
    let next = Number.POSITIVE_INFINITY;
    const triggers = this.triggers;
    for (let i = triggers.length - 1; i >= 0; i--) {
      const x = triggers[i]!;
      if (x.done) {
        triggers.splice(i, 1);
      } else if (t >= x.deadline) {
        triggers.splice(i, 1);
        this.timedFinding(
          t,
          'trigger-not-sent',
          `TriggerMessage for ${x.action} was accepted, but no ${x.action} came within ${seconds(this.options.triggerWindowMs)}`,
          [x.seq],
        );
      } else if (x.deadline < next) next = x.deadline;
    }
    const starts = this.remoteStarts;
    for (let i = starts.length - 1; i >= 0; i--) {
      const r = starts[i]!;
      if (t < r.deadline) {
        if (r.deadline < next) next = r.deadline;
        continue;
      }
      starts.splice(i, 1);
      if (r.reacted) continue;
      this.timedFinding(
        t,
        'remote-start-no-transaction',
        `A remote start was accepted, but no transaction started and the connector reported no change within ${seconds(this.options.remoteStartWindowMs)}`,
        [r.seq],
      );
    }
    this.nextDeadline = next;
  }

  private stationRequest(f: ObservedFrame, action: string): void {
    const triggered = this.triggerSatisfied(action);
    if (action === 'BootNotification') {
      this.bootRequest(f, triggered);
      return;
    }
    if (action === 'Heartbeat') this.heartbeat(f, triggered);
    const boot = this.boot;
    if (boot === 'accepted') return;
    if (boot === 'none') {
      if (this.preBootSeq < 0) this.preBootSeq = f.seq;
      this.preBootCount++;
      return;
    }
    if (triggered && boot === 'pending') return;
    // One CALL in flight is the pairing's finding already; say nothing twice.
    if (boot === 'inflight' && f.findings.some((x) => x.code === 'call-while-pending')) return;
    this.find(
      'traffic-before-boot-accepted',
      `${action} sent while the BootNotification ${boot === 'inflight' ? 'is still unanswered' : `was answered ${boot === 'pending' ? 'Pending' : 'Rejected'}`}: only a message the CSMS triggered is allowed${boot === 'rejected' ? ' (none while Rejected)' : ''}`,
    );
  }

  private bootRequest(f: ObservedFrame, triggered: boolean): void {
    const since = f.t - this.bootAnsweredT;
    if (
      (this.boot === 'pending' || this.boot === 'rejected') &&
      !triggered &&
      since < this.bootInterval * this.options.heartbeatEarlyFactor
    ) {
      this.find(
        'boot-retry-too-soon',
        `BootNotification retried ${seconds(since)} after the ${this.boot === 'pending' ? 'Pending' : 'Rejected'} answer, sooner than the ${seconds(this.bootInterval)} interval it was given`,
      );
    }
    if (this.boot === 'none' && this.preBootSeq >= 0 && !triggered) {
      this.find(
        'boot-after-traffic',
        `BootNotification came after ${this.preBootCount} other request${this.preBootCount === 1 ? '' : 's'} on this connection: a station registers before anything else`,
        [this.preBootSeq],
      );
    }
    this.preBootSeq = -1;
    this.preBootCount = 0;
    if (this.boot !== 'accepted' || !triggered) this.boot = 'inflight';
    // A reboot: an expected one (after Reset) is honoured; statuses start afresh.
    if (!triggered) this.peer.booted();
  }

  private heartbeat(f: ObservedFrame, triggered: boolean): void {
    const hb = this.peer.heartbeatMs;
    const last = this.lastHeartbeatT;
    if (!triggered && hb !== undefined && hb > 0 && !this.tooOftenReported && last === last) {
      const gap = f.t - last;
      // Jitter within the grace is never "too often": a short interval (tests, labs) and a queued send stay quiet.
      if (gap < hb * this.options.heartbeatEarlyFactor && hb - gap > this.options.heartbeatGraceMs) {
        this.tooOftenReported = true;
        this.find(
          'heartbeat-too-often',
          `Heartbeat ${seconds(gap)} after the previous one, with a heartbeat interval of ${seconds(hb)} (reported once per interval agreed)`,
          [this.lastHeartbeatSeq],
        );
      }
    }
    // A triggered heartbeat is extra: the station's own schedule may go on from its previous one.
    if (triggered) return;
    this.lastHeartbeatT = f.t;
    this.lastHeartbeatSeq = f.seq;
  }

  private triggerSatisfied(action: string): boolean {
    const triggers = this.triggers;
    if (triggers.length === 0) return false;
    for (const x of triggers) {
      if (!x.done && x.action === action) {
        x.done = true;
        return true;
      }
    }
    return false;
  }

  private csmsRequest(f: ObservedFrame, action: string, payload: JsonObject): void {
    if (action === 'TriggerMessage' || action === 'ExtendedTriggerMessage') {
      const wanted = triggeredAction(str(payload, 'requestedMessage'));
      if (wanted === undefined) return;
      if (this.triggers === NO_TRIGGERS) this.triggers = [];
      else if (this.triggers.length >= MAX_EXPECTATIONS) this.triggers.shift();
      this.triggers.push({ action: wanted, seq: f.seq, deadline: Number.POSITIVE_INFINITY, done: false });
    }
  }

  private commonResponse(call: PendingCall, payload: JsonObject, f: ObservedFrame): void {
    const status = str(payload, 'status');
    switch (call.action) {
      case 'BootNotification': {
        const interval = num(payload, 'interval');
        if (status === 'Accepted') {
          this.boot = 'accepted';
          this.peer.acceptedBootT ??= f.t;
          this.peer.acceptedBootSeq = f.seq;
          if (interval !== undefined) this.heartbeatInterval(interval);
        } else if (status === 'Pending' || status === 'Rejected') {
          this.boot = status === 'Pending' ? 'pending' : 'rejected';
          // The station retries after `interval` (or a default of its own when 0): allow it some slack.
          this.bootInterval = interval !== undefined && interval > 0 ? interval * 1000 : 0;
          this.bootAnsweredT = f.t;
        }
        return;
      }
      case 'TriggerMessage':
      case 'ExtendedTriggerMessage': {
        const x = this.triggers.find((e) => e.seq === call.seq);
        if (!x) return;
        if (status !== 'Accepted') {
          this.triggers.splice(this.triggers.indexOf(x), 1);
        } else if (!x.done) {
          x.deadline = f.t + this.options.triggerWindowMs;
          if (x.deadline < this.nextDeadline) this.nextDeadline = x.deadline;
        }
        return;
      }
      case 'Reset': {
        // 2.x Reset of one EVSE: no reboot expected.
        if (call.payload.evseId !== undefined) return;
        if (status !== 'Accepted' && status !== 'Scheduled') return;
        const onIdle = status === 'Scheduled' || str(call.payload, 'type') === 'OnIdle';
        const deferred = onIdle && this.peer.transactions.open.size > 0;
        this.peer.reset = {
          seq: call.seq,
          conn: this.conn,
          deferred,
          deadline: deferred ? Number.POSITIVE_INFINITY : f.t + this.options.resetWindowMs,
        };
        return;
      }
    }
  }
}

import type { SimulatorSettings } from '../../../shared/api';
import type { JsonObject } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { AuthLists } from './auth-lists';
import { CallQueue } from './call-queue';
import { CertificateManagement } from './certificate-management';
import type {
  Answer,
  BootState,
  Connector,
  ModelHost,
  SimCall,
  StopReason,
  Transaction,
  UserAction,
} from './charger-types';
import { settingsWithDefaults } from './charger-types';
import { diagnosticsBytes, uploadSteps } from './file-steps';
import { FirmwareRuns, firmwareUpdate } from './firmware-update';
import type { StatusInfo } from './file-steps';
import { num, str, uploadName } from './payload-read';
import type { ConnectorContext } from './charging-profiles';
import { ProfileStore } from './charging-profiles';
import { ConnectorMeter, evDemandW, newEv } from './ev-meter';

// The vocabulary lives in charger-types.ts; it is re-exported for the files that import it from here.
export type {
  Answer,
  BootState,
  Connector,
  ModelHost,
  SimCall,
  StationIdentity,
  StopReason,
  Transaction,
  TransferJob,
  TransferResult,
  UserAction,
} from './charger-types';
export { settingsWithDefaults } from './charger-types';

/**
 * What both charger models (1.6 and 2.x) share: the boot and heartbeat cycle, the one-call-in-flight send queue with
 * its offline rules, connectors with their physical state (cable, EV, meter, fault, availability, reservation),
 * authorization with a cache and a local list, transactions and their meter samples, charging profiles, reboots and
 * timers. Pure: time comes in as `now` (epoch ms); frames go out through takeCall(); I/O the model cannot do itself
 * (closing the socket, file transfers) is asked of its host. Version specifics (payload shapes, statuses, the
 * answers to CSMS calls) live in model-16.ts and model-2x.ts.
 */

export abstract class ChargerCore {
  abstract readonly version: OcppVersion;
  readonly settings: SimulatorSettings;
  readonly connectors: Connector[] = [];
  readonly profiles = new ProfileStore();
  boot: BootState = 'none';
  online = false;
  protected host: ModelHost;
  protected readonly calls = new CallQueue();
  protected heartbeatSec = 0;
  protected nextHeartbeat: number | undefined;
  protected nextBoot: number | undefined;
  private timers: { at: number; run: (now: number) => void }[] | undefined;
  /** Counts reboots: a boot answer belongs to the cycle its BootNotification was sent in. */
  private powerCycle = 0;
  private txCounter = 0;
  private auth: AuthLists | undefined;
  /** Set by an accepted Reset or a firmware install: reboot once the transaction messages are out. */
  protected rebootPending: { delaySec: number; whenIdle: boolean } | undefined;
  /** The last status of each file transfer (for TriggerMessage). */
  diagnosticsStatus = 'Idle';
  firmwareStatus = 'Idle';
  protected firmwareRequestId: number | undefined;
  /** Set by an installation: the status call the next accepted boot sends (Installed). */
  protected afterInstall: (() => SimCall) | undefined;

  constructor(settings: Partial<SimulatorSettings> | undefined, host: ModelHost, now: number) {
    this.settings = settingsWithDefaults(settings);
    this.host = host;
    const seed = this.settings.seed ?? 1;
    for (let id = 1; id <= this.settings.connectors; id++) {
      this.connectors.push({
        id,
        plugged: false,
        faulted: false,
        inoperative: false,
        inoperativeAfterTx: false,
        meter: new ConnectorMeter(Math.round(seed * 7919 + id * 104_729) % 1_000_000, now),
        status: '',
      });
    }
    for (const c of this.connectors) c.status = this.statusOf(c);
  }

  private certs: CertificateManagement | undefined;

  /** Certificate management, made when first needed (most stations never see a certificate). */
  protected get certificates(): CertificateManagement {
    return (this.certs ??= new CertificateManagement(this.version, {
      enqueue: (c) => this.enqueue(c),
      host: this.host,
      subject: () => `CN=${dnValue(this.host.identity)}, O=${dnValue(this.organization())}`,
    }));
  }

  /** What the station's display shows now (2.x display messages); undefined: nothing set by the CSMS. */
  displayText(now: number): string | undefined {
    void now;
    return undefined;
  }

  /** The station certificate the CSMS installed (SignCertificate → CertificateSigned), for its TLS client side. */
  clientCertificate(): Promise<{ cert: string; key: string } | undefined> {
    return this.certs?.store.clientCertificate() ?? Promise.resolve(undefined);
  }

  // ---- version specifics -------------------------------------------------------------------------------------

  /** The organization of the station's certificate (1.6 CpoName, 2.x SecurityCtrlr.OrganizationName). */
  protected abstract organization(): string;

  abstract statusOf(c: Connector): string;
  protected abstract bootCall(): SimCall;
  protected abstract statusCall(c: Connector | undefined): SimCall;
  /** Authorize's payload for a card (1.6 idTag, 2.x idToken). */
  protected abstract authorizeRequest(idTag: string): JsonObject;
  /** The status of an idTag / idToken in an answer (Authorize, StartTransaction, TransactionEvent). */
  protected abstract idStatusOf(response: JsonObject): string | undefined;
  protected abstract txStarted(c: Connector, tx: Transaction, trigger: string, now: number): void;
  protected abstract txSample(c: Connector, tx: Transaction, context: string, now: number): void;
  protected abstract txEnded(c: Connector, tx: Transaction, reason: string, now: number): void;
  /** Called when the physical state changes during a transaction (2.x reports it as a TransactionEvent). */
  protected abstract txChanged(c: Connector, tx: Transaction, trigger: string, now: number): void;
  /** The answer to a CSMS call, by the version's rules. */
  abstract answer(action: string, payload: JsonObject, now: number): Answer;
  /** The names a stop reason has in this version. */
  protected abstract reasonName(reason: StopReason): string;
  /** The transaction-start rule (2.x TxStartPoint): does a transaction start at plug-in, before authorization? */
  protected abstract startsOnPlug(): boolean;
  protected abstract sampleIntervalSec(): number;

  // ---- the link ------------------------------------------------------------------------------------------------

  connected(now: number): void {
    this.online = true;
    if (this.boot !== 'accepted') {
      this.boot = 'none';
      this.nextBoot = now;
      this.sendBoot(now);
    } else {
      for (const c of this.connectors) if (c.status !== c.sentStatus) this.enqueue(this.statusCall(c));
      this.nextHeartbeat = now + this.heartbeatSec * 1000;
    }
    this.host.changed();
  }

  disconnected(now: number): void {
    this.online = false;
    // Statuses are resent on reconnect; transaction messages wait in the queue.
    this.calls.dropStale();
    this.nextHeartbeat = undefined;
    if (this.boot !== 'accepted') this.boot = 'none';
    this.checkReboot(now);
    this.host.changed();
  }

  /** The station restarts (after a reset or an installation): it boots again once connected. */
  poweredUp(): void {
    // Answers to calls of the last power cycle (a boot answer crossing a Reset) no longer apply.
    this.powerCycle++;
    this.boot = 'none';
    this.heartbeatSec = 0;
    this.nextHeartbeat = undefined;
  }

  /** The next call to send now, if the rules allow one (one in flight; nothing but boot before Accepted). */
  takeCall(now: number): SimCall | undefined {
    return this.online ? this.calls.take(this.boot, now) : undefined;
  }

  callDone(call: SimCall, response: JsonObject, now: number): void {
    this.calls.settled(call);
    try {
      call.onResult?.(response, now);
    } finally {
      this.checkReboot(now);
      this.host.changed();
    }
  }

  /** A CALLERROR, or no answer in time. Transaction messages are retried; others given up. */
  callFailed(call: SimCall, now: number): void {
    this.calls.settled(call);
    const attempts = Math.max(1, this.messageAttempts());
    if (call.transactional && call.attempts < attempts)
      this.calls.again(call, now + this.retryIntervalSec() * 1000 * call.attempts);
    else {
      if (call.transactional) this.host.note(`${call.action} given up after ${call.attempts} attempt(s).`);
      call.onFail?.(now);
    }
    this.checkReboot(now);
    this.host.changed();
  }

  /** The socket closed with the call unanswered: a transaction message waits for the next connection. */
  callLost(call: SimCall): void {
    this.calls.settled(call);
    if (call.transactional) this.calls.again(call);
  }

  protected abstract messageAttempts(): number;
  protected abstract retryIntervalSec(): number;

  get queued(): number {
    return this.calls.size;
  }

  /** How many transaction messages wait (offline queue). */
  get queuedTransactionMessages(): number {
    return this.calls.transactional;
  }

  /** Queues a call (bounded: see CallQueue). */
  protected enqueue(call: SimCall): void {
    this.calls.push(call, this.host);
  }

  // ---- time ----------------------------------------------------------------------------------------------------

  nextWake(): number | undefined {
    let next = Infinity;
    if (this.online && this.nextHeartbeat !== undefined) next = Math.min(next, this.nextHeartbeat);
    if (this.online && this.nextBoot !== undefined && this.boot !== 'accepted' && this.boot !== 'sent')
      next = Math.min(next, this.nextBoot);
    for (const t of this.timers ?? []) next = Math.min(next, t.at);
    for (const c of this.connectors) {
      if (c.tx) next = Math.min(next, c.tx.nextSample);
      if (c.reservation) next = Math.min(next, c.reservation.expires);
    }
    const retryAt = this.calls.headRetryAt;
    if (this.online && retryAt !== undefined) next = Math.min(next, retryAt);
    const own = this.ownWake();
    if (own !== undefined) next = Math.min(next, own);
    return next === Infinity ? undefined : next;
  }

  /** When a version's own timed work is due (2.x periodic monitors); undefined: none. */
  protected ownWake(): number | undefined {
    return undefined;
  }

  /** A version's own work at each wake-up and after a status change (2.x monitors compare their values). */
  protected observe(now: number): void {
    void now;
  }

  wake(now: number): void {
    if (
      this.online &&
      this.boot !== 'accepted' &&
      this.boot !== 'sent' &&
      this.nextBoot !== undefined &&
      now >= this.nextBoot
    )
      this.sendBoot(now);
    if (
      this.online &&
      this.boot === 'accepted' &&
      this.nextHeartbeat !== undefined &&
      now >= this.nextHeartbeat
    ) {
      this.enqueue(this.heartbeatCall());
      this.nextHeartbeat = this.heartbeatSec > 0 ? now + this.heartbeatSec * 1000 : undefined;
    }
    if (this.timers) {
      const due = this.timers.filter((t) => t.at <= now);
      this.timers = this.timers.filter((t) => t.at > now);
      for (const t of due) t.run(now);
      if (this.timers.length === 0) this.timers = undefined;
    }
    for (const c of this.connectors) {
      if (c.reservation && c.reservation.expires <= now) {
        c.reservation = undefined;
        this.refresh(c, now);
      }
      const tx = c.tx;
      if (!tx) continue;
      this.advance(c, now);
      this.refresh(c, now);
      if (c.tx === tx && now >= tx.nextSample) {
        const interval = this.sampleIntervalSec();
        tx.nextSample = interval > 0 ? now + interval * 1000 : Infinity;
        if (interval > 0) this.txSample(c, tx, 'Sample.Periodic', now);
      }
    }
    this.observe(now);
    this.host.changed();
  }

  /** Runs `run` at `at` (file transfer steps, delayed starts). */
  protected at(at: number, run: (now: number) => void): void {
    (this.timers ??= []).push({ at, run });
  }

  // ---- boot and heartbeat ----------------------------------------------------------------------------------------

  protected sendBoot(now: number): void {
    if (this.calls.has('BootNotification')) return;
    this.boot = this.boot === 'accepted' ? 'accepted' : 'sent';
    this.nextBoot = undefined;
    const call = this.bootCall();
    const wasAccepted = this.boot === 'accepted';
    const cycle = this.powerCycle;
    call.onResult = (r, at) => {
      if (cycle === this.powerCycle) this.bootAnswered(r, at, wasAccepted);
    };
    call.onFail = (at) => {
      if (wasAccepted || cycle !== this.powerCycle) return;
      this.boot = 'rejected';
      this.nextBoot = at + 30_000;
    };
    this.enqueue(call);
    void now;
  }

  private bootAnswered(r: JsonObject, now: number, wasAccepted: boolean): void {
    const status = r['status'];
    const interval = typeof r['interval'] === 'number' && r['interval'] > 0 ? r['interval'] : 0;
    if (status === 'Accepted') {
      this.boot = 'accepted';
      if (interval > 0) this.setHeartbeatInterval(interval, now);
      else if (this.heartbeatSec === 0) this.setHeartbeatInterval(this.configuredHeartbeat(), now);
      if (!wasAccepted) {
        for (const c of this.statusTargets()) this.enqueue(this.statusCall(c));
        const installed = this.afterInstall;
        this.afterInstall = undefined;
        if (installed) this.enqueue(installed());
        this.afterBootAccepted(now);
      }
      return;
    }
    if (wasAccepted) return;
    this.boot = status === 'Pending' ? 'pending' : 'rejected';
    // Retry after the interval the CSMS gave (a zero interval is no reason to hammer it: 30 s then).
    this.nextBoot = now + (interval > 0 ? interval : 30) * 1000;
  }

  /** 1.6 also reports connector 0 (undefined); 2.x only its connectors. */
  protected statusTargets(): (Connector | undefined)[] {
    return this.connectors;
  }

  protected afterBootAccepted(now: number): void {
    void now;
  }

  protected abstract configuredHeartbeat(): number;
  protected abstract storeHeartbeat(sec: number): void;

  setHeartbeatInterval(sec: number, now: number): void {
    this.heartbeatSec = sec;
    this.storeHeartbeat(sec);
    this.nextHeartbeat = this.online && sec > 0 ? now + sec * 1000 : undefined;
    this.host.changed();
  }

  // ---- physics and statuses -------------------------------------------------------------------------------------

  ctx(c: Connector): ConnectorContext {
    const ctx: ConnectorContext = { connector: c.id };
    if (c.tx?.id !== undefined) ctx.transactionId = c.tx.id;
    if (c.tx) ctx.txStart = c.tx.started;
    return ctx;
  }

  limitW(c: Connector, t: number): number {
    return Math.min(this.settings.maxPowerW ?? 22_080, this.profiles.limitAt(this.ctx(c), t));
  }

  advance(c: Connector, now: number): void {
    const ctx = this.ctx(c);
    c.meter.charging = c.tx !== undefined && c.tx.authorized && c.plugged && !c.faulted && !c.inoperative;
    c.meter.advance(
      now,
      c.ev,
      (t) => Math.min(this.settings.maxPowerW ?? 22_080, this.profiles.limitAt(ctx, t)),
      (t) => this.profiles.nextChange(ctx, t),
    );
  }

  /** Charging, SuspendedEV (the EV takes nothing) or SuspendedEVSE (the station offers nothing). */
  chargingState(c: Connector, now: number): 'Charging' | 'SuspendedEV' | 'SuspendedEVSE' {
    if (c.faulted || c.inoperative) return 'SuspendedEVSE';
    if (!c.ev || evDemandW(c.ev) <= 0) return 'SuspendedEV';
    return ConnectorMeter.powerFor(c.ev, this.limitW(c, now)) > 0 ? 'Charging' : 'SuspendedEVSE';
  }

  /** Recomputes a connector's status and reports a change. */
  refresh(c: Connector | undefined, now: number): void {
    if (!c) return;
    this.advance(c, now);
    if (c.tx) this.txChanged(c, c.tx, 'ChargingStateChanged', now);
    const status = this.statusOf(c);
    if (status === c.status) return;
    c.status = status;
    if (this.online && this.boot === 'accepted') this.enqueue(this.statusCall(c));
    this.observe(now);
    this.host.changed();
  }

  protected statusSent(c: Connector | undefined, status: string): void {
    if (c) c.sentStatus = status;
  }

  connector(id: number): Connector | undefined {
    return this.connectors[id - 1];
  }

  // ---- authorization -------------------------------------------------------------------------------------------

  protected abstract authFlags(): {
    cache: boolean;
    preAuthorize: boolean;
    offline: boolean;
    unknownOffline: boolean;
  };

  protected authorize(idTag: string, now: number, then: (accepted: boolean, now: number) => void): void {
    const f = this.authFlags();
    const known = this.auth?.known(idTag, f.cache);
    if (known === 'Accepted' && (f.preAuthorize || (!this.online && f.offline))) return then(true, now);
    if (!this.online || this.boot !== 'accepted')
      return then(!this.online && (f.unknownOffline || known === 'Accepted'), now);
    this.enqueue(this.authorizeCall(idTag, then));
    this.host.changed();
  }

  protected authorizeCall(idTag: string, then: (accepted: boolean, now: number) => void): SimCall {
    return {
      action: 'Authorize',
      build: () => this.authorizeRequest(idTag),
      transactional: false,
      attempts: 0,
      onResult: (r, now) => {
        const status = this.idStatusOf(r) ?? 'Invalid';
        this.remember(idTag, status);
        then(status === 'Accepted', now);
      },
      onFail: (now) => then(false, now),
    };
  }

  /** A remote start's card is authorized when the configuration asks for it (else taken as accepted), then `go`. */
  protected authorizeRemote(
    needed: boolean,
    idTag: string,
    now: number,
    go: (ok: boolean, now: number) => void,
  ): void {
    if (needed) this.authorize(idTag, now, go);
    else go(true, now);
  }

  /** A remote start on `c` once its card counts as presented: plug in when the settings say so, else start. */
  protected startRemotely(c: Connector, idTag: string, now: number): void {
    c.authorizedIdTag = idTag;
    if (!c.plugged && this.settings.plugOnRemoteStart) this.plug(c, now);
    else this.maybeStart(c, 'RemoteStart', now);
  }

  protected remember(idTag: string, status: string): void {
    if (this.authFlags().cache) (this.auth ??= new AuthLists()).remember(idTag, status);
  }

  clearCache(): boolean {
    if (!this.authFlags().cache) return false;
    this.auth?.clearCache();
    return true;
  }

  /** SendLocalList: Full replaces, Differential updates; entries without a status are removed. */
  updateLocalList(version: number, full: boolean, entries: { idTag: string; status?: string }[]): void {
    (this.auth ??= new AuthLists()).update(version, full, entries);
  }

  get localListVersion(): number {
    return this.auth?.version ?? 0;
  }

  get localListSize(): number {
    return this.auth?.listSize ?? 0;
  }

  // ---- transactions --------------------------------------------------------------------------------------------

  protected newTransaction(c: Connector, idTag: string | undefined, now: number): Transaction {
    const interval = this.sampleIntervalSec();
    const tx: Transaction = {
      local: ++this.txCounter,
      started: now,
      meterStartWh: c.meter.registerWh,
      seqNo: 0,
      nextSample: interval > 0 ? now + interval * 1000 : Infinity,
      authorized: idTag !== undefined,
    };
    if (idTag !== undefined) tx.idTag = idTag;
    if (c.authorizedIdTokenType !== undefined) tx.idTokenType = c.authorizedIdTokenType;
    c.authorizedIdTokenType = undefined;
    if (c.remoteStartId !== undefined) tx.remoteStartId = c.remoteStartId;
    c.remoteStartId = undefined;
    if (c.reservation && (idTag === undefined || c.reservation.idTag === idTag)) {
      tx.reservationId = c.reservation.id;
      c.reservation = undefined;
    }
    c.tx = tx;
    c.ev ??= newEv((this.settings.seed ?? 1) * 31 + c.id + this.txCounter);
    c.meter.at = now;
    return tx;
  }

  /** Starts a transaction if the connector is ready (cable in and card accepted, or the version's start point). */
  protected maybeStart(c: Connector, trigger: string, now: number): void {
    if (c.tx || c.faulted || c.inoperative) return;
    const idTag = c.authorizedIdTag;
    if (!(c.plugged && idTag !== undefined) && !(c.plugged && this.startsOnPlug())) return;
    c.authorizedIdTag = undefined;
    const tx = this.newTransaction(c, idTag, now);
    this.txStarted(c, tx, trigger, now);
    this.advance(c, now);
    this.refresh(c, now);
  }

  /** Ends the transaction on `c` (the stop message is queued) and applies what waited for its end. */
  endTransaction(c: Connector, reason: StopReason, now: number): void {
    const tx = c.tx;
    if (!tx) return;
    this.advance(c, now);
    c.tx = undefined;
    c.meter.charging = false;
    c.meter.powerW = 0;
    this.txEnded(c, tx, this.reasonName(reason), now);
    if (tx.id !== undefined) this.profiles.endTransaction(tx.id);
    if (c.inoperativeAfterTx) {
      c.inoperative = true;
      c.inoperativeAfterTx = false;
    }
    this.refresh(c, now);
    this.checkReboot(now);
  }

  /** Authorizes `idTag` for `c` and starts when the cable is in (or stops when it is the running transaction's). */
  presentCard(c: Connector, idTag: string, now: number): void {
    if (c.tx) {
      if (!c.tx.authorized) {
        this.authorize(idTag, now, (ok, t) => {
          if (!ok || !c.tx) return;
          c.tx.authorized = true;
          c.tx.idTag = idTag;
          this.txChanged(c, c.tx, 'Authorized', t);
          this.refresh(c, t);
        });
        return;
      }
      this.endTransaction(c, 'Local', now);
      return;
    }
    if (c.faulted || c.inoperative) return;
    if (c.reservation && c.reservation.idTag !== idTag) return;
    this.authorize(idTag, now, (ok, t) => {
      if (!ok) {
        c.authorizedIdTag = undefined;
        this.refresh(c, t);
        return;
      }
      c.authorizedIdTag = idTag;
      this.maybeStart(c, 'Authorized', t);
      this.refresh(c, t);
    });
  }

  plug(c: Connector, now: number): void {
    if (c.plugged) return;
    c.plugged = true;
    c.ev = newEv((this.settings.seed ?? 1) * 31 + c.id + this.txCounter + 1);
    // The cable is reported (1.6 Preparing, 2.x Occupied) before the transaction it may start.
    this.refresh(c, now);
    this.maybeStart(c, 'CablePluggedIn', now);
    this.refresh(c, now);
  }

  unplug(c: Connector, now: number): void {
    if (!c.plugged) return;
    c.plugged = false;
    if (c.tx) this.endTransaction(c, 'EVDisconnected', now);
    c.ev = undefined;
    c.authorizedIdTag = undefined;
    this.refresh(c, now);
  }

  user(action: UserAction, now: number): string | undefined {
    if (action.kind === 'reboot') {
      this.requestReset('local', now);
      return undefined;
    }
    if (action.kind === 'evCertificate' || action.kind === 'certificateStatus') {
      if (this.version === '1.6')
        return `OCPP 1.6 has no ${action.kind === 'evCertificate' ? 'Get15118EVCertificate' : 'GetCertificateStatus'}.`;
      if (action.kind === 'certificateStatus')
        return this.certificates.requestCertificateStatus(action.responderUrl);
      this.certificates.requestEvCertificate(action.action ?? 'Install');
      return undefined;
    }
    const c = this.connector(action.connector);
    if (!c) return `There is no connector ${action.connector}.`;
    switch (action.kind) {
      case 'plug':
        this.plug(c, now);
        break;
      case 'unplug':
        this.unplug(c, now);
        break;
      case 'card':
        this.presentCard(c, action.idTag, now);
        break;
      case 'start':
        if (!c.plugged) this.plug(c, now);
        if (!c.tx || !c.tx.authorized)
          this.presentCard(c, action.idTag ?? this.settings.idTag ?? 'SIMCARD01', now);
        break;
      case 'stop':
        if (!c.tx) return `No transaction runs on connector ${c.id}.`;
        this.endTransaction(c, 'Local', now);
        break;
      case 'fault':
        c.faulted = true;
        if (c.tx) this.endTransaction(c, 'Other', now);
        this.refresh(c, now);
        break;
      case 'clearFault':
        c.faulted = false;
        this.refresh(c, now);
        break;
    }
    this.host.changed();
    return undefined;
  }

  // ---- answers both versions give alike ----------------------------------------------------------------------

  /** A triggered message: queued behind the answer, and allowed while the boot is Pending. */
  protected sendTriggered(call: SimCall): void {
    this.enqueue({ ...call, early: 'pending' });
    this.host.changed();
  }

  /** TriggerMessage's Accepted, then the message `make` builds once the answer is out. */
  protected triggered(make: () => SimCall): Answer {
    return { payload: { status: 'Accepted' }, after: () => this.sendTriggered(make()) };
  }

  /** What a triggered firmware status reports: Idle once an installation was reported. */
  protected firmwareStatusNow(): string {
    return this.firmwareStatus === 'Installed' ? 'Idle' : this.firmwareStatus;
  }

  /** What a triggered log (diagnostics) status reports: Uploading while one runs, else Idle. */
  protected logStatusNow(): string {
    return this.diagnosticsStatus === 'Uploading' ? 'Uploading' : 'Idle';
  }

  /** The connectors a request names by id: 0 for all of them; none for an id that is no connector. */
  protected targetsOf(id: number): Connector[] {
    if (id === 0) return this.connectors;
    const c = this.connector(id);
    return c ? [c] : [];
  }

  /** SendLocalList: a differential update must bring a newer version; Full replaces whatever was there. */
  protected sendLocalList(
    version: number,
    full: boolean,
    entries: { idTag: string; status?: string }[],
  ): Answer {
    if (!full && version <= this.localListVersion) return { payload: { status: 'VersionMismatch' } };
    this.updateLocalList(version, full, entries);
    return { payload: { status: 'Accepted' } };
  }

  protected heartbeatCall(): SimCall {
    return { action: 'Heartbeat', build: () => ({}), transactional: false, attempts: 0 };
  }

  /** The charging power follows new or cleared profiles at once. */
  profilesChanged(now: number): void {
    for (const c of this.connectors)
      if (c.tx) {
        this.advance(c, now);
        this.refresh(c, now);
      }
    this.host.changed();
  }

  protected logRequestId: number | undefined;

  /** Why a transfer failed, where the version has room for it (2.1 statusInfo); none by default. */
  protected statusInfo(info: StatusInfo | undefined): JsonObject {
    void info;
    return {};
  }

  protected logStatusCall(status: string, info?: StatusInfo): SimCall {
    this.diagnosticsStatus = status;
    return this.requestStatusCall('LogStatusNotification', status, this.logRequestId, info);
  }

  /** A status notification of a request (log, firmware): its request id unless Idle, and why it failed. */
  protected requestStatusCall(
    action: string,
    status: string,
    requestId: number | undefined,
    info?: StatusInfo,
  ): SimCall {
    const payload: JsonObject = {
      status,
      ...(requestId !== undefined && status !== 'Idle' ? { requestId } : {}),
      ...this.statusInfo(info),
    };
    return { action, build: () => payload, transactional: false, attempts: 0 };
  }

  /** GetLog (2.x, and the 1.6 security extension): the diagnostics or security log, uploaded with its request id. */
  protected getLog(p: JsonObject, now: number): Answer {
    const log = isJsonObject(p['log']) ? p['log'] : {};
    const location = str(log['remoteLocation']);
    const requestId = num(p['requestId']);
    const name = uploadName(str(p['logType']) || 'DiagnosticsLog', now);
    return {
      payload: { status: 'Accepted', filename: name },
      after: () => {
        this.logRequestId = requestId;
        uploadSteps(
          { location, name, what: 'Log', failed: 'UploadFailure', bytes: diagnosticsBytes(this) },
          (status, info) => {
            this.enqueue(this.logStatusCall(status, info));
            this.host.changed();
          },
          this.host,
        );
      },
    };
  }

  /** 2.x UpdateFirmware and 1.6 SignedUpdateFirmware (see firmware-update.ts), reported with `statusCall`. */
  protected signedFirmwareUpdate(
    p: JsonObject,
    now: number,
    statusCall: (status: string, info?: StatusInfo) => SimCall,
    signatureRequired: boolean,
  ): Answer {
    return firmwareUpdate(
      p,
      now,
      {
        host: this.host,
        status: (status, info) => {
          this.enqueue(statusCall(status, info));
          this.host.changed();
        },
        at: (t, run) => this.at(t, run),
        untrusted: (pem, t) => this.certificates.store.untrustedSigner(pem, t),
        securityEvent: (type, info, t) => this.certificates.securityEvent(type, info, t),
        setRequest: (id) => {
          this.firmwareRequestId = id;
        },
        install: (t) => this.installFirmware(() => statusCall('Installed'), t),
        begin: () => (this.firmwareRuns ??= new FirmwareRuns()).begin(),
        current: (run) => this.firmwareRuns?.current(run) === true,
        busy: () => this.firmwareRuns?.busy() === true,
        end: (run) => this.firmwareRuns?.end(run),
      },
      { signatureRequired },
    );
  }

  /** The firmware update in progress, made with the first one. */
  private firmwareRuns: FirmwareRuns | undefined;

  /** Reboots once idle to install; `installed` is the status the next accepted boot sends. */
  protected installFirmware(installed: () => SimCall, now: number): void {
    this.afterInstall = installed;
    this.scheduleReboot(true);
    this.checkReboot(now);
    this.host.changed();
  }

  // ---- reset -------------------------------------------------------------------------------------------------

  /** Ends every transaction (or waits for them to end) and reboots once their messages are out. */
  protected abstract requestReset(kind: 'hard' | 'soft' | 'immediate' | 'idle' | 'local', now: number): void;

  /** Where the station connects after a reboot; undefined: where it was (2.x network profiles change it). */
  protected urlAfterReboot(): string | undefined {
    return undefined;
  }

  protected scheduleReboot(whenIdle: boolean): void {
    this.rebootPending = { delaySec: this.settings.rebootDelaySec ?? 1, whenIdle };
  }

  protected checkReboot(now: number): void {
    const r = this.rebootPending;
    if (!r) return;
    if (r.whenIdle && this.connectors.some((c) => c.tx)) return;
    // What is queued goes out first when it can (stop messages, firmware statuses); offline, transaction messages
    // stay queued for after the reboot.
    if (this.online && this.boot === 'accepted' && this.calls.size > 0) return;
    this.rebootPending = undefined;
    this.poweredUp();
    this.host.note(`Rebooting (${r.delaySec} s).`);
    this.host.reboot(r.delaySec, this.urlAfterReboot());
    void now;
  }

  get transactions(): number {
    return this.connectors.filter((c) => c.tx).length;
  }
}

/** A value for a distinguished name: its special characters escaped (RFC 4514), never empty. */
function dnValue(v: string): string {
  const escaped = v.replace(/([,+"\\<>;=])/g, '\\$1').trim();
  return escaped === '' ? 'OCPP Scope' : escaped;
}

import { ChargerAuthorization } from './charger-authorization';
import type { Connector, StopReason, Transaction } from './charger-types';
import type { ConnectorContext } from './charging-profiles';
import { ConnectorMeter, evDemandW, newEv } from './ev-meter';
import { nextPeriod } from './wake-scheduler';

/**
 * Charging sessions at the connectors (see charger-core.ts for the whole stack): the physics (meter, EV, charging
 * profile limit) and the status each connector reports, transactions from start to stop with their meter samples,
 * and what happens at the connector (cable in and out, a card presented, a remote start).
 */
export abstract class ChargerSessions extends ChargerAuthorization {
  private txCounter = 0;

  protected abstract txStarted(c: Connector, tx: Transaction, trigger: string, now: number): void;
  protected abstract txSample(c: Connector, tx: Transaction, context: string, now: number): void;
  protected abstract txEnded(c: Connector, tx: Transaction, reason: string, now: number): void;
  /** Called when the physical state changes during a transaction (2.x reports it as a TransactionEvent). */
  protected abstract txChanged(c: Connector, tx: Transaction, trigger: string, now: number): void;
  /** The names a stop reason has in this version. */
  protected abstract reasonName(reason: StopReason): string;
  /** The transaction-start rule (2.x TxStartPoint): does a transaction start at plug-in, before authorization? */
  protected abstract startsOnPlug(): boolean;
  protected abstract sampleIntervalSec(): number;

  protected wakeConnectors(now: number): void {
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
        tx.nextSample = interval > 0 ? nextPeriod(tx.nextSample, interval * 1000, now) : Infinity;
        if (interval > 0) this.txSample(c, tx, 'Sample.Periodic', now);
      }
    }
  }

  /**
   * The sample interval was changed: a running transaction's next sample is one new interval from now (none at 0),
   * not at the time the old interval gave (0 to 10 s would else sample never, 3600 to 10 s not for an hour).
   */
  protected sampleIntervalChanged(now: number): void {
    const interval = this.sampleIntervalSec();
    for (const c of this.connectors)
      if (c.tx) c.tx.nextSample = interval > 0 ? now + interval * 1000 : Infinity;
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
    c.ev ??= newEv(this.seed * 31 + c.id + this.txCounter);
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
    c.ev = newEv(this.seed * 31 + c.id + this.txCounter + 1);
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

  /** A remote start on `c` once its card counts as presented: plug in when the settings say so, else start. */
  protected startRemotely(c: Connector, idTag: string, now: number): void {
    c.authorizedIdTag = idTag;
    if (!c.plugged && this.settings.plugOnRemoteStart) this.plug(c, now);
    else this.maybeStart(c, 'RemoteStart', now);
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

  get transactions(): number {
    return this.connectors.filter((c) => c.tx).length;
  }
}

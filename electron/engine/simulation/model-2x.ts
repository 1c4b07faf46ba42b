import { randomUUID } from 'node:crypto';
import type { SimulatorSettings } from '../../../shared/api';
import type { JsonObject } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import { num, str } from './payload-read';
import type { Answer, Connector, ModelHost, SimCall, StopReason, Transaction } from './charger-types';
import { ChargerCore } from './charger-core';
import {
  cancelReservation,
  changeAvailabilityOf,
  clearProfiles,
  compositeSchedule,
  reserveOn,
  setProfileOn,
} from './shared-answers';
import { purposeOf, readProfile } from './charging-profiles';
import { DeviceModel } from './device-model';
import type { VariableDef } from './device-model';
import { sampledValues2x } from './meter-samples';
import { NetworkProfiles } from './network-profiles';
import type { StatusInfo } from './file-steps';
import { dataTransferAnswer } from './model-16';
import { DisplayMessages } from './display-messages';
import { MonitoringMessages } from './monitoring-messages';
import { reportParts } from './report-parts';

/**
 * The OCPP 2.0.1 / 2.1 charging station: EVSEs with one connector each, the device model, TransactionEvent with
 * the station's own transaction ids, seqNo and trigger reasons, and its answers to every CSMS call it supports.
 */
export class Model2x extends ChargerCore {
  readonly version: '2.0.1' | '2.1';
  readonly device: DeviceModel;
  private bootReason = 'PowerUp';

  constructor(
    version: '2.0.1' | '2.1',
    settings: Partial<SimulatorSettings> | undefined,
    host: ModelHost,
    now: number,
  ) {
    super(settings, host, now);
    this.version = version;
    this.device = new DeviceModel(this.settings.connectors, (d) => this.liveValue(d));
    for (const [k, v] of Object.entries(this.settings.config ?? {})) {
      const [component, variable] = k.split('.');
      if (component && variable) this.device.setInternal(component, variable, v);
    }
  }

  private monitors: MonitoringMessages | undefined;
  private displays: DisplayMessages | undefined;

  /** Variable monitoring, made when first needed. */
  get monitoring(): MonitoringMessages {
    return (this.monitors ??= new MonitoringMessages({
      v21: this.version === '2.1',
      device: this.device,
      online: () => this.online,
      enqueue: (c) => this.enqueue(c),
      changed: () => this.host.changed(),
      transactionOn: (evse) =>
        (evse === undefined ? this.connectors.find((c) => c.tx) : this.connector(evse))?.tx?.id,
    }));
  }

  /** Display messages, made when first needed. */
  get displayMessages(): DisplayMessages {
    return (this.displays ??= new DisplayMessages({
      v21: this.version === '2.1',
      device: this.device,
      enqueue: (c) => this.enqueue(c),
      changed: () => this.host.changed(),
      transactionRuns: (id) => this.connectors.some((c) => c.tx?.id === id),
    }));
  }

  override displayText(now: number): string | undefined {
    const d = this.displays;
    if (!d || d.count === 0) return undefined;
    const state = this.connectors.some((c) => c.faulted)
      ? 'Faulted'
      : this.connectors.some((c) => c.tx?.authorized)
        ? 'Charging'
        : this.connectors.every((c) => c.inoperative)
          ? 'Unavailable'
          : 'Idle';
    return d.showing(state, now);
  }

  protected override observe(now: number): void {
    // Idle, with no monitor of the CSMS's: nothing can fire (the built-ins watch faults and charging), so an idle
    // fleet pays nothing per wake-up.
    if (!this.monitors && !this.connectors.some((c) => c.faulted || c.tx)) return;
    this.observedAt = now;
    this.monitoring.check(now);
  }

  private observedAt = 0;

  protected override ownWake(): number | undefined {
    const m = this.monitors;
    if (!m) return undefined;
    const due = m.store.nextDue();
    // A measured value (power) changes between events: while one is watched and charging runs, look each second.
    if (!m.store.polls() || !this.connectors.some((c) => c.tx)) return due;
    const poll = this.observedAt + 1000;
    return due === undefined ? poll : Math.min(due, poll);
  }

  private liveValue(d: VariableDef): string | undefined {
    const s = this.settings;
    if (d.component === 'ChargingStation') {
      if (d.variable === 'Model') return s.model;
      if (d.variable === 'VendorName') return s.vendor;
      if (d.variable === 'SerialNumber') return s.serialNumber ?? '';
      if (d.variable === 'AvailabilityState')
        return this.connectors.every((c) => c.inoperative) ? 'Unavailable' : 'Available';
      if (d.variable === 'Available') return String(this.connectors.some((c) => !c.inoperative));
    }
    if (d.component === 'ClockCtrlr' && d.variable === 'DateTime') return new Date().toISOString();
    if (d.component === 'LocalAuthListCtrlr' && d.variable === 'Entries') return String(this.localListSize);
    if (d.component === 'SmartChargingCtrlr' && d.variable === 'Entries')
      return String(this.profiles.profiles.length);
    if (d.component === 'MonitoringCtrlr' && d.variable === 'ActiveMonitoringBase')
      return this.monitors?.store.base;
    if (d.component === 'MonitoringCtrlr' && d.variable === 'ActiveMonitoringLevel')
      return this.monitors ? String(this.monitors.store.level) : undefined;
    if (d.component === 'DisplayMessageCtrlr' && d.variable === 'DisplayMessages')
      return String(this.displays?.count ?? 0);
    if ((d.component === 'EVSE' || d.component === 'Connector') && d.evse !== undefined) {
      const c = this.connector(d.evse);
      if (!c) return undefined;
      if (d.variable === 'AvailabilityState') return c.status;
      if (d.variable === 'Available') return String(!c.inoperative && !c.faulted);
      if (d.variable === 'Power') return c.meter.powerW.toFixed(0);
      if (d.variable === 'Problem') return String(c.faulted);
    }
    return undefined;
  }

  private network: NetworkProfiles | undefined;

  protected override urlAfterReboot(): string | undefined {
    return this.network?.urlFor(
      this.device.list('OCPPCommCtrlr', 'NetworkConfigurationPriority'),
      this.host.identity,
    );
  }

  protected organization(): string {
    return this.device.get('SecurityCtrlr', 'OrganizationName') || this.settings.vendor;
  }

  statusOf(c: Connector): string {
    if (c.faulted) return 'Faulted';
    if (c.inoperative) return 'Unavailable';
    if (c.plugged || c.tx) return 'Occupied';
    if (c.reservation) return 'Reserved';
    return 'Available';
  }

  private txState(c: Connector, now: number): string {
    if (!c.plugged) return 'Idle';
    if (!c.tx?.authorized) return 'EVConnected';
    return this.chargingState(c, now);
  }

  protected startsOnPlug(): boolean {
    return this.device
      .list('TxCtrlr', 'TxStartPoint')
      .some((p) => p === 'EVConnected' || p === 'ParkingBayOccupancy');
  }

  protected sampleIntervalSec(): number {
    return this.device.int('SampledDataCtrlr', 'TxUpdatedInterval', 60);
  }

  protected configuredHeartbeat(): number {
    return this.device.int('OCPPCommCtrlr', 'HeartbeatInterval', 300);
  }

  protected storeHeartbeat(sec: number): void {
    this.device.setInternal('OCPPCommCtrlr', 'HeartbeatInterval', String(sec));
  }

  protected messageAttempts(): number {
    return this.device.int('OCPPCommCtrlr', 'MessageAttempts', 3, 'TransactionEvent');
  }

  protected retryIntervalSec(): number {
    return this.device.int('OCPPCommCtrlr', 'MessageAttemptInterval', 10, 'TransactionEvent');
  }

  protected authFlags(): {
    cache: boolean;
    preAuthorize: boolean;
    offline: boolean;
    unknownOffline: boolean;
  } {
    return {
      cache: this.device.get('AuthCacheCtrlr', 'Enabled') === 'true',
      preAuthorize: this.device.get('AuthCtrlr', 'LocalPreAuthorize') === 'true',
      offline: this.device.get('AuthCtrlr', 'LocalAuthorizeOffline') === 'true',
      unknownOffline: false,
    };
  }

  protected reasonName(reason: StopReason): string {
    if (reason === 'HardReset' || reason === 'SoftReset') return 'ImmediateReset';
    if (reason === 'UnlockCommand') return 'Other';
    return reason;
  }

  // ---- outgoing --------------------------------------------------------------------------------------------------

  protected bootCall(): SimCall {
    const s = this.settings;
    const station: JsonObject = { model: s.model.slice(0, 20), vendorName: s.vendor.slice(0, 50) };
    if (s.serialNumber) station['serialNumber'] = s.serialNumber.slice(0, 25);
    if (s.firmwareVersion) station['firmwareVersion'] = s.firmwareVersion.slice(0, 50);
    const reason = this.bootReason;
    return {
      action: 'BootNotification',
      build: () => ({ reason, chargingStation: station }),
      transactional: false,
      early: 'boot',
      attempts: 0,
    };
  }

  protected statusCall(c: Connector | undefined): SimCall {
    const target = c ?? this.connectors[0]!;
    const status = target.status;
    const payload: JsonObject = {
      timestamp: new Date(target.meter.at).toISOString(),
      connectorStatus: status,
      evseId: target.id,
      connectorId: 1,
    };
    return {
      action: 'StatusNotification',
      build: () => {
        this.statusSent(target, status);
        return payload;
      },
      transactional: false,
      attempts: 0,
    };
  }

  protected authorizeRequest(idTag: string): JsonObject {
    return { idToken: { idToken: idTag, type: 'ISO14443' } };
  }

  protected idStatusOf(r: JsonObject): string | undefined {
    const info = r['idTokenInfo'];
    return isJsonObject(info) && typeof info['status'] === 'string' ? info['status'] : undefined;
  }

  private meterValue(c: Connector, context: string, measurands: string[], now: number): JsonObject[] {
    const sampled = sampledValues2x(c.meter.reading(c.ev), c.ev !== undefined, measurands, context);
    return sampled.length > 0 ? [{ timestamp: new Date(now).toISOString(), sampledValue: sampled }] : [];
  }

  private txEvent(
    c: Connector,
    tx: Transaction,
    eventType: 'Started' | 'Updated' | 'Ended',
    trigger: string,
    now: number,
    extra: { meterValue?: JsonObject[]; stoppedReason?: string; idToken?: boolean } = {},
  ): void {
    const chargingState = this.txState(c, now);
    tx.chargingState = chargingState;
    const info: JsonObject = { transactionId: tx.id ?? '', chargingState };
    if (extra.stoppedReason) info['stoppedReason'] = extra.stoppedReason;
    if (tx.remoteStartId !== undefined && (eventType === 'Started' || trigger === 'RemoteStart'))
      info['remoteStartId'] = tx.remoteStartId;
    const payload: JsonObject = {
      eventType,
      timestamp: new Date(now).toISOString(),
      triggerReason: trigger,
      seqNo: tx.seqNo++,
      transactionInfo: info,
    };
    if (!this.online) payload['offline'] = true;
    if (eventType === 'Started') {
      payload['evse'] = { id: c.id, connectorId: 1 };
      if (tx.reservationId !== undefined) payload['reservationId'] = tx.reservationId;
    }
    if (extra.idToken && tx.idTag)
      payload['idToken'] = { idToken: tx.idTag, type: tx.idTokenType ?? 'ISO14443' };
    if (extra.meterValue && extra.meterValue.length > 0) payload['meterValue'] = extra.meterValue;
    this.enqueue({
      action: 'TransactionEvent',
      build: () => payload,
      transactional: true,
      attempts: 0,
      onResult: (r, at) => {
        const status = this.idStatusOf(r);
        if (!extra.idToken || status === undefined || !tx.idTag) return;
        this.remember(tx.idTag, status);
        if (
          status !== 'Accepted' &&
          c.tx === tx &&
          this.device.get('TxCtrlr', 'StopTxOnInvalidId') === 'true'
        )
          this.endTransaction(c, 'DeAuthorized', at);
      },
    });
  }

  protected txStarted(c: Connector, tx: Transaction, trigger: string, now: number): void {
    tx.id = randomUUID();
    const why = tx.remoteStartId !== undefined ? 'RemoteStart' : trigger;
    this.txEvent(c, tx, 'Started', why, now, {
      meterValue: this.meterValue(
        c,
        'Transaction.Begin',
        this.device.list('SampledDataCtrlr', 'TxStartedMeasurands'),
        now,
      ),
      idToken: tx.authorized,
    });
  }

  protected txSample(c: Connector, tx: Transaction, context: string, now: number): void {
    const meterValue = this.meterValue(
      c,
      context,
      this.device.list('SampledDataCtrlr', 'TxUpdatedMeasurands'),
      now,
    );
    if (meterValue.length > 0)
      this.txEvent(c, tx, 'Updated', context === 'Trigger' ? 'Trigger' : 'MeterValuePeriodic', now, {
        meterValue,
      });
  }

  protected txChanged(c: Connector, tx: Transaction, trigger: string, now: number): void {
    if (trigger === 'Authorized' || trigger === 'RemoteStart') {
      this.txEvent(c, tx, 'Updated', trigger, now, { idToken: true });
      return;
    }
    if (this.txState(c, now) !== tx.chargingState)
      this.txEvent(c, tx, 'Updated', 'ChargingStateChanged', now);
  }

  protected txEnded(c: Connector, tx: Transaction, reason: string, now: number): void {
    if (tx.id !== undefined) this.displays?.transactionEnded(tx.id);
    const trigger: Record<string, string> = {
      Local: 'StopAuthorized',
      Remote: 'RemoteStop',
      EVDisconnected: 'EVCommunicationLost',
      ImmediateReset: 'ResetCommand',
      DeAuthorized: 'Deauthorized',
    };
    this.txEvent(c, tx, 'Ended', trigger[reason] ?? 'AbnormalCondition', now, {
      stoppedReason: reason,
      meterValue: this.meterValue(
        c,
        'Transaction.End',
        this.device.list('SampledDataCtrlr', 'TxEndedMeasurands'),
        now,
      ),
    });
  }

  protected requestReset(kind: 'hard' | 'soft' | 'immediate' | 'idle' | 'local', now: number): void {
    this.bootReason = kind === 'local' ? 'LocalReset' : 'RemoteReset';
    if (kind === 'idle') {
      this.scheduleReboot(true);
      if (this.connectors.some((c) => c.tx)) this.bootReason = 'ScheduledReset';
    } else {
      this.scheduleReboot(false);
      for (const c of this.connectors) if (c.tx) this.endTransaction(c, 'ImmediateReset', now);
    }
    this.checkReboot(now);
  }

  protected override afterBootAccepted(now: number): void {
    this.bootReason = 'PowerUp';
    void now;
  }

  protected override installFirmware(installed: () => SimCall, now: number): void {
    this.bootReason = 'FirmwareUpdate';
    super.installFirmware(installed, now);
  }

  /** 2.1 says why a transfer failed (statusInfo); 2.0.1 has no place for it (the log note says it). */
  protected override statusInfo(info: StatusInfo | undefined): JsonObject {
    return info && this.version === '2.1' ? { statusInfo: { ...info } } : {};
  }

  private firmwareStatusCall(status: string, info?: StatusInfo): SimCall {
    this.firmwareStatus = status;
    return this.requestStatusCall('FirmwareStatusNotification', status, this.firmwareRequestId, info);
  }

  // ---- incoming ------------------------------------------------------------------------------------------------

  answer(action: string, p: JsonObject, now: number): Answer {
    switch (action) {
      case 'GetVariables': {
        const items = Array.isArray(p['getVariableData']) ? p['getVariableData'].filter(isJsonObject) : [];
        return { payload: { getVariableResult: items.map((i) => this.device.getItem(i)) } };
      }
      case 'SetVariables': {
        const items = Array.isArray(p['setVariableData']) ? p['setVariableData'].filter(isJsonObject) : [];
        const effects: ((t: number) => void)[] = [];
        const results = items.map((i) =>
          this.device.setItem(i, (d, value) => {
            if (d.component === 'OCPPCommCtrlr' && d.variable === 'HeartbeatInterval')
              effects.push((t) => this.setHeartbeatInterval(Number(value), t));
          }),
        );
        return {
          payload: { setVariableResult: results },
          after: (t) => {
            effects.forEach((e) => e(t));
            this.monitors?.check(t);
          },
        };
      }
      case 'GetBaseReport': {
        const base = p['reportBase'];
        if (base !== 'ConfigurationInventory' && base !== 'FullInventory' && base !== 'SummaryInventory')
          return { payload: { status: 'NotSupported' } };
        const requestId = num(p['requestId']);
        return {
          payload: { status: 'Accepted' },
          after: (t) => this.notifyReport(requestId, this.device.report(base), t),
        };
      }
      case 'GetReport': {
        const data = this.device.select(p['componentVariable']);
        if (data.length === 0) return { payload: { status: 'EmptyResultSet' } };
        const requestId = num(p['requestId']);
        return { payload: { status: 'Accepted' }, after: (t) => this.notifyReport(requestId, data, t) };
      }
      case 'ClearCache':
        return { payload: { status: this.clearCache() ? 'Accepted' : 'Rejected' } };
      case 'DataTransfer':
        return { payload: dataTransferAnswer(this.settings) };
      case 'RequestStartTransaction':
        return this.requestStart(p, now);
      case 'RequestStopTransaction': {
        const c = this.connectors.find((x) => x.tx?.id === p['transactionId']);
        if (!c) return { payload: { status: 'Rejected' } };
        return { payload: { status: 'Accepted' }, after: (t) => this.endTransaction(c, 'Remote', t) };
      }
      case 'GetTransactionStatus': {
        const id = p['transactionId'];
        const payload: JsonObject = { messagesInQueue: this.queuedTransactionMessages > 0 };
        if (typeof id === 'string')
          payload['ongoingIndicator'] = this.connectors.some((c) => c.tx?.id === id);
        return { payload };
      }
      case 'Reset': {
        const evseId = p['evseId'];
        if (typeof evseId === 'number') {
          const c = this.connector(evseId);
          if (!c) return { payload: { status: 'Rejected' } };
          return {
            payload: { status: 'Accepted' },
            after: (t) => this.endTransaction(c, 'ImmediateReset', t),
          };
        }
        const idle = p['type'] === 'OnIdle';
        const busy = this.connectors.some((c) => c.tx);
        return {
          payload: { status: idle && busy ? 'Scheduled' : 'Accepted' },
          after: (t) => this.requestReset(idle ? 'idle' : 'immediate', t),
        };
      }
      case 'ChangeAvailability':
        return this.changeAvailability(p);
      case 'UnlockConnector': {
        const c = this.connector(num(p['evseId']));
        if (!c || p['connectorId'] !== 1) return { payload: { status: 'UnknownConnector' } };
        if (c.tx?.authorized) return { payload: { status: 'OngoingAuthorizedTransaction' } };
        return { payload: { status: 'Unlocked' }, after: (t) => this.unplug(c, t) };
      }
      case 'TriggerMessage':
        return this.trigger(p);
      case 'ReserveNow':
        return this.reserve(p, now);
      case 'CancelReservation':
        return cancelReservation(this, p['reservationId']);
      case 'SetChargingProfile':
        return this.setProfile(p, now);
      case 'ClearChargingProfile': {
        const crit = isJsonObject(p['chargingProfileCriteria']) ? p['chargingProfileCriteria'] : {};
        const purpose = purposeOf(crit['chargingProfilePurpose']);
        return clearProfiles(this, {
          ...(typeof p['chargingProfileId'] === 'number' ? { id: p['chargingProfileId'] } : {}),
          ...(typeof crit['evseId'] === 'number' ? { connector: crit['evseId'] } : {}),
          ...(purpose ? { purpose } : {}),
          ...(typeof crit['stackLevel'] === 'number' ? { stackLevel: crit['stackLevel'] } : {}),
        });
      }
      case 'GetCompositeSchedule':
        return this.composite(p, now);
      case 'GetLocalListVersion':
        return { payload: { versionNumber: this.localListVersion } };
      case 'SendLocalList': {
        const list = Array.isArray(p['localAuthorizationList']) ? p['localAuthorizationList'] : [];
        const entries = list.filter(isJsonObject).map((e) => {
          const token = isJsonObject(e['idToken']) ? str(e['idToken']['idToken']) : '';
          const info = isJsonObject(e['idTokenInfo']) ? e['idTokenInfo'] : undefined;
          return { idTag: token, ...(info ? { status: str(info['status']) } : {}) };
        });
        return this.sendLocalList(num(p['versionNumber']), p['updateType'] === 'Full', entries);
      }
      case 'GetLog':
        return this.getLog(p, now);
      case 'UpdateFirmware':
        return this.signedFirmwareUpdate(p, now, (s, info) => this.firmwareStatusCall(s, info), false);
      case 'SetNetworkProfile': {
        const inUse = Number(this.device.list('OCPPCommCtrlr', 'NetworkConfigurationPriority')[0] ?? 0);
        const status = (this.network ??= new NetworkProfiles()).set(
          p,
          inUse,
          this.device.int('SecurityCtrlr', 'SecurityProfile', 0),
        );
        return { payload: { status } };
      }
      case 'InstallCertificate':
      case 'GetInstalledCertificateIds':
      case 'DeleteCertificate':
      case 'CertificateSigned':
        return this.certificates.answer(action, p, now);
      case 'SetVariableMonitoring':
      case 'ClearVariableMonitoring':
      case 'SetMonitoringBase':
      case 'SetMonitoringLevel':
      case 'GetMonitoringReport':
        return this.monitoring.answer(action, p, now);
      case 'SetDisplayMessage':
      case 'GetDisplayMessages':
      case 'ClearDisplayMessage':
        return this.displayMessages.answer(action, p, now);
      default:
        return undefined;
    }
  }

  private notifyReport(requestId: number, data: JsonObject[], now: number): void {
    const per = this.device.int('DeviceDataCtrlr', 'ItemsPerMessage', 50, 'GetReport');
    const generatedAt = new Date(now).toISOString();
    const parts = reportParts('NotifyReport', data, per, (reportData, seqNo, tbc) => ({
      requestId,
      generatedAt,
      seqNo,
      tbc,
      ...(reportData.length > 0 ? { reportData } : {}),
    }));
    for (const call of parts) this.enqueue(call);
    this.host.changed();
  }

  private requestStart(p: JsonObject, now: number): Answer {
    const token = isJsonObject(p['idToken']) ? p['idToken'] : {};
    const idTag = str(token['idToken']);
    const type = str(token['type']) || 'ISO14443';
    const remoteStartId = num(p['remoteStartId']);
    const requested = typeof p['evseId'] === 'number' ? this.connector(p['evseId']) : undefined;
    if (typeof p['evseId'] === 'number' && !requested) return { payload: { status: 'Rejected' } };
    const c =
      requested ??
      this.connectors.find((x) => x.plugged && x.tx && !x.tx.authorized) ??
      this.connectors.find((x) => !x.tx && !x.faulted && !x.inoperative && !x.reservation);
    if (
      !c ||
      c.faulted ||
      c.inoperative ||
      c.tx?.authorized ||
      (c.reservation && c.reservation.idTag !== idTag)
    )
      return { payload: { status: 'Rejected' } };
    let profile: ReturnType<typeof readProfile>;
    if (isJsonObject(p['chargingProfile'])) {
      profile = readProfile(p['chargingProfile'], c.id, now);
      if (!profile || profile.purpose !== 'Tx') return { payload: { status: 'Rejected' } };
    }
    const payload: JsonObject = { status: 'Accepted' };
    // A transaction that started at plug-in (TxStartPoint EVConnected) already has its id: the answer carries it.
    if (c.tx?.id) payload['transactionId'] = c.tx.id;
    return {
      payload,
      after: (t) => {
        const go = (ok: boolean, at: number): void => {
          if (!ok) return;
          if (c.tx && !c.tx.authorized) {
            c.tx.authorized = true;
            c.tx.idTag = idTag;
            c.tx.idTokenType = type;
            c.tx.remoteStartId = remoteStartId;
            if (profile) this.profiles.install({ ...profile, transactionId: c.tx.id! });
            this.txChanged(c, c.tx, 'RemoteStart', at);
            this.refresh(c, at);
            return;
          }
          c.authorizedIdTokenType = type;
          c.remoteStartId = remoteStartId;
          this.startRemotely(c, idTag, at);
          if (profile && c.tx?.id) this.profiles.install({ ...profile, transactionId: c.tx.id });
          this.refresh(c, at);
        };
        this.authorizeRemote(this.device.get('AuthCtrlr', 'AuthorizeRemoteStart') === 'true', idTag, t, go);
      },
    };
  }

  private changeAvailability(p: JsonObject): Answer {
    const evse = isJsonObject(p['evse']) ? p['evse'] : undefined;
    const id = evse ? num(evse['id']) : 0;
    const targets = this.targetsOf(id);
    return changeAvailabilityOf(this, targets, p['operationalStatus'] === 'Inoperative');
  }

  private trigger(p: JsonObject): Answer {
    const what = str(p['requestedMessage']);
    const evse = isJsonObject(p['evse']) ? p['evse'] : undefined;
    const c = evse ? this.connector(num(evse['id'])) : undefined;
    if (evse && !c) return { payload: { status: 'Rejected' } };
    const targets = c ? [c] : this.connectors;
    switch (what) {
      case 'BootNotification':
        if (this.boot === 'accepted') return { payload: { status: 'Rejected' } };
        return {
          payload: { status: 'Accepted' },
          after: (t) => {
            this.bootReason = 'Triggered';
            this.sendBoot(t);
          },
        };
      case 'Heartbeat':
        return this.triggered(() => this.heartbeatCall());
      case 'StatusNotification':
        return {
          payload: { status: 'Accepted' },
          after: () => targets.forEach((x) => this.sendTriggered(this.statusCall(x))),
        };
      case 'MeterValues':
        return {
          payload: { status: 'Accepted' },
          after: (t) => {
            for (const x of targets) {
              this.advance(x, t);
              const meterValue = this.meterValue(
                x,
                'Trigger',
                this.device.list('AlignedDataCtrlr', 'Measurands'),
                t,
              );
              if (meterValue.length > 0)
                this.sendTriggered({
                  action: 'MeterValues',
                  build: () => ({ evseId: x.id, meterValue }),
                  transactional: false,
                  attempts: 0,
                });
            }
          },
        };
      case 'TransactionEvent': {
        const running = targets.filter((x) => x.tx);
        if (running.length === 0) return { payload: { status: 'Rejected' } };
        return {
          payload: { status: 'Accepted' },
          after: (t) => {
            for (const x of running) {
              this.advance(x, t);
              const meterValue = this.meterValue(
                x,
                'Trigger',
                this.device.list('SampledDataCtrlr', 'TxUpdatedMeasurands'),
                t,
              );
              this.txEvent(x, x.tx!, 'Updated', 'Trigger', t, { meterValue });
            }
            this.host.changed();
          },
        };
      }
      case 'LogStatusNotification':
        return this.triggered(() => this.logStatusCall(this.logStatusNow()));
      case 'SignChargingStationCertificate':
      case 'SignV2GCertificate':
        return {
          payload: { status: 'Accepted' },
          after: () =>
            this.certificates.requestSignature(
              what === 'SignV2GCertificate' ? 'V2GCertificate' : 'ChargingStationCertificate',
              true,
            ),
        };
      case 'FirmwareStatusNotification':
        return this.triggered(() => this.firmwareStatusCall(this.firmwareStatusNow()));
      default:
        return { payload: { status: 'NotImplemented' } };
    }
  }

  private reserve(p: JsonObject, now: number): Answer {
    const c = typeof p['evseId'] === 'number' ? this.connector(p['evseId']) : undefined;
    const token = isJsonObject(p['idToken']) ? str(p['idToken']['idToken']) : '';
    return reserveOn(this, c, num(p['id']), token, str(p['expiryDateTime']), now);
  }

  private setProfile(p: JsonObject, now: number): Answer {
    const raw = p['chargingProfile'];
    return setProfileOn(this, num(p['evseId']), isJsonObject(raw) ? raw : undefined, now, {
      maxStackLevel: this.device.int('SmartChargingCtrlr', 'ProfileStackLevel', 10),
      stationOnly: ['Max', 'External'],
    });
  }

  private composite(p: JsonObject, now: number): Answer {
    const id = num(p['evseId']);
    const s = compositeSchedule(this, id, p, now, 2);
    if (!s) return { payload: { status: 'Rejected' } };
    return {
      payload: {
        status: 'Accepted',
        schedule: {
          evseId: id,
          duration: s.duration,
          scheduleStart: new Date(now).toISOString(),
          ...s.schedule,
        },
      },
    };
  }
}

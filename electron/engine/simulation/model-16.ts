import type { SimulatorSettings } from '../../../shared/api';
import type { JsonObject } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import { num, str, uploadName } from './payload-read';
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
import { Config16 } from './config-16';
import { diagnosticsBytes, firmwareSteps, uploadSteps } from './file-steps';
import { sampledValues16 } from './meter-samples';

/** The OCPP 1.6J charge point: its messages, its configuration keys and its answers to every CSMS call it supports. */
export class Model16 extends ChargerCore {
  readonly version = '1.6' as const;
  readonly config: Config16;

  constructor(settings: Partial<SimulatorSettings> | undefined, host: ModelHost, now: number) {
    super(settings, host, now);
    this.config = new Config16(this.settings.connectors, this.settings.config);
  }

  statusOf(c: Connector): string {
    if (c.faulted) return 'Faulted';
    if (c.inoperative) return 'Unavailable';
    if (c.tx) {
      if (!c.tx.authorized) return 'Preparing';
      return this.chargingState(c, c.meter.at);
    }
    if (c.plugged)
      return c.status === 'Charging' || c.status.startsWith('Suspended') || c.status === 'Finishing'
        ? 'Finishing'
        : 'Preparing';
    if (c.reservation) return 'Reserved';
    if (c.authorizedIdTag !== undefined) return 'Preparing';
    return 'Available';
  }

  protected organization(): string {
    return this.config.get('CpoName') || this.settings.vendor;
  }

  protected startsOnPlug(): boolean {
    return false;
  }

  protected sampleIntervalSec(): number {
    return this.config.int('MeterValueSampleInterval', 60);
  }

  protected configuredHeartbeat(): number {
    return this.config.int('HeartbeatInterval', 300);
  }

  protected storeHeartbeat(sec: number): void {
    this.config.change('HeartbeatInterval', String(sec));
  }

  protected messageAttempts(): number {
    return this.config.int('TransactionMessageAttempts', 3);
  }

  protected retryIntervalSec(): number {
    return this.config.int('TransactionMessageRetryInterval', 10);
  }

  protected authFlags(): {
    cache: boolean;
    preAuthorize: boolean;
    offline: boolean;
    unknownOffline: boolean;
  } {
    return {
      cache: this.config.bool('AuthorizationCacheEnabled'),
      preAuthorize: this.config.bool('LocalPreAuthorize'),
      offline: this.config.bool('LocalAuthorizeOffline'),
      unknownOffline: this.config.bool('AllowOfflineTxForUnknownId'),
    };
  }

  protected reasonName(reason: StopReason): string {
    return reason === 'ImmediateReset' ? 'HardReset' : reason;
  }

  // ---- outgoing --------------------------------------------------------------------------------------------------

  protected bootCall(): SimCall {
    const s = this.settings;
    const payload: JsonObject = {
      chargePointVendor: s.vendor.slice(0, 20),
      chargePointModel: s.model.slice(0, 20),
    };
    if (s.serialNumber) payload['chargePointSerialNumber'] = s.serialNumber.slice(0, 25);
    if (s.firmwareVersion) payload['firmwareVersion'] = s.firmwareVersion.slice(0, 50);
    return {
      action: 'BootNotification',
      build: () => payload,
      transactional: false,
      early: 'boot',
      attempts: 0,
    };
  }

  protected override statusTargets(): (Connector | undefined)[] {
    return [undefined, ...this.connectors];
  }

  protected statusCall(c: Connector | undefined): SimCall {
    const status = c
      ? c.status
      : this.connectors.every((x) => x.status === 'Unavailable')
        ? 'Unavailable'
        : 'Available';
    const payload: JsonObject = {
      connectorId: c ? c.id : 0,
      errorCode: c?.faulted ? 'OtherError' : 'NoError',
      status,
      timestamp: new Date(c ? c.meter.at : Date.now()).toISOString(),
    };
    return {
      action: 'StatusNotification',
      build: () => {
        this.statusSent(c, status);
        return payload;
      },
      transactional: false,
      attempts: 0,
    };
  }

  protected authorizeRequest(idTag: string): JsonObject {
    return { idTag };
  }

  protected idStatusOf(r: JsonObject): string | undefined {
    const info = r['idTagInfo'];
    return isJsonObject(info) && typeof info['status'] === 'string' ? info['status'] : undefined;
  }

  protected txStarted(c: Connector, tx: Transaction, trigger: string, now: number): void {
    void trigger;
    const payload: JsonObject = {
      connectorId: c.id,
      idTag: tx.idTag ?? '',
      meterStart: tx.meterStartWh,
      timestamp: new Date(now).toISOString(),
    };
    if (tx.reservationId !== undefined) payload['reservationId'] = tx.reservationId;
    this.enqueue({
      action: 'StartTransaction',
      build: () => payload,
      transactional: true,
      attempts: 0,
      onResult: (r, at) => {
        const id = r['transactionId'];
        if (typeof id === 'number') tx.id = String(id);
        const status = this.idStatusOf(r) ?? 'Invalid';
        if (tx.idTag) this.remember(tx.idTag, status);
        if (status !== 'Accepted' && c.tx === tx && this.config.bool('StopTransactionOnInvalidId'))
          this.endTransaction(c, 'DeAuthorized', at);
      },
    });
  }

  private txId(tx: Transaction): number {
    // A start that was never answered leaves no id: 0 says so rather than inventing one.
    const n = Number(tx.id);
    return Number.isInteger(n) ? n : 0;
  }

  private sampledValues(c: Connector, context: string, measurands: string[]): JsonObject[] {
    return sampledValues16(c.meter.reading(c.ev), c.ev !== undefined, measurands, context);
  }

  protected txSample(c: Connector, tx: Transaction, context: string, now: number): void {
    const sampled = this.sampledValues(c, context, this.config.list('MeterValuesSampledData'));
    if (sampled.length === 0) return;
    const meterValue = [{ timestamp: new Date(now).toISOString(), sampledValue: sampled }];
    this.enqueue({
      action: 'MeterValues',
      build: () => ({ connectorId: c.id, transactionId: this.txId(tx), meterValue }),
      transactional: true,
      attempts: 0,
    });
  }

  protected txChanged(): void {
    // 1.6 reports the change as a StatusNotification (Charging, SuspendedEV...), done by refresh().
  }

  protected txEnded(c: Connector, tx: Transaction, reason: string, now: number): void {
    const meterStop = c.meter.registerWh;
    const payload: JsonObject = { meterStop, timestamp: new Date(now).toISOString(), reason };
    if (tx.idTag && reason !== 'DeAuthorized') payload['idTag'] = tx.idTag;
    const stopData = this.sampledValues(c, 'Transaction.End', this.config.list('StopTxnSampledData'));
    if (stopData.length > 0)
      payload['transactionData'] = [{ timestamp: new Date(now).toISOString(), sampledValue: stopData }];
    this.enqueue({
      action: 'StopTransaction',
      build: () => ({ transactionId: this.txId(tx), ...payload }),
      transactional: true,
      attempts: 0,
    });
  }

  protected requestReset(kind: 'hard' | 'soft' | 'immediate' | 'idle' | 'local', now: number): void {
    const reason: StopReason = kind === 'hard' || kind === 'immediate' ? 'HardReset' : 'SoftReset';
    this.scheduleReboot(false);
    for (const c of this.connectors) if (c.tx) this.endTransaction(c, reason, now);
    this.checkReboot(now);
  }

  private firmwareStatusCall(status: string): SimCall {
    this.firmwareStatus = status;
    return {
      action: 'FirmwareStatusNotification',
      build: () => ({ status }),
      transactional: false,
      attempts: 0,
    };
  }

  /** The security extension's firmware status, with the request id of its SignedUpdateFirmware. */
  private signedFirmwareStatusCall(status: string): SimCall {
    this.firmwareStatus = status;
    return this.requestStatusCall('SignedFirmwareStatusNotification', status, this.firmwareRequestId);
  }

  private diagnosticsStatusCall(status: string): SimCall {
    this.diagnosticsStatus = status;
    return {
      action: 'DiagnosticsStatusNotification',
      build: () => ({ status }),
      transactional: false,
      attempts: 0,
    };
  }

  // ---- incoming ------------------------------------------------------------------------------------------------

  answer(action: string, p: JsonObject, now: number): Answer {
    switch (action) {
      case 'GetConfiguration': {
        const keys = Array.isArray(p['key'])
          ? p['key'].filter((k): k is string => typeof k === 'string')
          : undefined;
        const { known, unknown } = this.config.read(keys);
        const payload: JsonObject = {};
        if (known.length > 0) payload['configurationKey'] = known.map((k) => ({ ...k }) as JsonObject);
        if (unknown.length > 0) payload['unknownKey'] = unknown;
        return { payload };
      }
      case 'ChangeConfiguration': {
        const key = str(p['key']);
        const value = str(p['value']);
        const status = this.config.change(key, value);
        if (status === 'Accepted' && key === 'HeartbeatInterval')
          return { payload: { status }, after: (t) => this.setHeartbeatInterval(Number(value), t) };
        return { payload: { status } };
      }
      case 'ClearCache':
        return { payload: { status: this.clearCache() ? 'Accepted' : 'Rejected' } };
      case 'DataTransfer':
        return { payload: dataTransferAnswer(this.settings) };
      case 'RemoteStartTransaction':
        return this.remoteStart(p, now);
      case 'RemoteStopTransaction': {
        const id = p['transactionId'];
        const c = this.connectors.find((x) => x.tx && x.tx.id === String(id));
        if (!c) return { payload: { status: 'Rejected' } };
        return { payload: { status: 'Accepted' }, after: (t) => this.endTransaction(c, 'Remote', t) };
      }
      case 'Reset': {
        const hard = p['type'] === 'Hard';
        return {
          payload: { status: 'Accepted' },
          after: (t) => this.requestReset(hard ? 'hard' : 'soft', t),
        };
      }
      case 'ChangeAvailability':
        return this.changeAvailability(p);
      case 'UnlockConnector': {
        const c = this.connector(num(p['connectorId']));
        if (!c) return { payload: { status: 'NotSupported' } };
        return {
          payload: { status: 'Unlocked' },
          after: (t) => {
            if (c.tx) this.endTransaction(c, 'UnlockCommand', t);
            this.unplug(c, t);
          },
        };
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
        const criteria = {
          ...(typeof p['id'] === 'number' ? { id: p['id'] } : {}),
          ...(typeof p['connectorId'] === 'number' ? { connector: p['connectorId'] } : {}),
          ...(purposeOf(p['chargingProfilePurpose'])
            ? { purpose: purposeOf(p['chargingProfilePurpose'])! }
            : {}),
          ...(typeof p['stackLevel'] === 'number' ? { stackLevel: p['stackLevel'] } : {}),
        };
        return clearProfiles(this, criteria);
      }
      case 'GetCompositeSchedule':
        return this.composite(p, now);
      case 'GetLocalListVersion':
        return {
          payload: { listVersion: this.config.bool('LocalAuthListEnabled') ? this.localListVersion : -1 },
        };
      case 'SendLocalList': {
        if (!this.config.bool('LocalAuthListEnabled')) return { payload: { status: 'NotSupported' } };
        const list = Array.isArray(p['localAuthorizationList']) ? p['localAuthorizationList'] : [];
        const entries = list.filter(isJsonObject).map((e) => {
          const info = isJsonObject(e['idTagInfo']) ? e['idTagInfo'] : undefined;
          return { idTag: str(e['idTag']), ...(info ? { status: str(info['status']) } : {}) };
        });
        return this.sendLocalList(num(p['listVersion']), p['updateType'] === 'Full', entries);
      }
      case 'GetDiagnostics':
        return this.getDiagnostics(p, now);
      case 'UpdateFirmware':
        return this.updateFirmware(p);
      case 'InstallCertificate':
      case 'GetInstalledCertificateIds':
      case 'DeleteCertificate':
      case 'CertificateSigned':
        return this.certificates.answer(action, p, now);
      case 'ExtendedTriggerMessage':
        return this.extendedTrigger(p);
      case 'SignedUpdateFirmware':
        return this.signedFirmwareUpdate(
          p,
          now,
          (status) =>
            this.requestStatusCall('SignedFirmwareStatusNotification', status, this.firmwareRequestId),
          true,
        );
      case 'GetLog':
        return this.getLog(p, now);
      default:
        return undefined;
    }
  }

  /** The security extension's trigger: the core triggers, plus the log status and a certificate request. */
  private extendedTrigger(p: JsonObject): Answer {
    const what = str(p['requestedMessage']);
    switch (what) {
      case 'SignChargePointCertificate':
        return {
          payload: { status: 'Accepted' },
          after: () => this.certificates.requestSignature('ChargingStationCertificate', true),
        };
      case 'LogStatusNotification':
        return this.triggered(() => this.logStatusCall(this.logStatusNow()));
      case 'FirmwareStatusNotification':
        return this.triggered(() => this.signedFirmwareStatusCall(this.firmwareStatusNow()));
      default:
        // A core trigger's answer fits ExtendedTriggerMessage (Accepted / Rejected / NotImplemented).
        return this.trigger(p);
    }
  }

  private remoteStart(p: JsonObject, now: number): Answer {
    const idTag = str(p['idTag']);
    const requested = typeof p['connectorId'] === 'number' ? this.connector(p['connectorId']) : undefined;
    if (typeof p['connectorId'] === 'number' && !requested) return { payload: { status: 'Rejected' } };
    const c =
      requested ?? this.connectors.find((x) => !x.tx && !x.faulted && !x.inoperative && !x.reservation);
    if (!c || c.tx || c.faulted || c.inoperative || (c.reservation && c.reservation.idTag !== idTag))
      return { payload: { status: 'Rejected' } };
    let profile: ReturnType<typeof readProfile>;
    if (isJsonObject(p['chargingProfile'])) {
      profile = readProfile(p['chargingProfile'], c.id, now);
      if (!profile || profile.purpose !== 'Tx') return { payload: { status: 'Rejected' } };
    }
    return {
      payload: { status: 'Accepted' },
      after: (t) => {
        if (profile) this.profiles.install(profile);
        const go = (ok: boolean, at: number): void => {
          if (!ok) return;
          this.startRemotely(c, idTag, at);
          this.refresh(c, at);
        };
        this.authorizeRemote(this.config.bool('AuthorizeRemoteTxRequests'), idTag, t, go);
      },
    };
  }

  private changeAvailability(p: JsonObject): Answer {
    const id = num(p['connectorId']);
    const targets = this.targetsOf(id);
    return changeAvailabilityOf(this, targets, p['type'] === 'Inoperative', () => {
      // Connector 0 stands for the whole charge point: it has its own status.
      if (id === 0 && this.online && this.boot === 'accepted') this.enqueue(this.statusCall(undefined));
    });
  }

  private trigger(p: JsonObject): Answer {
    const what = str(p['requestedMessage']);
    const hasId = typeof p['connectorId'] === 'number';
    const c = hasId ? this.connector(num(p['connectorId'])) : undefined;
    if (hasId && num(p['connectorId']) !== 0 && !c) return { payload: { status: 'Rejected' } };
    switch (what) {
      case 'BootNotification':
        return { payload: { status: 'Accepted' }, after: (t) => this.sendBoot(t) };
      case 'Heartbeat':
        return this.triggered(() => this.heartbeatCall());
      case 'StatusNotification':
        return {
          payload: { status: 'Accepted' },
          after: () => {
            if (hasId) this.sendTriggered(this.statusCall(c));
            else for (const x of this.statusTargets()) this.sendTriggered(this.statusCall(x));
          },
        };
      case 'MeterValues':
        return {
          payload: { status: 'Accepted' },
          after: (t) => {
            for (const x of c ? [c] : this.connectors) {
              this.advance(x, t);
              const sampledValue = this.sampledValues(
                x,
                'Trigger',
                this.config.list('MeterValuesSampledData'),
              );
              const tx = x.tx;
              this.sendTriggered({
                action: 'MeterValues',
                build: () => ({
                  connectorId: x.id,
                  ...(tx ? { transactionId: this.txId(tx) } : {}),
                  meterValue: [{ timestamp: new Date(t).toISOString(), sampledValue }],
                }),
                transactional: false,
                attempts: 0,
              });
            }
          },
        };
      case 'DiagnosticsStatusNotification':
        return this.triggered(() => this.diagnosticsStatusCall(this.logStatusNow()));
      case 'FirmwareStatusNotification':
        return this.triggered(() => this.firmwareStatusCall(this.firmwareStatusNow()));
      default:
        return { payload: { status: 'NotImplemented' } };
    }
  }

  private reserve(p: JsonObject, now: number): Answer {
    const id = num(p['connectorId']);
    // Connector 0 (any connector) is not offered: ReserveConnectorZeroSupported is false.
    const c = id === 0 ? undefined : this.connector(id);
    return reserveOn(this, c, num(p['reservationId']), str(p['idTag']), str(p['expiryDate']), now);
  }

  private setProfile(p: JsonObject, now: number): Answer {
    const raw = p['csChargingProfiles'];
    return setProfileOn(this, num(p['connectorId']), isJsonObject(raw) ? raw : undefined, now, {
      maxStackLevel: this.config.int('ChargeProfileMaxStackLevel', 10),
      stationOnly: ['Max'],
    });
  }

  private composite(p: JsonObject, now: number): Answer {
    const id = num(p['connectorId']);
    const s = compositeSchedule(this, id, p, now, 1);
    if (!s) return { payload: { status: 'Rejected' } };
    const start = new Date(now).toISOString();
    return {
      payload: {
        status: 'Accepted',
        connectorId: id,
        scheduleStart: start,
        chargingSchedule: { duration: s.duration, startSchedule: start, ...s.schedule },
      },
    };
  }

  private getDiagnostics(p: JsonObject, now: number): Answer {
    const location = str(p['location']);
    const name = uploadName('diagnostics', now);
    return {
      payload: { fileName: name },
      after: () =>
        uploadSteps(
          { location, name, what: 'Diagnostics', failed: 'UploadFailed', bytes: diagnosticsBytes(this) },
          (status) => {
            this.enqueue(this.diagnosticsStatusCall(status));
            this.host.changed();
          },
          this.host,
        ),
    };
  }

  private updateFirmware(p: JsonObject): Answer {
    const location = str(p['location']);
    const retrieve = Date.parse(str(p['retrieveDate']));
    return {
      payload: {},
      after: (t) => {
        const start = Number.isNaN(retrieve) ? t : Math.max(t, retrieve);
        this.at(start, () => {
          firmwareSteps(
            location,
            (status) => {
              this.enqueue(this.firmwareStatusCall(status));
              this.host.changed();
            },
            this.host,
            (ok) => {
              if (!ok) return;
              this.enqueue(this.firmwareStatusCall('Installing'));
              this.installFirmware(() => this.firmwareStatusCall('Installed'), t);
            },
          );
        });
        this.host.changed();
      },
    };
  }
}

export function dataTransferAnswer(s: SimulatorSettings): JsonObject {
  const dt = s.dataTransfer ?? { status: 'UnknownVendorId' };
  return { status: dt.status, ...(dt.data !== undefined ? { data: dt.data } : {}) };
}

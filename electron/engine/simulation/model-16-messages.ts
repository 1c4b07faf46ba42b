import type { AuthFlags } from './charger-authorization';
import type { SimulatorSettings } from '../../../shared/api';
import type { JsonObject } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import type { Connector, ModelHost, SimCall, StopReason, Transaction } from './charger-types';
import { ChargerCore } from './charger-core';
import { Config16 } from './config-16';
import { sampledValues16 } from './meter-samples';

/**
 * The OCPP 1.6J charge point's first layer (model-16.ts is the whole): its configuration keys and what reads them,
 * connector statuses, and the messages it sends (boot, statuses, Authorize, Start/StopTransaction, MeterValues,
 * file-transfer statuses); and how it resets.
 */
export abstract class Model16Messages extends ChargerCore {
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

  protected authFlags(): AuthFlags {
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

  protected txId(tx: Transaction): number {
    // A start that was never answered leaves no id: 0 says so rather than inventing one.
    const n = Number(tx.id);
    return Number.isInteger(n) ? n : 0;
  }

  protected sampledValues(c: Connector, context: string, measurands: string[]): JsonObject[] {
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

  protected firmwareStatusCall(status: string): SimCall {
    this.firmwareStatus = status;
    return {
      action: 'FirmwareStatusNotification',
      build: () => ({ status }),
      transactional: false,
      attempts: 0,
    };
  }

  /** The security extension's firmware status, with the request id of its SignedUpdateFirmware. */
  protected signedFirmwareStatusCall(status: string): SimCall {
    this.firmwareStatus = status;
    return this.requestStatusCall('SignedFirmwareStatusNotification', status, this.firmwareRequestId);
  }

  protected diagnosticsStatusCall(status: string): SimCall {
    this.diagnosticsStatus = status;
    return {
      action: 'DiagnosticsStatusNotification',
      build: () => ({ status }),
      transactional: false,
      attempts: 0,
    };
  }
}

import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import type { Connector, SimCall, Transaction } from './charger-types';
import type { StatusInfo } from './file-steps';
import { sampledValues2x } from './meter-samples';
import { Model2xDevice } from './model-2x-device';

/**
 * What the OCPP 2.0.1 / 2.1 charging station sends (model-2x.ts is the whole): BootNotification with its reason,
 * StatusNotification, Authorize, TransactionEvent with the station's own transaction ids, seqNo and trigger reasons,
 * its meter values, and the firmware statuses; and how it resets.
 */
export abstract class Model2xMessages extends Model2xDevice {
  protected bootReason = 'PowerUp';

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

  protected meterValue(c: Connector, context: string, measurands: string[], now: number): JsonObject[] {
    const sampled = sampledValues2x(c.meter.reading(c.ev), c.ev !== undefined, measurands, context);
    return sampled.length > 0 ? [{ timestamp: new Date(now).toISOString(), sampledValue: sampled }] : [];
  }

  protected txEvent(
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
    this.monitors?.reopenStreams();
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

  protected firmwareStatusCall(status: string, info?: StatusInfo): SimCall {
    this.firmwareStatus = status;
    return this.requestStatusCall('FirmwareStatusNotification', status, this.firmwareRequestId, info);
  }
}

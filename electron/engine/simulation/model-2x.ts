import type { JsonObject } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import { num, str } from './payload-read';
import type { Answer } from './charger-types';
import {
  cancelReservation,
  changeAvailabilityOf,
  clearProfiles,
  compositeSchedule,
  reserveOn,
  setProfileOn,
} from './shared-answers';
import { purposeOf, readProfile } from './charging-profiles';
import { NetworkProfiles } from './network-profiles';
import { dataTransferAnswer } from './model-16';
import { Model2xMessages } from './model-2x-messages';
import { reportLimits, reportParts } from './report-parts';
import { overItemLimit } from './item-limits';

/**
 * The OCPP 2.0.1 / 2.1 charging station: EVSEs with one connector each, the device model, TransactionEvent with
 * the station's own transaction ids, seqNo and trigger reasons, and its answers to every CSMS call it supports.
 * Built in layers: model-2x-device.ts (the device model and what reads it), model-2x-messages.ts (what the station
 * sends), and here the answers to the CSMS's calls.
 */
export class Model2x extends Model2xMessages {
  // ---- incoming ------------------------------------------------------------------------------------------------

  answer(action: string, p: JsonObject, now: number, bytes?: number): Answer {
    const tooMany = overItemLimit(this.device, action, p, bytes);
    if (tooMany) return tooMany;
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
            else if (d.component === 'SampledDataCtrlr' && d.variable === 'TxUpdatedInterval')
              effects.push((t) => this.sampleIntervalChanged(t));
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
      case 'GetPeriodicEventStream':
      case 'AdjustPeriodicEventStream':
        return this.version === '2.1' ? this.monitoring.answer(action, p, now) : undefined;
      case 'SetDisplayMessage':
      case 'GetDisplayMessages':
      case 'ClearDisplayMessage':
        return this.displayMessages.answer(action, p, now);
      default:
        return undefined;
    }
  }

  private notifyReport(requestId: number, data: JsonObject[], now: number): void {
    const generatedAt = new Date(now).toISOString();
    const parts = reportParts('NotifyReport', data, reportLimits(this.device), (reportData, seqNo, tbc) => ({
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

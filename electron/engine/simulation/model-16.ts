import type { SimulatorSettings } from '../../../shared/api';
import type { JsonObject } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import { num, str, uploadName } from './payload-read';
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
import { diagnosticsBytes, firmwareSteps, uploadSteps } from './file-steps';
import { Model16Messages } from './model-16-messages';

/** The OCPP 1.6J charge point: its messages (model-16-messages.ts) and its answers to every CSMS call it supports. */
export class Model16 extends Model16Messages {
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
        if (status === 'Accepted' && key === 'MeterValueSampleInterval')
          return { payload: { status }, after: (t) => this.sampleIntervalChanged(t) };
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

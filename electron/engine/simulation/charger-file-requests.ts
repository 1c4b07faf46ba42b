import type { JsonObject } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import type { CertificateManagement } from './certificate-management';
import { revokedIn } from './certificate-store';
import { ChargerSessions } from './charger-sessions';
import type { Answer, SimCall } from './charger-types';
import type { StatusInfo } from './file-steps';
import { diagnosticsBytes, uploadSteps } from './file-steps';
import { FirmwareRuns, firmwareUpdate } from './firmware-update';
import { num, str, uploadName } from './payload-read';

/**
 * The charger model's file-transfer requests (see charger-core.ts for the whole stack): GetLog uploads, signed
 * firmware updates with their install reboot, and the status notifications both report (also when triggered).
 */
export abstract class ChargerFileRequests extends ChargerSessions {
  /** The last status of each file transfer (for TriggerMessage). */
  diagnosticsStatus = 'Idle';
  firmwareStatus = 'Idle';
  protected firmwareRequestId: number | undefined;
  protected logRequestId: number | undefined;
  /** The firmware update in progress, made with the first one. */
  private firmwareRuns: FirmwareRuns | undefined;

  /** Certificate management (a firmware signer is checked against its trust store). */
  protected abstract get certificates(): CertificateManagement;

  /** What a triggered firmware status reports: Idle once an installation was reported. */
  protected firmwareStatusNow(): string {
    return this.firmwareStatus === 'Installed' ? 'Idle' : this.firmwareStatus;
  }

  /** What a triggered log (diagnostics) status reports: Uploading while one runs, else Idle. */
  protected logStatusNow(): string {
    return this.diagnosticsStatus === 'Uploading' ? 'Uploading' : 'Idle';
  }

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
        roots: () => this.certificates.store.manufacturerRoots(),
        revoked: (pem) => revokedIn(pem, this.settings.revokedCertificates),
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

  /** Reboots once idle to install; `installed` is the status the next accepted boot sends. */
  protected installFirmware(installed: () => SimCall, now: number): void {
    this.afterInstall = installed;
    this.scheduleReboot(true);
    this.checkReboot(now);
    this.host.changed();
  }
}

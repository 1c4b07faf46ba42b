import type { JsonObject } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import type { Answer, FirmwareSignature, ModelHost } from './charger-types';
import { firmwareSteps } from './file-steps';
import type { StatusInfo } from './file-steps';
import { num, str } from './payload-read';

/** What a signed firmware update needs of its charger model. */
export interface FirmwareContext {
  host: ModelHost;
  /** Queues the version's firmware status notification (2.x FirmwareStatusNotification, 1.6 Signed...). */
  status(status: string, info?: StatusInfo): void;
  at(at: number, run: (now: number) => void): void;
  /** Why the signing certificate is not trusted (by an installed ManufacturerRootCertificate); undefined: it is. */
  untrusted(pem: string, now: number): string | undefined;
  /** The serial number of a certificate of `pem` the station knows to be revoked; undefined: none is. */
  revoked(pem: string): string | undefined;
  /** The installed ManufacturerRootCertificates (PEM): what checks a signature that came without its certificate. */
  roots(): string[];
  securityEvent(type: string, techInfo: string, now: number): void;
  setRequest(requestId: number): void;
  /** Installs: reboots once idle, and reports Installed after the boot. */
  install(now: number): void;
  /** Starts an update run and returns its number; the run before it, if still going, is cancelled. */
  begin(): number;
  /** Whether `run` is still the update in progress (a cancelled run says and does nothing more). */
  current(run: number): boolean;
  /** Whether an update is in progress (not yet failed or installed). */
  busy(): boolean;
  /** `run` ended (failed, or installed and about to reboot). */
  end(run: number): void;
}

/**
 * The firmware update of 2.x (UpdateFirmware) and of the 1.6 security extension (SignedUpdateFirmware), which carry
 * the same `firmware` object: a signing certificate not issued by an installed ManufacturerRootCertificate is
 * refused at once (InvalidCertificate, and a security event InvalidFirmwareSigningCertificate), one the settings list
 * as revoked (revokedCertificates) likewise with RevokedCertificate; otherwise the
 * station reports DownloadScheduled (retrieve time ahead), Downloading, Downloaded or DownloadFailed, then
 * SignatureVerified or InvalidSignature (a signature without a signing certificate is checked with the installed
 * ManufacturerRootCertificates' keys: none installed, or none verifies, is InvalidSignature), InstallScheduled (install time ahead), Installing, InstallRebooting, reboots
 * once no transaction runs, and reports Installed after the new boot. A new request while one is in progress cancels
 * it and is answered AcceptedCanceled.
 */
export function firmwareUpdate(
  p: JsonObject,
  now: number,
  ctx: FirmwareContext,
  rules: { signatureRequired: boolean },
): Answer {
  const fw = isJsonObject(p['firmware']) ? p['firmware'] : {};
  const location = str(fw['location']);
  const retrieve = Date.parse(str(fw['retrieveDateTime']));
  const install = Date.parse(str(fw['installDateTime']));
  const certificate = typeof fw['signingCertificate'] === 'string' ? fw['signingCertificate'] : undefined;
  const signed = typeof fw['signature'] === 'string' || rules.signatureRequired;
  // A signature without its certificate is checked against the installed ManufacturerRootCertificates.
  const signature: FirmwareSignature | undefined = signed
    ? { signature: str(fw['signature']), signers: certificate !== undefined ? [certificate] : ctx.roots() }
    : undefined;
  const requestId = num(p['requestId']);
  const revoked = certificate !== undefined ? ctx.revoked(certificate) : undefined;
  if (revoked !== undefined)
    return {
      payload: { status: 'RevokedCertificate' },
      after: (t) => {
        const why = `certificate ${revoked} is revoked`;
        ctx.host.note(`Firmware signing certificate refused: ${why}.`);
        ctx.securityEvent('InvalidFirmwareSigningCertificate', why, t);
      },
    };
  if (certificate !== undefined) {
    const why = ctx.untrusted(certificate, now);
    if (why)
      return {
        payload: { status: 'InvalidCertificate' },
        after: (t) => {
          ctx.host.note(`Firmware signing certificate refused: ${why}.`);
          ctx.securityEvent('InvalidFirmwareSigningCertificate', why, t);
        },
      };
  }
  return {
    payload: { status: ctx.busy() ? 'AcceptedCanceled' : 'Accepted' },
    after: (t) => {
      const run = ctx.begin();
      const status = (s: string, info?: StatusInfo): void => {
        if (ctx.current(run)) ctx.status(s, info);
      };
      ctx.setRequest(requestId);
      const start = Number.isNaN(retrieve) ? t : Math.max(t, retrieve);
      if (start > t) status('DownloadScheduled');
      ctx.at(start, () => {
        if (!ctx.current(run)) return;
        firmwareSteps(
          location,
          status,
          ctx.host,
          (ok) => {
            if (!ok) return ctx.end(run);
            if (signed) status('SignatureVerified');
            const installNow = (at: number): void => {
              if (!ctx.current(run)) return;
              status('Installing');
              status('InstallRebooting');
              ctx.end(run);
              ctx.install(at);
            };
            const when = Number.isNaN(install) ? 0 : install;
            if (when > Date.now()) {
              status('InstallScheduled');
              ctx.at(when, installNow);
            } else installNow(Date.now());
          },
          signature,
        );
      });
      ctx.host.changed();
    },
  };
}

/** Which firmware update is in progress (a number per run), so that a new request cancels the one before. */
export class FirmwareRuns {
  private run = 0;
  private running = false;

  begin(): number {
    this.running = true;
    return ++this.run;
  }

  current(run: number): boolean {
    return this.running && run === this.run;
  }

  busy(): boolean {
    return this.running;
  }

  end(run: number): void {
    if (run === this.run) this.running = false;
  }
}

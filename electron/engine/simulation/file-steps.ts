import type { ChargerLink } from './charger-link';
import type { FirmwareSignature, ModelHost, TransferResult } from './charger-types';

/** What a simulated station uploads as its diagnostics or log file: a plain-text summary of its state. */
export function diagnosticsBytes(model: ChargerLink): Uint8Array {
  const lines = [
    `OCPP Scope simulated charging station (OCPP ${model.version})`,
    `vendor=${model.settings.vendor} model=${model.settings.model} firmware=${model.settings.firmwareVersion ?? ''}`,
    `boot=${model.boot} online=${model.online} queued=${model.queued}`,
    ...model.connectors.map(
      (c) =>
        `connector ${c.id}: ${c.status} plugged=${c.plugged} energyWh=${c.meter.registerWh}` +
        (c.tx ? ` transaction=${c.tx.id ?? '(unconfirmed)'}` : ''),
    ),
  ];
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

/** Why a transfer failed, as 2.1 status notifications carry it (statusInfo). */
export interface StatusInfo {
  reasonCode: string;
  additionalInfo: string;
}

export type StepStatus = (status: string, info?: StatusInfo) => void;

function failureInfo(r: TransferResult): StatusInfo | undefined {
  if (r.ok) return undefined;
  const reasonCode =
    r.failure === 'certificate'
      ? 'InvalidCertificate'
      : r.failure === 'signature'
        ? 'InvalidSignature'
        : 'TransferFailed';
  return { reasonCode, additionalInfo: r.why.slice(0, 1024) };
}

function noteFailure(host: ModelHost, what: string, r: TransferResult): void {
  if (r.ok) return;
  const label =
    r.failure === 'certificate'
      ? `${what} refused the server's certificate`
      : r.failure === 'signature'
        ? 'Firmware signature check failed'
        : `${what} failed`;
  host.note(`${label}: ${r.why}`);
}

/** GetDiagnostics (1.6) and GetLog (2.x): Uploading, then Uploaded or the version's failure status. */
export function uploadSteps(
  o: { location: string; name: string; what: string; failed: string; bytes: Uint8Array },
  status: StepStatus,
  host: ModelHost,
): void {
  status('Uploading');
  host.transfer({
    kind: 'upload',
    url: o.location,
    name: o.name,
    bytes: o.bytes,
    done: (r) => {
      noteFailure(host, `${o.what} upload`, r);
      if (r.ok) status('Uploaded');
      else status(o.failed, failureInfo(r));
    },
  });
}

/** The download step of a firmware update: Downloading, then Downloaded or DownloadFailed (or InvalidSignature). */
export function firmwareSteps(
  location: string,
  status: StepStatus,
  host: ModelHost,
  done: (ok: boolean) => void,
  signed?: FirmwareSignature,
): void {
  status('Downloading');
  host.transfer({
    kind: 'download',
    url: location,
    ...(signed ? { signed } : {}),
    done: (r) => {
      noteFailure(host, 'Firmware download', r);
      if (!r.ok && r.failure === 'signature') {
        // The bytes arrived but are not what was signed: a real charger refuses to install them.
        status('Downloaded');
        status('InvalidSignature', failureInfo(r));
      } else if (r.ok) status('Downloaded');
      else status('DownloadFailed', failureInfo(r));
      done(r.ok);
    },
  });
}

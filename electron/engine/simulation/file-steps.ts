import type { ChargerCore, ModelHost } from './charger-core';

/** What a simulated station uploads as its diagnostics or log file: a plain-text summary of its state. */
export function diagnosticsBytes(model: ChargerCore): Uint8Array {
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

/** The download step of a firmware update: Downloading, then Downloaded or DownloadFailed. */
export function firmwareSteps(
  location: string,
  status: (s: string) => void,
  host: ModelHost,
  done: (ok: boolean) => void,
  signed?: { signingCertificate: string; signature: string },
): void {
  status('Downloading');
  host.transfer({
    kind: 'download',
    url: location,
    ...(signed ? { signed } : {}),
    done: (ok, why, invalidSignature) => {
      if (invalidSignature) {
        // The bytes arrived but are not what was signed: a real charger refuses to install them.
        host.note(`Firmware signature check failed: ${why ?? 'the signature does not match'}`);
        status('Downloaded');
        status('InvalidSignature');
        done(false);
        return;
      }
      if (!ok && why) host.note(`Firmware download failed: ${why}`);
      status(ok ? 'Downloaded' : 'DownloadFailed');
      done(ok);
    },
  });
}

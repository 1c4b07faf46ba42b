import type { ChargerCore, ModelHost } from './charger-core';

/** What a simulated station uploads as its diagnostics or log file: a plain-text summary of its state. */
export function diagnosticsBytes(model: ChargerCore): Uint8Array {
  const lines = [
    `OCPP Scope simulated charging station (OCPP ${model.version})`,
    `vendor=${model.settings.vendor} model=${model.settings.model} firmware=${model.settings.firmwareVersion ?? ''}`,
    `boot=${model.boot} online=${model.online} queued=${model.queued}`,
    ...model.connectors.map(
      (c) =>
        `connector ${c.id}: ${c.status} plugged=${c.plugged} energyWh=${c.meter.energyWh.toFixed(0)}` +
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
): void {
  status('Downloading');
  host.transfer({
    kind: 'download',
    url: location,
    done: (ok, why) => {
      if (!ok && why) host.note(`Firmware download failed: ${why}`);
      status(ok ? 'Downloaded' : 'DownloadFailed');
      done(ok);
    },
  });
}

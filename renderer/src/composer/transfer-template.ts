import type { JsonObject } from '../../../shared/ocpp/json';
import { TRANSFER_ACTIONS, withTransferUrl } from '../logic/templates';
import type { Store } from '../state/store';

/**
 * The example payload of GetDiagnostics, GetLog, UpdateFirmware or SignedUpdateFirmware with a fresh per-transfer
 * URL of the running file server for this charger (and for firmware the chosen file's signature fields). Without a
 * running server, a charger or an answer from the engine, the example stays as it is.
 */
export async function transferPayload(
  store: Store,
  action: string,
  example: JsonObject,
  identity: string | undefined,
): Promise<JsonObject> {
  const { files, filesChoice } = store.getState();
  if (!TRANSFER_ACTIONS.includes(action) || !files.running || !identity) return example;
  const ticket = await store.run('Preparing the transfer URL', () =>
    store.api.prepareTransfer({
      identity,
      action,
      ...(filesChoice.firmware !== undefined ? { firmware: filesChoice.firmware } : {}),
    }),
  );
  return ticket ? withTransferUrl(action, example, ticket, filesChoice.protocol) : example;
}

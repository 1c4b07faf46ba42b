import { createRequire } from 'node:module';
import { createValidator } from 'ocpp-rpc';
import { exampleRequest } from '../../shared/ocpp/examples';
import type { JsonObject } from '../../shared/ocpp/json';
import type { OcppVersion } from '../../shared/ocpp/versions';

// ocpp-rpc ships strict-mode validators for ocpp1.6, ocpp2.0.1 and ocpp2.1 (lib/standard-validators.js). Its 2.1
// schemas are named `urn:XRequest`/`urn:XResponse` while its validator looks up `urn:X.req`/`urn:X.conf`, so in
// 2.2.1 every 2.1 call fails with "Schema ... is missing". We give it its own 2.1 schemas under the names it looks
// up: the validation (its ajv, its schemas, its strict rules) stays entirely ocpp-rpc's.
const requireCjs = createRequire(import.meta.url);
const rpc21Schemas = (requireCjs('ocpp-rpc/lib/schemas/ocpp2_1.json') as { $id: string }[]).map((s) => ({
  ...s,
  $id: s.$id.replace(/Request$/, '.req').replace(/Response$/, '.conf'),
}));

/** Pass as `strictModeValidators` to an ocpp-rpc RPCClient/RPCServer in strict mode. */
export const strictModeValidators = [createValidator('ocpp2.1', rpc21Schemas)];

/**
 * A 2.0.1/2.1 TransactionEvent request for one step of a transaction: the version's example payload with the given
 * event, trigger, sequence number and transaction info, stamped now.
 */
export function transactionEvent(
  v: OcppVersion,
  eventType: 'Started' | 'Updated' | 'Ended',
  triggerReason: string,
  seqNo: number,
  transactionInfo: JsonObject,
): JsonObject {
  return {
    ...exampleRequest(v, 'TransactionEvent'),
    eventType,
    triggerReason,
    seqNo,
    timestamp: new Date().toISOString(),
    transactionInfo,
  };
}

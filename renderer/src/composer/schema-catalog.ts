import { actionsOf, type ActionInfo } from '../../../shared/ocpp/actions';
import { ERROR_CODES } from '../../../shared/ocpp/error-codes';
import type { JsonObject } from '../../../shared/ocpp/json';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import {
  monacoSchemas,
  type ActionEntry,
  type JsonSchema,
  type MonacoSchema,
} from '../logic/schema-assembly';

import type * as OcppDataModule from './ocpp-data';

type OcppData = typeof OcppDataModule;

let data: Promise<OcppData> | undefined;

/** The OCA schemas and examples are large: load them only when the composer (or a reply) first needs them. */
export function loadOcppData(): Promise<OcppData> {
  data ??= import('./ocpp-data');
  return data;
}

export function actionEntries(d: OcppData, version: OcppVersion): ActionEntry[] {
  const send = new Set(
    actionsOf(version)
      .filter((a) => a.sendOnly)
      .map((a) => a.name),
  );
  return Object.entries(d.SCHEMA_INDEX[version]).map(([name, pair]) => ({
    name,
    hasRequest: true,
    hasResponse: pair.response !== undefined,
    sendOnly: send.has(name) || pair.response === undefined,
  }));
}

export function composerSchemas(
  d: OcppData,
  version: OcppVersion,
  modelUri: string,
  responseAction?: string,
): MonacoSchema[] {
  return monacoSchemas(
    { version, actions: actionEntries(d, version), errorCodes: ERROR_CODES[version], responseAction },
    (action, kind) => d.payloadSchema(version, action, kind) as JsonSchema | undefined,
    modelUri,
  );
}

export async function examplePayload(
  version: OcppVersion,
  action: string,
  kind: 'request' | 'response',
): Promise<JsonObject> {
  return (await loadOcppData()).examplePayload(version, action, kind);
}

export function actionsFor(version: OcppVersion): readonly ActionInfo[] {
  return actionsOf(version);
}

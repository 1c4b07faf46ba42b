import type { Answer } from './charger-types';
import type { DeviceModel } from './device-model';

/**
 * The per-request limits a 2.x station publishes in its device model (`<Ctrlr>.ItemsPerMessage[<Action>]` and
 * `<Ctrlr>.BytesPerMessage[<Action>]`): a request listing more items than its limit is answered with CALLERROR
 * OccurrenceConstraintViolation instead of a result (2.0.1 B06.FR.16 for GetVariables, N04.FR.09 for
 * SetVariableMonitoring), and a request whose frame is longer than its byte limit with CALLERROR FormatViolation
 * (B06.FR.17 for GetVariables). SetVariables, ClearVariableMonitoring and SetVariableMonitoring's byte limit follow
 * the same rules with their own variables, and so does GetReport (its `componentVariable` list). SendLocalList's
 * limits are `LocalAuthListCtrlr.ItemsPerMessage` and `.BytesPerMessage` without an instance (2.0.1 D01.FR.11: the
 * CSMS must stay within them). What a limit may be: see messageLimit.
 */
const LIMITS: Record<string, { component: string; list: string; perAction: boolean }> = {
  GetVariables: { component: 'DeviceDataCtrlr', list: 'getVariableData', perAction: true },
  SetVariables: { component: 'DeviceDataCtrlr', list: 'setVariableData', perAction: true },
  // The [GetReport] instance limits the request's componentVariable list (the station chooses its reports' parts).
  GetReport: { component: 'DeviceDataCtrlr', list: 'componentVariable', perAction: true },
  SetVariableMonitoring: { component: 'MonitoringCtrlr', list: 'setMonitoringData', perAction: true },
  ClearVariableMonitoring: { component: 'MonitoringCtrlr', list: 'id', perAction: true },
  SendLocalList: { component: 'LocalAuthListCtrlr', list: 'localAuthorizationList', perAction: false },
};

/**
 * The CALLERROR for a request over one of its limits; undefined when the request is within them (or has none).
 * `bytes` is the length of the request's frame as it arrived (undefined: not known, the byte limit is not checked).
 * The item limit is checked first: a request over both gets OccurrenceConstraintViolation.
 */
export function overItemLimit(
  device: Pick<DeviceModel, 'int'>,
  action: string,
  payload: Readonly<Record<string, unknown>>,
  bytes?: number,
): Answer {
  const rule = LIMITS[action];
  if (!rule) return undefined;
  const instance = rule.perAction ? action : undefined;
  const name = (variable: string): string =>
    `${rule.component}.${variable}${instance === undefined ? '' : `[${instance}]`}`;
  const items = payload[rule.list];
  const limit = Array.isArray(items)
    ? messageLimit(device, rule.component, 'ItemsPerMessage', instance)
    : undefined;
  if (Array.isArray(items) && limit !== undefined && items.length > limit)
    return {
      error: 'OccurrenceConstraintViolation',
      description: `${items.length} items; ${name('ItemsPerMessage')} is ${limit}`,
    };
  if (bytes === undefined) return undefined;
  const byteLimit = messageLimit(device, rule.component, 'BytesPerMessage', instance);
  if (byteLimit === undefined || bytes <= byteLimit) return undefined;
  return {
    error: 'FormatViolation',
    description: `${bytes} bytes; ${name('BytesPerMessage')} is ${byteLimit}`,
  };
}

/**
 * A per-message limit (`ItemsPerMessage`, `BytesPerMessage`) as the device model holds it, or undefined when the
 * station publishes none: the model has no such variable, or its value is not a whole number above 0 (0, negative,
 * a fraction, empty, "abc": OCPP 2.x defines these as integers greater than 0, so such a value limits nothing). The
 * settings and SetVariables cannot give such a value (these variables are read-only integers of at least 1,
 * device-model-variables.ts; the settings check refuses 0 or "abc"), only the engine itself through setInternal.
 * The one reading of these variables: a request is then not refused for its size (overItemLimit), and the station's
 * own reports are cut at their default size (reportLimits).
 */
export function messageLimit(
  device: Pick<DeviceModel, 'int'>,
  component: string,
  variable: string,
  instance: string | undefined,
): number | undefined {
  const n = device.int(component, variable, 0, instance);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

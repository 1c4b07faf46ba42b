import type { Answer } from './charger-types';
import type { DeviceModel } from './device-model';

/**
 * The per-request limits a 2.x station publishes in its device model (`<Ctrlr>.ItemsPerMessage[<Action>]` and
 * `<Ctrlr>.BytesPerMessage[<Action>]`): a request listing more items than its limit is answered with CALLERROR
 * OccurrenceConstraintViolation instead of a result (2.0.1 B06.FR.16 for GetVariables, N04.FR.09 for
 * SetVariableMonitoring), and a request whose frame is longer than its byte limit with CALLERROR FormatViolation
 * (B06.FR.17 for GetVariables). SetVariables, ClearVariableMonitoring and SetVariableMonitoring's byte limit follow
 * the same rules with their own variables, and so does GetReport (its `componentVariable` list). SendLocalList's limits are `LocalAuthListCtrlr.ItemsPerMessage` and
 * `.BytesPerMessage` without an instance (2.0.1 D01.FR.11: the CSMS must stay within them). A limit of 0 or one that
 * is not a number means no limit.
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
  device: DeviceModel,
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
  const limit = Array.isArray(items) ? device.int(rule.component, 'ItemsPerMessage', 0, instance) : 0;
  if (Array.isArray(items) && limit > 0 && items.length > limit)
    return {
      error: 'OccurrenceConstraintViolation',
      description: `${items.length} items; ${name('ItemsPerMessage')} is ${limit}`,
    };
  if (bytes === undefined) return undefined;
  const byteLimit = device.int(rule.component, 'BytesPerMessage', 0, instance);
  if (!(byteLimit > 0) || bytes <= byteLimit) return undefined;
  return {
    error: 'FormatViolation',
    description: `${bytes} bytes; ${name('BytesPerMessage')} is ${byteLimit}`,
  };
}

import type { Answer } from './charger-types';
import type { DeviceModel } from './device-model';

/**
 * The per-request limits a 2.x station publishes in its device model (`<Ctrlr>.ItemsPerMessage[<Action>]` and
 * `<Ctrlr>.BytesPerMessage[<Action>]`): a request listing more items than its limit is answered with CALLERROR
 * OccurrenceConstraintViolation instead of a result (2.0.1 B06.FR.16 for GetVariables, N04.FR.09 for
 * SetVariableMonitoring), and a request whose frame is longer than its byte limit with CALLERROR FormatViolation
 * (B06.FR.17 for GetVariables). SetVariables, ClearVariableMonitoring and SetVariableMonitoring's byte limit follow
 * the same rules with their own variables. A limit of 0 or one that is not a number means no limit.
 */
const LIMITS: Record<string, { component: string; list: string }> = {
  GetVariables: { component: 'DeviceDataCtrlr', list: 'getVariableData' },
  SetVariables: { component: 'DeviceDataCtrlr', list: 'setVariableData' },
  SetVariableMonitoring: { component: 'MonitoringCtrlr', list: 'setMonitoringData' },
  ClearVariableMonitoring: { component: 'MonitoringCtrlr', list: 'id' },
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
  const items = payload[rule.list];
  const limit = Array.isArray(items) ? device.int(rule.component, 'ItemsPerMessage', 0, action) : 0;
  if (Array.isArray(items) && limit > 0 && items.length > limit)
    return {
      error: 'OccurrenceConstraintViolation',
      description: `${items.length} items; ${rule.component}.ItemsPerMessage[${action}] is ${limit}`,
    };
  if (bytes === undefined) return undefined;
  const byteLimit = device.int(rule.component, 'BytesPerMessage', 0, action);
  if (!(byteLimit > 0) || bytes <= byteLimit) return undefined;
  return {
    error: 'FormatViolation',
    description: `${bytes} bytes; ${rule.component}.BytesPerMessage[${action}] is ${byteLimit}`,
  };
}

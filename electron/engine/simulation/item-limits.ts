import type { Answer } from './charger-types';
import type { DeviceModel } from './device-model';

/**
 * The per-request item limits a 2.x station publishes in its device model (`<Ctrlr>.ItemsPerMessage[<Action>]`): a
 * request listing more items than its limit is answered with CALLERROR OccurrenceConstraintViolation instead of a
 * result (2.0.1 B06.FR.16 for GetVariables, N04.FR.09 for SetVariableMonitoring; SetVariables and
 * ClearVariableMonitoring follow the same rule with their own variables). A limit of 0 or one that is not a number
 * means no limit.
 */
const LIMITS: Record<string, { component: string; list: string }> = {
  GetVariables: { component: 'DeviceDataCtrlr', list: 'getVariableData' },
  SetVariables: { component: 'DeviceDataCtrlr', list: 'setVariableData' },
  SetVariableMonitoring: { component: 'MonitoringCtrlr', list: 'setMonitoringData' },
  ClearVariableMonitoring: { component: 'MonitoringCtrlr', list: 'id' },
};

/** The CALLERROR for a request over its item limit; undefined when the request is within it (or has none). */
export function overItemLimit(
  device: DeviceModel,
  action: string,
  payload: Readonly<Record<string, unknown>>,
): Answer {
  const rule = LIMITS[action];
  if (!rule) return undefined;
  const items = payload[rule.list];
  if (!Array.isArray(items)) return undefined;
  const limit = device.int(rule.component, 'ItemsPerMessage', 0, action);
  if (!(limit > 0) || items.length <= limit) return undefined;
  return {
    error: 'OccurrenceConstraintViolation',
    description: `${items.length} items; ${rule.component}.ItemsPerMessage[${action}] is ${limit}`,
  };
}

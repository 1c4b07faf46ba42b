import type { VariableDef } from './device-model';
import type { Monitor } from './monitoring';

/**
 * The monitors a simulated 2.x station comes with (see monitoring.ts): per connector a hard-wired one that raises an
 * alert on its Problem, per EVSE a pre-configured one on its power above its maximum. Made once per set of variable
 * definitions (per EVSE count) and shared by every station with that count.
 */

/** Severity of a connector's Problem (OCPP's scale: 0 Danger ... 9 Debug; 1 is a hardware failure). */
export const PROBLEM_SEVERITY = 1;

const BUILTINS = new WeakMap<readonly VariableDef[], Monitor[]>();

/** Hard-wired: a connector's Problem raises an alert. Pre-configured: an EVSE's power above its maximum. */
export function builtinsOf(defs: readonly VariableDef[]): Monitor[] {
  let list = BUILTINS.get(defs);
  if (list) return list;
  list = [];
  let id = 1;
  for (const def of defs)
    if (def.component === 'Connector' && def.variable === 'Problem')
      list.push({
        id: id++,
        def,
        type: 'UpperThreshold',
        value: 0,
        severity: PROBLEM_SEVERITY,
        transaction: false,
        kind: 'HardWiredMonitor',
      });
  for (const def of defs)
    if (def.component === 'EVSE' && def.variable === 'Power')
      list.push({
        id: id++,
        def,
        type: 'UpperThreshold',
        value: Number(def.attributes.MaxSet ?? 22_080),
        severity: 4,
        transaction: true,
        kind: 'PreconfiguredMonitor',
      });
  BUILTINS.set(defs, list);
  return list;
}

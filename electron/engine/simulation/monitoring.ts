import type { JsonObject, JsonValue } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import type { DeviceModel, VariableDef } from './device-model';
import { componentJson, monitorable, numericValue, variableJson } from './device-model';
import { builtinsOf } from './builtin-monitors';

export { PROBLEM_SEVERITY } from './builtin-monitors';

/**
 * Variable monitoring of a 2.0.1 / 2.1 station (functional block N): monitors on device-model variables (hard-wired,
 * pre-configured and the CSMS's custom ones), the monitoring base and level, and the events monitors raise when a
 * value crosses a threshold, moves by a delta or a period comes round. Pure: values come from the DeviceModel, time
 * as `now`; the charger model turns events into NotifyEvent. Hard-wired and pre-configured monitors are defined once
 * per EVSE count and shared; a station keeps only its custom monitors and the state of monitors that fired.
 */

export type MonitorType =
  | 'UpperThreshold'
  | 'LowerThreshold'
  | 'Delta'
  | 'Periodic'
  | 'PeriodicClockAligned'
  | 'TargetDelta'
  | 'TargetDeltaRelative';

export type MonitorKind = 'HardWiredMonitor' | 'PreconfiguredMonitor' | 'CustomMonitor';
export type MonitoringBase = 'All' | 'FactoryDefault' | 'HardWiredOnly';

const TYPES: readonly string[] = [
  'UpperThreshold',
  'LowerThreshold',
  'Delta',
  'Periodic',
  'PeriodicClockAligned',
  'TargetDelta',
  'TargetDeltaRelative',
];

export interface Monitor {
  id: number;
  def: VariableDef;
  type: MonitorType;
  value: number;
  severity: number;
  transaction: boolean;
  kind: MonitorKind;
}

/** What a monitor raised: NotifyEvent's eventData before its event id. */
export interface MonitorEvent {
  monitor: Monitor;
  trigger: 'Alerting' | 'Delta' | 'Periodic';
  actualValue: string;
  cleared?: boolean;
  transactionId?: string;
  at: number;
}

/** Per monitor: a threshold past its value, the value a delta is measured from, when a period comes round. */
interface MonitorState {
  alerting?: boolean;
  reference?: string;
  due?: number;
}

/** Custom monitor ids start above the built-in ones of any station (at most 32 EVSEs, two built-ins each). */
const FIRST_CUSTOM_ID = 100;
/** A CSMS looping SetVariableMonitoring must not grow a station without end. */
export const MAX_CUSTOM_MONITORS = 1000;

const CRITERIA: Record<string, readonly MonitorType[]> = {
  ThresholdMonitoring: ['UpperThreshold', 'LowerThreshold'],
  DeltaMonitoring: ['Delta', 'TargetDelta', 'TargetDeltaRelative'],
  PeriodicMonitoring: ['Periodic', 'PeriodicClockAligned'],
};

export type SetMonitoringStatus =
  'Accepted' | 'UnknownComponent' | 'UnknownVariable' | 'UnsupportedMonitorType' | 'Rejected' | 'Duplicate';

export class Monitoring {
  base: MonitoringBase = 'All';
  /** Events of monitors with a severity above this are not reported (0 Danger ... 9 Debug: 9 reports all). */
  level = 9;
  private custom: Map<number, Monitor> | undefined;
  /** Pre-configured monitors the CSMS cleared (until a base brings them back). */
  private clearedBuiltins: Set<number> | undefined;
  private state: Map<number, MonitorState> | undefined;
  private nextId = FIRST_CUSTOM_ID;
  private readonly builtins: Monitor[];

  constructor(private readonly device: DeviceModel) {
    this.builtins = builtinsOf(device.definitions);
  }

  /** The monitors in force, built-in first. */
  active(): Monitor[] {
    const out: Monitor[] = [];
    for (const m of this.builtins) {
      if (m.kind === 'PreconfiguredMonitor' && this.base === 'HardWiredOnly') continue;
      if (this.clearedBuiltins?.has(m.id)) continue;
      out.push(this.custom?.get(m.id) ?? m);
    }
    for (const m of this.custom?.values() ?? []) if (m.kind === 'CustomMonitor') out.push(m);
    return out;
  }

  private byId(id: number): Monitor | undefined {
    return this.active().find((m) => m.id === id);
  }

  /** The SetMonitoringResult refusing an item as it is. */
  refuse(item: JsonObject): JsonObject {
    return resultOf(item, 'Rejected');
  }

  /** One SetMonitoringResult for one SetMonitoringData item; an accepted monitor is in force at once. */
  set(item: JsonObject, now: number): JsonObject {
    const type = typeof item['type'] === 'string' ? item['type'] : '';
    const severity = typeof item['severity'] === 'number' ? item['severity'] : -1;
    const value = typeof item['value'] === 'number' ? item['value'] : NaN;
    const id = typeof item['id'] === 'number' ? item['id'] : undefined;
    const result = (status: SetMonitoringStatus, monitorId = id): JsonObject =>
      resultOf(item, status, monitorId);
    const def = this.device.resolve(item);
    if (typeof def === 'string') return result(def);
    if (!TYPES.includes(type)) return result('UnsupportedMonitorType');
    const t = type as MonitorType;
    if (!monitorable(def)) return result('UnsupportedMonitorType');
    const numeric = def.dataType === 'integer' || def.dataType === 'decimal';
    if ((t === 'UpperThreshold' || t === 'LowerThreshold') && !numeric)
      return result('UnsupportedMonitorType');
    // Target deltas compare the Actual value with the Target attribute: numeric variables that have one (EVSE.Power).
    if ((t === 'TargetDelta' || t === 'TargetDeltaRelative') && (!numeric || !('Target' in def.attributes)))
      return result('UnsupportedMonitorType');
    if (!Number.isInteger(severity) || severity < 0 || severity > 9 || !Number.isFinite(value))
      return result('Rejected');
    if (
      ((t === 'Delta' || t === 'TargetDelta' || t === 'TargetDeltaRelative') && value < 0) ||
      ((t === 'Periodic' || t === 'PeriodicClockAligned') && value <= 0)
    )
      return result('Rejected');
    let kind: MonitorKind = 'CustomMonitor';
    if (id !== undefined) {
      // An id replaces that monitor: it must exist, watch this variable, and not be hard-wired.
      const old = this.byId(id);
      if (!old || old.def !== def || old.kind === 'HardWiredMonitor') return result('Rejected');
      kind = old.kind;
    } else if ((this.custom?.size ?? 0) >= MAX_CUSTOM_MONITORS) return result('Rejected');
    const twin = this.active().find(
      (m) => m.def === def && m.type === t && m.severity === severity && m.id !== id,
    );
    if (twin) return result('Duplicate');
    const monitor: Monitor = {
      id: id ?? this.nextId++,
      def,
      type: t,
      value,
      severity,
      transaction: item['transaction'] === true,
      kind,
    };
    (this.custom ??= new Map()).set(monitor.id, monitor);
    this.state?.delete(monitor.id);
    this.start(monitor, now);
    return result('Accepted', monitor.id);
  }

  /** One ClearMonitoringResult: a hard-wired monitor cannot be cleared. */
  clear(id: number): JsonObject {
    const m = this.byId(id);
    if (!m) return { id, status: 'NotFound' };
    if (m.kind === 'HardWiredMonitor') return { id, status: 'Rejected' };
    this.custom?.delete(id);
    if (m.kind === 'PreconfiguredMonitor') (this.clearedBuiltins ??= new Set()).add(id);
    this.state?.delete(id);
    return { id, status: 'Accepted' };
  }

  /** SetMonitoringBase: All keeps the custom monitors; FactoryDefault and HardWiredOnly remove them. */
  setBase(base: MonitoringBase, now: number): void {
    this.base = base;
    this.clearedBuiltins = undefined;
    if (base !== 'All') this.custom = undefined;
    else
      for (const m of [...(this.custom?.values() ?? [])])
        // All restores the pre-configured monitors as the factory made them.
        if (m.kind === 'PreconfiguredMonitor') this.custom?.delete(m.id);
    this.state = undefined;
    for (const m of this.active()) this.start(m, now);
  }

  /** The MonitoringData of GetMonitoringReport: in-force monitors of the named variables, of the given kinds. */
  report(
    componentVariable: JsonValue | undefined,
    criteria: JsonValue | undefined,
    v21: boolean,
  ): JsonObject[] {
    const wanted = new Set(this.device.matching(componentVariable));
    const kinds = Array.isArray(criteria)
      ? criteria.flatMap((c) => (typeof c === 'string' ? (CRITERIA[c] ?? []) : []))
      : undefined;
    const byDef = new Map<VariableDef, JsonObject[]>();
    for (const m of this.active()) {
      if (!wanted.has(m.def) || (kinds && !kinds.includes(m.type))) continue;
      const entry: JsonObject = {
        id: m.id,
        transaction: m.transaction,
        value: m.value,
        type: m.type,
        severity: m.severity,
        ...(v21 ? { eventNotificationType: m.kind } : {}),
      };
      const list = byDef.get(m.def);
      if (list) list.push(entry);
      else byDef.set(m.def, [entry]);
    }
    return [...byDef].map(([d, variableMonitoring]) => ({
      component: componentJson(d),
      variable: variableJson(d),
      variableMonitoring,
    }));
  }

  /** Whether a monitor of the CSMS's watches a measured value (then the station polls it each second). */
  polls(): boolean {
    for (const m of this.custom?.values() ?? [])
      if (m.def.measured && m.type !== 'Periodic' && m.type !== 'PeriodicClockAligned') return true;
    return false;
  }

  /** When the next periodic monitor comes round (undefined: none). */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const s of this.state?.values() ?? [])
      if (s.due !== undefined && (next === undefined || s.due < next)) next = s.due;
    return next;
  }

  private stateOf(m: Monitor): MonitorState {
    let s = this.state?.get(m.id);
    if (!s) (this.state ??= new Map()).set(m.id, (s = {}));
    return s;
  }

  /** A new monitor measures from the value now; a periodic one starts its period. */
  private start(m: Monitor, now: number): void {
    if (m.type === 'Delta') this.stateOf(m).reference = this.device.value(m.def) ?? '';
    if (m.type === 'Periodic') this.stateOf(m).due = now + m.value * 1000;
    if (m.type === 'PeriodicClockAligned') this.stateOf(m).due = aligned(now, m.value);
  }

  /**
   * Compares every monitor in force with the values now and returns the events they raise (those above the level
   * are measured but not returned). `transactionOn` names the transaction running on an EVSE (any EVSE for a
   * component without one): a transaction monitor watches only while one runs.
   */
  evaluate(now: number, transactionOn: (evse: number | undefined) => string | undefined): MonitorEvent[] {
    const events: MonitorEvent[] = [];
    for (const m of this.active()) {
      const txId = transactionOn(m.def.evse);
      if (m.transaction && txId === undefined) {
        if (this.state?.get(m.id)?.alerting) this.stateOf(m).alerting = false;
        continue;
      }
      const actual = this.device.value(m.def) ?? '';
      const raise = (trigger: MonitorEvent['trigger'], cleared?: boolean): void => {
        if (m.severity > this.level) return;
        events.push({
          monitor: m,
          trigger,
          actualValue: actual,
          ...(cleared ? { cleared } : {}),
          // Linked to the transaction of its EVSE, or to the one a transaction monitor watches.
          ...(txId !== undefined && (m.transaction || m.def.evse !== undefined)
            ? { transactionId: txId }
            : {}),
          at: now,
        });
      };
      switch (m.type) {
        case 'UpperThreshold':
        case 'LowerThreshold': {
          const n = numericValue(m.def, actual);
          const past = m.type === 'UpperThreshold' ? n > m.value : n < m.value;
          const was = this.state?.get(m.id)?.alerting === true;
          if (past === was) break;
          this.stateOf(m).alerting = past;
          raise('Alerting', !past);
          break;
        }
        case 'Delta': {
          const s = this.stateOf(m);
          const ref = s.reference;
          if (ref === undefined) {
            s.reference = actual;
            break;
          }
          const a = numericValue(m.def, actual);
          const b = numericValue(m.def, ref);
          const moved = Number.isNaN(a) || Number.isNaN(b) ? actual !== ref : Math.abs(a - b) >= m.value;
          if (!moved || actual === ref) break;
          s.reference = actual;
          raise('Delta');
          break;
        }
        case 'TargetDelta':
        case 'TargetDeltaRelative': {
          // Off target by more than the value (TargetDeltaRelative: value × target): a Delta event when the Actual
          // value leaves the band round the Target, and one with `cleared` when it comes back.
          const a = numericValue(m.def, actual);
          const target = numericValue(m.def, this.device.value(m.def, 'Target'));
          if (Number.isNaN(a) || Number.isNaN(target)) break;
          const band = m.type === 'TargetDelta' ? m.value : Math.abs(m.value * target);
          const off = Math.abs(a - target) > band;
          const was = this.state?.get(m.id)?.alerting === true;
          if (off === was) break;
          this.stateOf(m).alerting = off;
          raise('Delta', !off);
          break;
        }
        case 'Periodic':
        case 'PeriodicClockAligned': {
          const s = this.stateOf(m);
          if (s.due === undefined) this.start(m, now);
          else if (now >= s.due) {
            s.due = m.type === 'Periodic' ? now + m.value * 1000 : aligned(now + 1, m.value);
            raise('Periodic');
          }
          break;
        }
        default:
          break;
      }
    }
    return events;
  }
}

function resultOf(item: JsonObject, status: SetMonitoringStatus, id?: number): JsonObject {
  return {
    ...(id !== undefined ? { id } : typeof item['id'] === 'number' ? { id: item['id'] } : {}),
    status,
    type: item['type'] ?? '',
    severity: item['severity'] ?? 0,
    component: item['component'] ?? {},
    variable: item['variable'] ?? {},
  };
}

/** The next time after `now` that is a whole multiple of `sec` seconds of the UTC day. */
function aligned(now: number, sec: number): number {
  const step = sec * 1000;
  return Math.ceil(now / step) * step;
}

/** NotifyEvent's eventData for one event, as the version shapes it (2.1 adds the severity). */
export function eventData(e: MonitorEvent, eventId: number, v21: boolean): JsonObject {
  const m = e.monitor;
  const data: JsonObject = {
    eventId,
    timestamp: new Date(e.at).toISOString(),
    trigger: e.trigger,
    actualValue: e.actualValue.slice(0, 2500),
    component: componentJson(m.def),
    variable: variableJson(m.def),
    variableMonitoringId: m.id,
    eventNotificationType: m.kind,
  };
  if (e.cleared) data['cleared'] = true;
  if (e.transactionId !== undefined) data['transactionId'] = e.transactionId;
  if (m.def.variable === 'Problem' && !e.cleared) data['techCode'] = 'OtherError';
  if (v21) data['severity'] = m.severity;
  return data;
}

/** SetMonitoringBase's value, if it is one. */
export function monitoringBaseOf(v: JsonValue | undefined): MonitoringBase | undefined {
  return v === 'All' || v === 'FactoryDefault' || v === 'HardWiredOnly' ? v : undefined;
}

export function itemsOf(v: JsonValue | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isJsonObject) : [];
}

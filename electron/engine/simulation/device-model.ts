import type { JsonObject, JsonValue } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import type { AttributeType, VariableAddress, VariableDef } from './device-model-variables';
import { buildDefs } from './device-model-variables';

export type { AttributeType, DataType, Mutability, VariableDef } from './device-model-variables';

/**
 * The OCPP 2.0.1 / 2.1 device model of a simulated charging station: components (with instance and EVSE/connector),
 * variables (with instance), attributes Actual/Target/MinSet/MaxSet with mutability, and characteristics. Definitions
 * are built once per EVSE count and shared; a station keeps only the values it changed.
 */

const DEFS_BY_COUNT = new Map<number, { list: VariableDef[]; components: Set<string> }>();

function defsFor(evses: number): { list: VariableDef[]; components: Set<string> } {
  let d = DEFS_BY_COUNT.get(evses);
  if (!d) {
    const list = buildDefs(evses);
    d = { list, components: new Set(list.map(componentKey)) };
    DEFS_BY_COUNT.set(evses, d);
  }
  return d;
}

function componentKey(
  d: Pick<VariableDef, 'component' | 'componentInstance' | 'evse' | 'connector'>,
): string {
  return `${d.component}|${d.componentInstance ?? ''}|${d.evse ?? ''}|${d.connector ?? ''}`;
}

function variableKey(d: VariableDef): string {
  return `${componentKey(d)}|${d.variable}|${d.variableInstance ?? ''}`;
}

/** A component/variable pair as the CSMS names it in a request. */
export interface Address {
  component: JsonObject;
  variable: JsonObject;
}

function addressOf(item: JsonObject): VariableAddress {
  const c = isJsonObject(item['component']) ? item['component'] : {};
  const v = isJsonObject(item['variable']) ? item['variable'] : {};
  const evse = isJsonObject(c['evse']) ? c['evse'] : undefined;
  const out: ReturnType<typeof addressOf> = {
    component: typeof c['name'] === 'string' ? c['name'] : '',
    variable: typeof v['name'] === 'string' ? v['name'] : '',
  };
  if (typeof c['instance'] === 'string') out.componentInstance = c['instance'];
  if (evse && typeof evse['id'] === 'number') out.evse = evse['id'];
  if (evse && typeof evse['connectorId'] === 'number') out.connector = evse['connectorId'];
  if (typeof v['instance'] === 'string') out.variableInstance = v['instance'];
  return out;
}

/** What validValue asks of a variable's value, in words. */
function valueRule(d: VariableDef): string {
  switch (d.dataType) {
    case 'integer':
      return d.minimum !== undefined ? `an integer of at least ${d.minimum}` : 'an integer';
    case 'decimal':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'dateTime':
      return 'a date and time';
    default:
      return d.valuesList ? `one or more of ${d.valuesList}` : 'at most 1000 characters';
  }
}

function validValue(d: VariableDef, value: string): boolean {
  if (value.length > 1000) return false;
  switch (d.dataType) {
    case 'integer':
      return /^-?\d+$/.test(value) && Number(value) >= (d.minimum ?? -Infinity);
    case 'decimal':
      return value.trim() !== '' && Number.isFinite(Number(value));
    case 'boolean':
      return value === 'true' || value === 'false';
    case 'dateTime':
      return !Number.isNaN(Date.parse(value));
    case 'OptionList':
      return !d.valuesList || d.valuesList.split(',').includes(value);
    case 'MemberList':
    case 'SequenceList':
      return (
        !d.valuesList ||
        value
          .split(',')
          .filter(Boolean)
          .every((x) => d.valuesList!.split(',').includes(x))
      );
    default:
      return true;
  }
}

export type GetStatus =
  'Accepted' | 'Rejected' | 'UnknownComponent' | 'UnknownVariable' | 'NotSupportedAttributeType';
export type SetStatus = GetStatus | 'RebootRequired';

/** One station's device model. */
export class DeviceModel {
  private values: Map<string, string> | undefined;
  private readonly defs: { list: VariableDef[]; components: Set<string> };
  private index: Map<string, VariableDef> | undefined;

  constructor(
    evses: number,
    /** Values the station knows live (measured, derived), by attribute; undefined: the stored or default one. */
    private readonly live: (d: VariableDef, type: AttributeType) => string | undefined = () => undefined,
  ) {
    this.defs = defsFor(evses);
  }

  private find(a: ReturnType<typeof addressOf>): VariableDef | 'UnknownComponent' | 'UnknownVariable' {
    // The index is shared in spirit but cheap: built per station only when the CSMS first asks.
    if (!this.index) this.index = new Map(this.defs.list.map((d) => [variableKey(d), d]));
    const base = {
      component: a.component,
      componentInstance: a.componentInstance,
      evse: a.evse,
      connector: a.connector,
    };
    if (!this.defs.components.has(componentKey(base))) return 'UnknownComponent';
    const d = this.index.get(`${componentKey(base)}|${a.variable}|${a.variableInstance ?? ''}`);
    return d ?? 'UnknownVariable';
  }

  /** The variable a request item names (its component and variable), or which of the two is unknown. */
  resolve(item: JsonObject): VariableDef | 'UnknownComponent' | 'UnknownVariable' {
    return this.find(addressOf(item));
  }

  /** Every variable definition, in report order. */
  get definitions(): readonly VariableDef[] {
    return this.defs.list;
  }

  private key(d: VariableDef, type: AttributeType): string {
    return `${variableKey(d)}|${type}`;
  }

  value(d: VariableDef, type: AttributeType = 'Actual'): string | undefined {
    if (type === 'Actual' || type === 'Target') {
      const l = this.live(d, type);
      if (l !== undefined) return l;
    }
    return this.values?.get(this.key(d, type)) ?? d.attributes[type];
  }

  /** A variable of a component without instance or EVSE, by name, or which of the two is unknown. */
  private named(
    component: string,
    variable: string,
    variableInstance?: string,
  ): VariableDef | 'UnknownComponent' | 'UnknownVariable' {
    return this.find({ component, variable, ...(variableInstance ? { variableInstance } : {}) });
  }

  /** Keeps a value the station changed (only those are kept; the others are the definitions' defaults). */
  private store(d: VariableDef, type: AttributeType, value: string): void {
    (this.values ??= new Map()).set(this.key(d, type), value);
  }

  /** The Actual value of a variable of a component without instance or EVSE. */
  get(component: string, variable: string, variableInstance?: string): string | undefined {
    const d = this.named(component, variable, variableInstance);
    return typeof d === 'string' ? undefined : this.value(d);
  }

  int(component: string, variable: string, fallback: number, instance?: string): number {
    const n = Number(this.get(component, variable, instance));
    return Number.isFinite(n) ? n : fallback;
  }

  list(component: string, variable: string): string[] {
    return (this.get(component, variable) ?? '').split(',').filter(Boolean);
  }

  /** Sets a value the station itself knows (identity, live state), bypassing mutability; false when the model has no
   * such variable. */
  setInternal(component: string, variable: string, value: string, variableInstance?: string): boolean {
    const d = this.named(component, variable, variableInstance);
    if (typeof d === 'string') return false;
    this.store(d, 'Actual', value);
    return true;
  }

  /**
   * Applies an initial configuration of `Component.Variable` or `Component.Variable[Instance]` keys. Returns the keys
   * that are not variables of this model and those whose value the variable cannot take (as SetVariables would
   * refuse it; e.g. a limit of 0 or "abc"), none of which is applied: a typo must not pass silently.
   */
  configure(config: Record<string, string>): { unknown: string[]; invalid: string[] } {
    const unknown: string[] = [];
    const invalid: string[] = [];
    for (const [k, v] of Object.entries(config)) {
      const m = /^([^.[\]]+)\.([^.[\]]+)(?:\[([^\]]+)\])?$/.exec(k);
      const d = m?.[1] && m[2] ? this.named(m[1], m[2], m[3]) : undefined;
      if (d === undefined || typeof d === 'string') unknown.push(k);
      else if (!validValue(d, v)) invalid.push(`${k}=${v} (${valueRule(d)})`);
      else this.store(d, 'Actual', v);
    }
    return { unknown, invalid };
  }

  /** One GetVariableResult for one requested item. */
  getItem(item: JsonObject): JsonObject {
    const a = addressOf(item);
    const type = (
      typeof item['attributeType'] === 'string' ? item['attributeType'] : 'Actual'
    ) as AttributeType;
    const result: JsonObject = {
      attributeStatus: 'Accepted',
      component: item['component'] ?? {},
      variable: item['variable'] ?? {},
    };
    if (typeof item['attributeType'] === 'string') result['attributeType'] = type;
    const d = this.find(a);
    if (typeof d === 'string') return { ...result, attributeStatus: d };
    if (!(type in d.attributes)) return { ...result, attributeStatus: 'NotSupportedAttributeType' };
    if (d.mutability === 'WriteOnly') return { ...result, attributeStatus: 'Rejected' };
    return { ...result, attributeValue: this.value(d, type) ?? '' };
  }

  /** One SetVariableResult for one requested item; `applied` runs for accepted changes. */
  setItem(item: JsonObject, applied: (d: VariableDef, value: string) => void): JsonObject {
    const a = addressOf(item);
    const type = (
      typeof item['attributeType'] === 'string' ? item['attributeType'] : 'Actual'
    ) as AttributeType;
    const value = typeof item['attributeValue'] === 'string' ? item['attributeValue'] : '';
    const result: JsonObject = {
      attributeStatus: 'Accepted',
      component: item['component'] ?? {},
      variable: item['variable'] ?? {},
    };
    if (typeof item['attributeType'] === 'string') result['attributeType'] = type;
    const d = this.find(a);
    if (typeof d === 'string') return { ...result, attributeStatus: d };
    if (!(type in d.attributes)) return { ...result, attributeStatus: 'NotSupportedAttributeType' };
    if (d.mutability === 'ReadOnly' || !validValue(d, value))
      return { ...result, attributeStatus: 'Rejected' };
    this.store(d, type, value);
    if (type === 'Actual') applied(d, value);
    return { ...result, attributeStatus: d.rebootRequired ? 'RebootRequired' : 'Accepted' };
  }

  /** The ReportData of a base report: every variable, the mutable ones, or the availability summary. */
  report(base: 'ConfigurationInventory' | 'FullInventory' | 'SummaryInventory'): JsonObject[] {
    const pick = this.defs.list.filter((d) =>
      base === 'FullInventory'
        ? true
        : base === 'ConfigurationInventory'
          ? d.mutability !== 'ReadOnly'
          : d.variable === 'AvailabilityState' || d.variable === 'Available',
    );
    return pick.map((d) => this.reportData(d));
  }

  /** The ReportData matching GetReport's componentVariable filters (all when none). */
  select(filters: JsonValue | undefined): JsonObject[] {
    if (!Array.isArray(filters) || filters.length === 0) return this.report('FullInventory');
    return this.matching(filters).map((d) => this.reportData(d));
  }

  /** The variables a componentVariable filter list names (a component alone names all its variables). */
  matching(filters: JsonValue | undefined): VariableDef[] {
    if (!Array.isArray(filters) || filters.length === 0) return [...this.defs.list];
    return this.defs.list.filter((d) =>
      filters.some((f) => {
        if (!isJsonObject(f)) return false;
        const a = addressOf({ component: f['component'] ?? {}, variable: f['variable'] ?? {} });
        if (a.component !== d.component) return false;
        if (a.componentInstance !== undefined && a.componentInstance !== d.componentInstance) return false;
        if (a.evse !== undefined && a.evse !== d.evse) return false;
        if (a.connector !== undefined && a.connector !== d.connector) return false;
        if (!isJsonObject(f['variable'])) return true;
        return (
          a.variable === d.variable &&
          (a.variableInstance === undefined || a.variableInstance === d.variableInstance)
        );
      }),
    );
  }

  private reportData(d: VariableDef): JsonObject {
    const component = componentJson(d);
    const variable = variableJson(d);
    const attrs: JsonObject[] = [];
    for (const type of ['Actual', 'Target', 'MinSet', 'MaxSet'] as const) {
      if (!(type in d.attributes)) continue;
      const a: JsonObject = { type, mutability: d.mutability };
      if (d.mutability !== 'WriteOnly') a['value'] = this.value(d, type) ?? '';
      attrs.push(a);
    }
    const characteristics: JsonObject = { dataType: d.dataType, supportsMonitoring: monitorable(d) };
    if (d.unit) characteristics['unit'] = d.unit;
    if (d.valuesList) characteristics['valuesList'] = d.valuesList;
    return { component, variable, variableAttribute: attrs, variableCharacteristics: characteristics };
  }
}

/** The component of a variable as OCPP names it (ComponentType). */
export function componentJson(d: VariableDef): JsonObject {
  const component: JsonObject = { name: d.component };
  if (d.componentInstance) component['instance'] = d.componentInstance;
  if (d.evse !== undefined)
    component['evse'] = d.connector !== undefined ? { id: d.evse, connectorId: d.connector } : { id: d.evse };
  return component;
}

/** The variable as OCPP names it (VariableType). */
export function variableJson(d: VariableDef): JsonObject {
  const variable: JsonObject = { name: d.variable };
  if (d.variableInstance) variable['instance'] = d.variableInstance;
  return variable;
}

/** Whether monitors may watch the variable: any it can read (a write-only secret or the clock cannot be). */
export function monitorable(d: VariableDef): boolean {
  return d.mutability !== 'WriteOnly' && d.dataType !== 'dateTime';
}

/** A variable's value as a number for threshold and delta monitors (booleans count 0/1); NaN when not numeric. */
export function numericValue(d: VariableDef, value: string | undefined): number {
  if (value === undefined) return NaN;
  if (d.dataType === 'boolean') return value === 'true' ? 1 : value === 'false' ? 0 : NaN;
  if (d.dataType !== 'integer' && d.dataType !== 'decimal') return NaN;
  return value.trim() === '' ? NaN : Number(value);
}

/** The keys of a 2.x initial configuration that name no variable of the device model, or a value it cannot take. */
export function deviceConfigProblems(
  evses: number,
  config: Record<string, string>,
): { unknown: string[]; invalid: string[] } {
  return new DeviceModel(evses).configure(config);
}

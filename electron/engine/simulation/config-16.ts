/**
 * The OCPP 1.6 configuration keys of a simulated charge point: the standard keys (core, local auth list, reservation,
 * smart charging, security extension) with their types and read-only flags, plus any the user adds. Definitions are
 * shared by every station; a station keeps only the values it changed.
 */

export type KeyType = 'int' | 'bool' | 'string' | 'csl';

export interface KeyDef {
  type: KeyType;
  value: string;
  readonly?: boolean;
  /** Changing it only takes effect after a reboot (ChangeConfiguration answers RebootRequired). */
  reboot?: boolean;
  /** Its value is never reported (1.6 security: AuthorizationKey). */
  writeOnly?: boolean;
  /** For csl keys: the items allowed. */
  items?: readonly string[];
  min?: number;
}

export const MEASURANDS_16 = [
  'Energy.Active.Import.Register',
  'Power.Active.Import',
  'Current.Import',
  'Voltage',
  'SoC',
] as const;

const STANDARD: Record<string, KeyDef> = {
  AllowOfflineTxForUnknownId: { type: 'bool', value: 'false' },
  AuthorizationCacheEnabled: { type: 'bool', value: 'true' },
  AuthorizeRemoteTxRequests: { type: 'bool', value: 'false' },
  BlinkRepeat: { type: 'int', value: '3', min: 0 },
  ClockAlignedDataInterval: { type: 'int', value: '0', min: 0 },
  ConnectionTimeOut: { type: 'int', value: '60', min: 0 },
  ConnectorPhaseRotation: { type: 'csl', value: '0.RST,1.RST,2.RST', reboot: true },
  ConnectorPhaseRotationMaxLength: { type: 'int', value: '10', readonly: true },
  GetConfigurationMaxKeys: { type: 'int', value: '100', readonly: true },
  HeartbeatInterval: { type: 'int', value: '300', min: 0 },
  LightIntensity: { type: 'int', value: '50', min: 0 },
  LocalAuthorizeOffline: { type: 'bool', value: 'true' },
  LocalPreAuthorize: { type: 'bool', value: 'false' },
  MaxEnergyOnInvalidId: { type: 'int', value: '0', min: 0 },
  MeterValuesAlignedData: { type: 'csl', value: 'Energy.Active.Import.Register', items: MEASURANDS_16 },
  MeterValuesAlignedDataMaxLength: { type: 'int', value: '5', readonly: true },
  MeterValuesSampledData: {
    type: 'csl',
    value: 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC',
    items: MEASURANDS_16,
  },
  MeterValuesSampledDataMaxLength: { type: 'int', value: '5', readonly: true },
  MeterValueSampleInterval: { type: 'int', value: '60', min: 0 },
  MinimumStatusDuration: { type: 'int', value: '0', min: 0 },
  ResetRetries: { type: 'int', value: '3', min: 0 },
  StopTransactionOnEVSideDisconnect: { type: 'bool', value: 'true' },
  StopTransactionOnInvalidId: { type: 'bool', value: 'true' },
  StopTxnAlignedData: { type: 'csl', value: '', items: MEASURANDS_16 },
  StopTxnAlignedDataMaxLength: { type: 'int', value: '5', readonly: true },
  StopTxnSampledData: { type: 'csl', value: 'Energy.Active.Import.Register', items: MEASURANDS_16 },
  StopTxnSampledDataMaxLength: { type: 'int', value: '5', readonly: true },
  SupportedFeatureProfiles: {
    type: 'csl',
    value: 'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger',
    readonly: true,
  },
  SupportedFeatureProfilesMaxLength: { type: 'int', value: '6', readonly: true },
  TransactionMessageAttempts: { type: 'int', value: '3', min: 0 },
  TransactionMessageRetryInterval: { type: 'int', value: '10', min: 0 },
  UnlockConnectorOnEVSideDisconnect: { type: 'bool', value: 'true' },
  WebSocketPingInterval: { type: 'int', value: '0', min: 0 },
  LocalAuthListEnabled: { type: 'bool', value: 'true' },
  LocalAuthListMaxLength: { type: 'int', value: '1000', readonly: true },
  SendLocalListMaxLength: { type: 'int', value: '100', readonly: true },
  ReserveConnectorZeroSupported: { type: 'bool', value: 'false', readonly: true },
  ChargeProfileMaxStackLevel: { type: 'int', value: '10', readonly: true },
  ChargingScheduleAllowedChargingRateUnit: { type: 'csl', value: 'Current,Power', readonly: true },
  ChargingScheduleMaxPeriods: { type: 'int', value: '24', readonly: true },
  MaxChargingProfilesInstalled: { type: 'int', value: '20', readonly: true },
  AuthorizationKey: { type: 'string', value: '', writeOnly: true },
  SecurityProfile: { type: 'int', value: '0', min: 0 },
  CpoName: { type: 'string', value: '' },
};

export type ChangeStatus = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';

export interface ConfigurationKey {
  key: string;
  readonly: boolean;
  value?: string;
}

function valid(def: KeyDef, value: string): boolean {
  if (value.length > 500) return false;
  switch (def.type) {
    case 'int':
      return /^-?\d+$/.test(value.trim()) && Number(value) >= (def.min ?? -Infinity);
    case 'bool':
      return /^(true|false)$/i.test(value.trim());
    case 'csl':
      return (
        !def.items ||
        value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .every((s) => def.items!.includes(s))
      );
    default:
      return true;
  }
}

function indexOfKey(values: readonly string[], key: string): number {
  for (let i = 0; i < values.length; i += 2) if (values[i] === key) return i;
  return -1;
}

/** One station's configuration: shared definitions, its own changed values. */
export class Config16 {
  /**
   * The values this station changed, as key, value, key, value: a station changes a few (the heartbeat interval
   * from its boot answer, always), and a Map for one or two entries costs several times the entries themselves.
   */
  private values: string[] | undefined;
  private extra: Map<string, KeyDef> | undefined;

  constructor(
    private readonly connectors: number,
    userKeys?: Record<string, string>,
  ) {
    for (const [k, v] of Object.entries(userKeys ?? {})) {
      if (Object.hasOwn(STANDARD, k)) this.setValue(k, v);
      else (this.extra ??= new Map()).set(k, { type: 'string', value: v });
    }
  }

  private def(key: string): KeyDef | undefined {
    if (key === 'NumberOfConnectors') return { type: 'int', value: String(this.connectors), readonly: true };
    return Object.hasOwn(STANDARD, key) ? STANDARD[key] : this.extra?.get(key);
  }

  private setValue(key: string, value: string): void {
    const values = this.values;
    const i = values === undefined ? -1 : indexOfKey(values, key);
    if (i >= 0) values![i + 1] = value;
    // A new array of exactly the size needed: changes are rare, reads frequent.
    else this.values = values === undefined ? [key, value] : values.concat(key, value);
  }

  get(key: string): string | undefined {
    const values = this.values;
    const i = values === undefined ? -1 : indexOfKey(values, key);
    return i >= 0 ? values![i + 1] : this.def(key)?.value;
  }

  int(key: string, fallback: number): number {
    const n = Number(this.get(key));
    return Number.isFinite(n) ? n : fallback;
  }

  bool(key: string): boolean {
    return this.get(key)?.toLowerCase() === 'true';
  }

  list(key: string): string[] {
    return (this.get(key) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  /** ChangeConfiguration: unknown keys are NotSupported, read-only keys and bad values Rejected. */
  change(key: string, value: string): ChangeStatus {
    const def = this.def(key);
    if (!def) return 'NotSupported';
    if (def.readonly || !valid(def, value)) return 'Rejected';
    this.setValue(key, def.type === 'bool' ? value.trim().toLowerCase() : value);
    return def.reboot ? 'RebootRequired' : 'Accepted';
  }

  /** GetConfiguration: the keys asked for (all when none), the unknown ones apart, in the order asked. */
  read(keys: readonly string[] | undefined): { known: ConfigurationKey[]; unknown: string[] } {
    const names = keys && keys.length > 0 ? keys : this.allKeys();
    const known: ConfigurationKey[] = [];
    const unknown: string[] = [];
    for (const key of names) {
      const def = this.def(key);
      if (!def) {
        unknown.push(key);
        continue;
      }
      const entry: ConfigurationKey = { key, readonly: def.readonly === true };
      if (!def.writeOnly) entry.value = this.get(key) ?? '';
      known.push(entry);
    }
    return { known, unknown };
  }

  allKeys(): string[] {
    return [...Object.keys(STANDARD), 'NumberOfConnectors', ...(this.extra?.keys() ?? [])];
  }
}

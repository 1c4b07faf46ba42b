/**
 * The variables of a simulated 2.0.1 / 2.1 station's device model (see device-model.ts): the controllers' standard
 * variables with their types, mutability and defaults, and per EVSE its availability, power and connector.
 */

export type AttributeType = 'Actual' | 'Target' | 'MinSet' | 'MaxSet';
export type Mutability = 'ReadOnly' | 'WriteOnly' | 'ReadWrite';
export type DataType =
  'string' | 'decimal' | 'integer' | 'dateTime' | 'boolean' | 'OptionList' | 'SequenceList' | 'MemberList';

/** Where a variable lives: component (with instance and EVSE/connector) and variable (with instance). */
export interface VariableAddress {
  component: string;
  componentInstance?: string;
  evse?: number;
  connector?: number;
  variable: string;
  variableInstance?: string;
}

export interface VariableDef extends VariableAddress {
  dataType: DataType;
  unit?: string;
  valuesList?: string;
  /** Attribute values by type (Actual is always there). */
  attributes: Partial<Record<AttributeType, string>>;
  mutability: Mutability;
  rebootRequired?: boolean;
  minimum?: number;
  /** The value moves by itself (a measured power): monitors on it are polled, not only told of changes. */
  measured?: boolean;
}

/** The languages the simulated display can show (RFC 5646 primary subtags). */
export const DISPLAY_LANGUAGES = 'en,de,fr,nl,es,it';

export const MEASURANDS_2X = 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC';

function v(
  component: string,
  variable: string,
  dataType: DataType,
  actual: string,
  mutability: Mutability = 'ReadWrite',
  more: Partial<VariableDef> = {},
): VariableDef {
  return { component, variable, dataType, attributes: { Actual: actual }, mutability, ...more };
}

/**
 * A controller's read-only limits per message (ItemsPerMessage, then BytesPerMessage, each with minimum 1): one pair
 * per message instance, or one pair without an instance.
 */
function perMessageLimits(
  component: string,
  items: number,
  instances: (string | undefined)[],
): VariableDef[] {
  const limit = (variable: string, actual: string, instance: string | undefined): VariableDef =>
    v(component, variable, 'integer', actual, 'ReadOnly', {
      minimum: 1,
      ...(instance === undefined ? {} : { variableInstance: instance }),
    });
  return [
    ...instances.map((i) => limit('ItemsPerMessage', String(items), i)),
    ...instances.map((i) => limit('BytesPerMessage', '65000', i)),
  ];
}

export function buildDefs(evses: number): VariableDef[] {
  const defs: VariableDef[] = [
    v('OCPPCommCtrlr', 'HeartbeatInterval', 'integer', '300', 'ReadWrite', { unit: 's', minimum: 0 }),
    v('OCPPCommCtrlr', 'MessageTimeout', 'integer', '30', 'ReadOnly', {
      unit: 's',
      variableInstance: 'Default',
    }),
    v('OCPPCommCtrlr', 'MessageAttempts', 'integer', '3', 'ReadWrite', {
      variableInstance: 'TransactionEvent',
      minimum: 0,
    }),
    v('OCPPCommCtrlr', 'MessageAttemptInterval', 'integer', '10', 'ReadWrite', {
      variableInstance: 'TransactionEvent',
      unit: 's',
      minimum: 0,
    }),
    v('OCPPCommCtrlr', 'NetworkConfigurationPriority', 'SequenceList', '0', 'ReadWrite', {
      rebootRequired: true,
    }),
    v('OCPPCommCtrlr', 'NetworkProfileConnectionAttempts', 'integer', '3', 'ReadWrite', { minimum: 0 }),
    v('OCPPCommCtrlr', 'OfflineThreshold', 'integer', '60', 'ReadWrite', { unit: 's', minimum: 0 }),
    v('OCPPCommCtrlr', 'ResetRetries', 'integer', '3', 'ReadWrite', { minimum: 0 }),
    v('OCPPCommCtrlr', 'WebSocketPingInterval', 'integer', '0', 'ReadWrite', { unit: 's', minimum: 0 }),
    v('OCPPCommCtrlr', 'FileTransferProtocols', 'MemberList', 'HTTP,HTTPS,FTP,FTPS', 'ReadOnly', {
      valuesList: 'FTP,FTPS,HTTP,HTTPS,SFTP',
    }),
    ...perMessageLimits('DeviceDataCtrlr', 50, ['GetReport', 'GetVariables', 'SetVariables']),
    v('AlignedDataCtrlr', 'Interval', 'integer', '0', 'ReadWrite', { unit: 's', minimum: 0 }),
    v('AlignedDataCtrlr', 'Measurands', 'MemberList', 'Energy.Active.Import.Register', 'ReadWrite', {
      valuesList: MEASURANDS_2X,
    }),
    v('SampledDataCtrlr', 'Enabled', 'boolean', 'true'),
    v('SampledDataCtrlr', 'TxUpdatedInterval', 'integer', '60', 'ReadWrite', { unit: 's', minimum: 0 }),
    v('SampledDataCtrlr', 'TxUpdatedMeasurands', 'MemberList', MEASURANDS_2X, 'ReadWrite', {
      valuesList: MEASURANDS_2X,
    }),
    v('SampledDataCtrlr', 'TxEndedMeasurands', 'MemberList', 'Energy.Active.Import.Register', 'ReadWrite', {
      valuesList: MEASURANDS_2X,
    }),
    v('SampledDataCtrlr', 'TxStartedMeasurands', 'MemberList', 'Energy.Active.Import.Register', 'ReadWrite', {
      valuesList: MEASURANDS_2X,
    }),
    v('TxCtrlr', 'EVConnectionTimeOut', 'integer', '60', 'ReadWrite', { unit: 's', minimum: 0 }),
    v('TxCtrlr', 'StopTxOnEVSideDisconnect', 'boolean', 'true', 'ReadOnly'),
    v('TxCtrlr', 'StopTxOnInvalidId', 'boolean', 'true'),
    v('TxCtrlr', 'TxStartPoint', 'MemberList', 'EVConnected,Authorized', 'ReadWrite', {
      valuesList: 'ParkingBayOccupancy,EVConnected,Authorized,DataSigned,PowerPathClosed,EnergyTransfer',
    }),
    v('TxCtrlr', 'TxStopPoint', 'MemberList', 'EVConnected,Authorized', 'ReadWrite', {
      valuesList: 'ParkingBayOccupancy,EVConnected,Authorized,DataSigned,PowerPathClosed,EnergyTransfer',
    }),
    v('AuthCtrlr', 'Enabled', 'boolean', 'true'),
    v('AuthCtrlr', 'AuthorizeRemoteStart', 'boolean', 'false'),
    v('AuthCtrlr', 'LocalAuthorizeOffline', 'boolean', 'true'),
    v('AuthCtrlr', 'LocalPreAuthorize', 'boolean', 'false'),
    v('AuthCacheCtrlr', 'Enabled', 'boolean', 'true'),
    v('AuthCacheCtrlr', 'LifeTime', 'integer', '86400', 'ReadWrite', { unit: 's', minimum: 0 }),
    v('LocalAuthListCtrlr', 'Enabled', 'boolean', 'true'),
    v('LocalAuthListCtrlr', 'Entries', 'integer', '0', 'ReadOnly'),
    ...perMessageLimits('LocalAuthListCtrlr', 100, [undefined]),
    v('ReservationCtrlr', 'Enabled', 'boolean', 'true'),
    v('ReservationCtrlr', 'NonEvseSpecific', 'boolean', 'false', 'ReadOnly'),
    v('SmartChargingCtrlr', 'Enabled', 'boolean', 'true'),
    v('SmartChargingCtrlr', 'ProfileStackLevel', 'integer', '10', 'ReadOnly'),
    v('SmartChargingCtrlr', 'PeriodsPerSchedule', 'integer', '24', 'ReadOnly'),
    v('SmartChargingCtrlr', 'RateUnit', 'MemberList', 'A,W', 'ReadOnly', { valuesList: 'A,W' }),
    v('SmartChargingCtrlr', 'Entries', 'integer', '0', 'ReadOnly', { variableInstance: 'ChargingProfiles' }),
    v('SecurityCtrlr', 'SecurityProfile', 'integer', '0', 'ReadOnly'),
    v('SecurityCtrlr', 'OrganizationName', 'string', 'OCPP Scope'),
    v('SecurityCtrlr', 'BasicAuthPassword', 'string', '', 'WriteOnly'),
    v('ClockCtrlr', 'DateTime', 'dateTime', '', 'ReadOnly'),
    v('ClockCtrlr', 'TimeSource', 'SequenceList', 'Heartbeat', 'ReadWrite', {
      valuesList: 'Heartbeat,NTP,GPS,RealTimeClock,MobileNetwork,RadioTimeTransmitter',
    }),
    v('ChargingStation', 'Available', 'boolean', 'true', 'ReadOnly'),
    v('ChargingStation', 'AvailabilityState', 'OptionList', 'Available', 'ReadOnly', {
      valuesList: 'Available,Occupied,Reserved,Unavailable,Faulted',
    }),
    v('ChargingStation', 'Model', 'string', '', 'ReadOnly'),
    v('ChargingStation', 'VendorName', 'string', '', 'ReadOnly'),
    v('ChargingStation', 'SerialNumber', 'string', '', 'ReadOnly'),
    v('MonitoringCtrlr', 'Enabled', 'boolean', 'true'),
    v('MonitoringCtrlr', 'ActiveMonitoringBase', 'OptionList', 'All', 'ReadOnly', {
      valuesList: 'All,FactoryDefault,HardWiredOnly',
    }),
    v('MonitoringCtrlr', 'ActiveMonitoringLevel', 'integer', '9', 'ReadOnly'),
    v('MonitoringCtrlr', 'OfflineQueuingSeverity', 'integer', '4', 'ReadWrite', { minimum: 0 }),
    ...perMessageLimits('MonitoringCtrlr', 50, ['SetVariableMonitoring', 'ClearVariableMonitoring']),
    v('DisplayMessageCtrlr', 'Enabled', 'boolean', 'true'),
    // The display's default language; its valuesList is the languages it can show (2.1 LanguageNotSupported).
    v('DisplayMessageCtrlr', 'Language', 'OptionList', 'en', 'ReadWrite', { valuesList: DISPLAY_LANGUAGES }),
    v('DisplayMessageCtrlr', 'DisplayMessages', 'integer', '0', 'ReadOnly'),
    v('DisplayMessageCtrlr', 'SupportedFormats', 'MemberList', 'ASCII,UTF8,URI', 'ReadOnly', {
      valuesList: 'ASCII,HTML,URI,UTF8,QRCODE',
    }),
    v(
      'DisplayMessageCtrlr',
      'SupportedPriorities',
      'MemberList',
      'AlwaysFront,InFront,NormalCycle',
      'ReadOnly',
      {
        valuesList: 'AlwaysFront,InFront,NormalCycle',
      },
    ),
  ];
  for (let e = 1; e <= evses; e++) {
    defs.push(
      v('EVSE', 'Available', 'boolean', 'true', 'ReadOnly', { evse: e }),
      v('EVSE', 'AvailabilityState', 'OptionList', 'Available', 'ReadOnly', {
        evse: e,
        valuesList: 'Available,Occupied,Reserved,Unavailable,Faulted',
      }),
      {
        ...v('EVSE', 'Power', 'decimal', '0', 'ReadOnly', { evse: e, unit: 'W', measured: true }),
        // Target: the power the EVSE offers now (its limit while a transaction charges, else 0): what 2.1's
        // TargetDelta monitors compare the measured power with.
        attributes: { Actual: '0', Target: '0', MaxSet: '22080' },
      },
      v('Connector', 'Available', 'boolean', 'true', 'ReadOnly', { evse: e, connector: 1 }),
      v('Connector', 'ConnectorType', 'string', 'cType2', 'ReadOnly', { evse: e, connector: 1 }),
      v('Connector', 'Problem', 'boolean', 'false', 'ReadOnly', { evse: e, connector: 1 }),
    );
  }
  return defs;
}

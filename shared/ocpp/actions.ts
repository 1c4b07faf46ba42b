import { ACTION_NAMES } from './generated/action-names';
import type { Sender } from './sender';
import type { OcppVersion } from './versions';

/** Who may send (initiate) an action: the charging station, the CSMS, or either. */
export type ActionSender = Sender | 'both';

export interface ActionInfo {
  name: string;
  sender: ActionSender;
  /** 2.1 SEND (message type 6): never answered, no response schema. */
  sendOnly?: boolean;
  /** 1.6 only: part of the 1.6 security extension (whitepaper), not of 1.6 core. */
  security?: boolean;
}

// Hand-written from the specifications' message lists: the schemas name the actions but not their direction.
// Anything absent from a table is sent by the CSMS; DataTransfer is the only action both sides initiate.
const STATION_16 = [
  'Authorize',
  'BootNotification',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StartTransaction',
  'StatusNotification',
  'StopTransaction',
  // security extension
  'LogStatusNotification',
  'SecurityEventNotification',
  'SignCertificate',
  'SignedFirmwareStatusNotification',
];

const STATION_201 = [
  'Authorize',
  'BootNotification',
  'ClearedChargingLimit',
  'FirmwareStatusNotification',
  'Get15118EVCertificate',
  'GetCertificateStatus',
  'Heartbeat',
  'LogStatusNotification',
  'MeterValues',
  'NotifyChargingLimit',
  'NotifyCustomerInformation',
  'NotifyDisplayMessages',
  'NotifyEVChargingNeeds',
  'NotifyEVChargingSchedule',
  'NotifyEvent',
  'NotifyMonitoringReport',
  'NotifyReport',
  'PublishFirmwareStatusNotification',
  'ReportChargingProfiles',
  'ReservationStatusUpdate',
  'SecurityEventNotification',
  'SignCertificate',
  'StatusNotification',
  'TransactionEvent',
];

const STATION_21 = [
  ...STATION_201,
  'BatterySwap',
  'ClosePeriodicEventStream',
  'GetCertificateChainStatus',
  'NotifyDERAlarm',
  'NotifyDERStartStop',
  'NotifyPeriodicEventStream',
  'NotifyPriorityCharging',
  'NotifySettlement',
  'OpenPeriodicEventStream',
  'PullDynamicScheduleUpdate',
  'ReportDERControl',
  'VatNumberValidation',
];

const CSMS_16 = [
  'CancelReservation',
  'ChangeAvailability',
  'ChangeConfiguration',
  'ClearCache',
  'ClearChargingProfile',
  'GetCompositeSchedule',
  'GetConfiguration',
  'GetDiagnostics',
  'GetLocalListVersion',
  'RemoteStartTransaction',
  'RemoteStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'TriggerMessage',
  'UnlockConnector',
  'UpdateFirmware',
  // security extension
  'CertificateSigned',
  'DeleteCertificate',
  'ExtendedTriggerMessage',
  'GetInstalledCertificateIds',
  'GetLog',
  'InstallCertificate',
  'SignedUpdateFirmware',
];

const CSMS_201 = [
  'CancelReservation',
  'CertificateSigned',
  'ChangeAvailability',
  'ClearCache',
  'ClearChargingProfile',
  'ClearDisplayMessage',
  'ClearVariableMonitoring',
  'CostUpdated',
  'CustomerInformation',
  'DeleteCertificate',
  'GetBaseReport',
  'GetChargingProfiles',
  'GetCompositeSchedule',
  'GetDisplayMessages',
  'GetInstalledCertificateIds',
  'GetLocalListVersion',
  'GetLog',
  'GetMonitoringReport',
  'GetReport',
  'GetTransactionStatus',
  'GetVariables',
  'InstallCertificate',
  'PublishFirmware',
  'RequestStartTransaction',
  'RequestStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'SetDisplayMessage',
  'SetMonitoringBase',
  'SetMonitoringLevel',
  'SetNetworkProfile',
  'SetVariableMonitoring',
  'SetVariables',
  'TriggerMessage',
  'UnlockConnector',
  'UnpublishFirmware',
  'UpdateFirmware',
];

const CSMS_21 = [
  ...CSMS_201,
  'AFRRSignal',
  'AdjustPeriodicEventStream',
  'ChangeTransactionTariff',
  'ClearDERControl',
  'ClearTariffs',
  'GetDERControl',
  'GetPeriodicEventStream',
  'GetTariffs',
  'NotifyAllowedEnergyTransfer',
  'NotifyWebPaymentStarted',
  'RequestBatterySwap',
  'SetDefaultTariff',
  'SetDERControl',
  'UpdateDynamicSchedule',
  'UsePriorityCharging',
];

const BOTH = ['DataTransfer'];

/** The hand-written direction tables, exported so a test can check they cover exactly the schema actions. */
export const SENDER_TABLE: Readonly<
  Record<OcppVersion, { station: readonly string[]; csms: readonly string[]; both: readonly string[] }>
> = {
  '1.6': { station: STATION_16, csms: CSMS_16, both: BOTH },
  '2.0.1': { station: STATION_201, csms: CSMS_201, both: BOTH },
  '2.1': { station: STATION_21, csms: CSMS_21, both: BOTH },
};

function senderOf(version: OcppVersion, name: string): ActionSender {
  const t = SENDER_TABLE[version];
  if (t.both.includes(name)) return 'both';
  if (t.station.includes(name)) return 'station';
  return 'csms';
}

const cache = new Map<
  OcppVersion,
  { list: readonly ActionInfo[]; byName: ReadonlyMap<string, ActionInfo> }
>();

function table(version: OcppVersion): {
  list: readonly ActionInfo[];
  byName: ReadonlyMap<string, ActionInfo>;
} {
  let t = cache.get(version);
  if (!t) {
    const list: ActionInfo[] = ACTION_NAMES[version].map((a) => {
      const info: ActionInfo = { name: a.name, sender: senderOf(version, a.name) };
      if (a.sendOnly) info.sendOnly = true;
      if (a.security) info.security = true;
      return Object.freeze(info);
    });
    t = { list: Object.freeze(list), byName: new Map(list.map((a) => [a.name, a])) };
    cache.set(version, t);
  }
  return t;
}

/** Every action of a version (derived from its schema files), sorted by name. */
export function actionsOf(version: OcppVersion): readonly ActionInfo[] {
  return table(version).list;
}

/** One action, or undefined for a name the version does not define (action names are case-sensitive). */
export function actionInfo(version: OcppVersion, name: string): ActionInfo | undefined {
  return table(version).byName.get(name);
}

/** Names of the actions a given side may initiate (for composers and auto-answer lists). */
export function actionsSentBy(version: OcppVersion, sender: Sender): readonly ActionInfo[] {
  return actionsOf(version).filter((a) => a.sender === sender || a.sender === 'both');
}

/** May this side initiate this action? Unknown actions give undefined (nothing to say). */
export function maySend(version: OcppVersion, name: string, sender: Sender): boolean | undefined {
  const a = actionInfo(version, name);
  if (!a) return undefined;
  return a.sender === 'both' || a.sender === sender;
}

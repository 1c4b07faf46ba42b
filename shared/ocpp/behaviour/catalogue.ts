import type { Finding, Severity } from '../finding';
import type { OcppVersion } from '../versions';

/**
 * Every finding code the behaviour rules emit, with its severity, meaning and specification reference (section or
 * use-case ids only: the OCA text is never copied). Findings are built only through `behaviourFinding`, so a code
 * cannot be emitted without an entry here.
 */
export interface BehaviourCode {
  severity: Severity;
  meaning: string;
  /** OCPP 1.6 section (the 1.6 core specification's numbering). */
  spec16?: string;
  /** OCPP 2.0.1 / 2.1 use case or requirement id. */
  spec2x?: string;
}

export const BEHAVIOUR_CODES = {
  'traffic-before-boot-accepted': {
    severity: 'error',
    meaning:
      'The charging station sent a request while its BootNotification was in flight, Pending or Rejected (a message the CSMS triggered is allowed while Pending).',
    spec16: '4.2',
    spec2x: 'B02, B03',
  },
  'boot-after-traffic': {
    severity: 'warning',
    meaning:
      'A BootNotification came after other requests on the same connection: those were sent before the station had registered.',
    spec16: '4.2',
    spec2x: 'B01',
  },
  'boot-retry-too-soon': {
    severity: 'warning',
    meaning:
      'After a Pending or Rejected BootNotification, the station retried before the interval it was given.',
    spec16: '4.2',
    spec2x: 'B02, B03',
  },
  'heartbeat-too-often': {
    severity: 'warning',
    meaning:
      'Heartbeats come much more often than the agreed heartbeat interval (once per interval; triggered heartbeats excepted).',
    spec16: '4.6',
    spec2x: 'G02',
  },
  'heartbeat-missing': {
    severity: 'warning',
    meaning: 'The station sent nothing for well over the agreed heartbeat interval.',
    spec16: '4.6',
    spec2x: 'G02',
  },
  'transaction-stopped-twice': {
    severity: 'error',
    meaning:
      'A transaction that had already ended was stopped again (StopTransaction or TransactionEvent Ended).',
    spec16: '4.10',
    spec2x: 'E06',
  },
  'transaction-after-stop': {
    severity: 'error',
    meaning: 'Meter values or a transaction update for a transaction that had already ended.',
    spec16: '4.7',
    spec2x: 'E06',
  },
  'transaction-unknown': {
    severity: 'warning',
    meaning:
      'A stop or update for a transaction that never started while the tool watched this station since its boot (events time-stamped before that boot are not flagged).',
    spec16: '4.10',
    spec2x: 'E01',
  },
  'meter-energy-decreasing': {
    severity: 'error',
    meaning: 'The energy register (Energy.Active.Import.Register) went down within one transaction.',
    spec16: '4.7',
    spec2x: 'J02',
  },
  'seqno-gap': {
    severity: 'warning',
    meaning: 'A TransactionEvent skipped sequence numbers: events of the transaction are missing.',
    spec2x: 'E01',
  },
  'seqno-repeat': {
    severity: 'error',
    meaning:
      'A TransactionEvent repeated (or went back to) a sequence number already used in the transaction.',
    spec2x: 'E01',
  },
  'status-transition-not-allowed': {
    severity: 'warning',
    meaning: 'A connector went from one status to another that the status transition table does not allow.',
    spec16: '4.9',
    spec2x: 'G01',
  },
  'trigger-not-sent': {
    severity: 'warning',
    meaning:
      'A TriggerMessage was answered Accepted, but the requested message did not follow within the window.',
    spec16: '5.17',
    spec2x: 'F06',
  },
  'remote-start-no-transaction': {
    severity: 'warning',
    meaning:
      'A remote start was answered Accepted, but no transaction started (and the connector reported no status change) within the window.',
    spec16: '5.11',
    spec2x: 'F01, F02',
  },
  'reset-no-reboot': {
    severity: 'warning',
    meaning:
      'A Reset was answered Accepted, but the station did not reconnect and send a BootNotification within the window.',
    spec16: '5.14',
    spec2x: 'B11, B12',
  },
  'idtag-used-after-rejected': {
    severity: 'warning',
    meaning: 'A transaction was started (or authorised) with an idTag / idToken the CSMS had just rejected.',
    spec16: '4.1, 4.8',
    spec2x: 'C01',
  },
  'configuration-not-applied': {
    severity: 'warning',
    meaning:
      'A configuration value the station accepted to change reads back with a different value (ChangeConfiguration / SetVariables, then GetConfiguration / GetVariables).',
    spec16: '5.3',
    spec2x: 'B05',
  },
  'read-only-configuration-changed': {
    severity: 'warning',
    meaning: 'The station accepted a change to a configuration key it reported as read-only.',
    spec16: '5.3',
  },
} as const satisfies Record<string, BehaviourCode>;

export type BehaviourCodeName = keyof typeof BEHAVIOUR_CODES;

/** The spec reference of a code for a version: `OCPP 1.6 4.10`, `OCPP 2.0.1 E06`. */
export function specRef(code: BehaviourCodeName, version: OcppVersion): string | undefined {
  const c: BehaviourCode = BEHAVIOUR_CODES[code];
  const id = version === '1.6' ? c.spec16 : c.spec2x;
  return id === undefined ? undefined : `OCPP ${version} ${id}`;
}

export function behaviourFinding(
  code: BehaviourCodeName,
  version: OcppVersion,
  message: string,
  related?: number[],
): Finding {
  const f: Finding = { code, severity: BEHAVIOUR_CODES[code].severity, message };
  if (related && related.length) f.related = related;
  const spec = specRef(code, version);
  if (spec) f.spec = spec;
  return f;
}

import type { SimulatorSettings } from '../../../shared/api';
import type { JsonObject } from '../../../shared/ocpp/json';
import type { ConnectorMeter, Ev } from './ev-meter';

/**
 * The vocabulary of the charger models (see charger-core.ts): the calls a station sends, the answers it gives, its
 * host, connectors and transactions, what a person at the site does, and the simulator settings with defaults.
 */

/** A CALL the station wants to send. `build` runs when it is sent (a 1.6 transactionId may arrive meanwhile). */
export interface SimCall {
  action: string;
  build: () => JsonObject;
  /** Transaction messages survive going offline, are sent in order and retried (TransactionMessageAttempts). */
  transactional: boolean;
  /** May be sent before the boot is Accepted: 'boot' only BootNotification, 'pending' also what the CSMS triggered. */
  early?: 'boot' | 'pending';
  attempts: number;
  /** 2.1 SEND (NotifyPeriodicEventStream): sent as message type 6, never answered, settled once it is out. */
  unconfirmed?: boolean;
  retryAt?: number;
  onResult?: (response: JsonObject, now: number) => void;
  onFail?: (now: number) => void;
}

/** How a transfer ended: a certificate refusal and a firmware that fails its signature are told apart. */
export type TransferResult =
  { ok: true } | { ok: false; why: string; failure: 'transfer' | 'certificate' | 'signature' };

/**
 * A firmware signature and the certificates that may have made it (PEM, one each): the signing certificate the
 * request carried, or without one the installed ManufacturerRootCertificates; none: nothing to check it with.
 */
export interface FirmwareSignature {
  signature: string;
  signers: string[];
}

export type TransferJob =
  | {
      kind: 'upload';
      url: string;
      name: string;
      bytes: Uint8Array;
      done: (result: TransferResult) => void;
    }
  | {
      kind: 'download';
      url: string;
      /** Signed firmware: the host checks the bytes against the signature with the key of any of `signers`. */
      signed?: FirmwareSignature;
      done: (result: TransferResult) => void;
    };

export interface ModelHost {
  /** The station's identity (the last part of its URL): the CN of its certificate requests. */
  readonly identity: string;
  /** A call may be ready to send, or the next wake-up time changed. */
  changed(): void;
  /** Close the socket and come back after `delaySec` (reset, firmware install), at `url` when given. */
  reboot(delaySec: number, url?: string): void;
  transfer(job: TransferJob): void;
  /** Something the user should see in the log (not a frame). */
  note(text: string): void;
}

/** The answer to one CSMS call; `after` runs once the answer was sent (a triggered message follows its answer). */
export type Answer =
  | { payload: JsonObject; after?: (now: number) => void }
  | { error: string; description: string }
  /** No behaviour for this action: the canned auto-answer applies. */
  | undefined;

export type UserAction =
  | { kind: 'plug'; connector: number }
  | { kind: 'unplug'; connector: number }
  | { kind: 'card'; connector: number; idTag: string }
  | { kind: 'start'; connector: number; idTag?: string }
  | { kind: 'stop'; connector: number }
  | { kind: 'fault'; connector: number }
  | { kind: 'clearFault'; connector: number }
  | { kind: 'reboot' }
  /** 2.x: relay an EV's ISO 15118 certificate request (Get15118EVCertificate). */
  | { kind: 'evCertificate'; action?: 'Install' | 'Update' }
  /** 2.x: ask the OCSP status of the station's own certificate (GetCertificateStatus). */
  | { kind: 'certificateStatus'; responderUrl?: string };

export interface Transaction {
  local: number;
  /** 1.6: the CSMS's id (as text) once StartTransaction is answered; 2.x: ours from the start. */
  id?: string;
  idTag?: string;
  /** 2.x: the idToken type (ISO14443 for a card, as the CSMS gave it for a remote start). */
  idTokenType?: string;
  started: number;
  meterStartWh: number;
  seqNo: number;
  remoteStartId?: number;
  reservationId?: number;
  nextSample: number;
  authorized: boolean;
  /** 2.x: the last chargingState reported. */
  chargingState?: string;
}

export interface Connector {
  id: number;
  plugged: boolean;
  faulted: boolean;
  inoperative: boolean;
  /** ChangeAvailability Inoperative arrived during a transaction: applied when it ends. */
  inoperativeAfterTx: boolean;
  reservation?: { id: number; idTag: string; expires: number };
  /** A card accepted before the cable (1.6 Preparing): the transaction starts on plug-in. */
  authorizedIdTag?: string;
  authorizedIdTokenType?: string;
  remoteStartId?: number;
  tx?: Transaction;
  ev?: Ev;
  meter: ConnectorMeter;
  /** Status last computed, and last sent (to resend what changed while offline). */
  status: string;
  sentStatus?: string;
}

export type BootState = 'none' | 'sent' | 'pending' | 'rejected' | 'accepted';

export interface StationIdentity {
  vendor: string;
  model: string;
  serialNumber?: string;
  firmwareVersion?: string;
}

export function settingsWithDefaults(s: Partial<SimulatorSettings> | undefined): SimulatorSettings {
  return {
    vendor: s?.vendor ?? 'OCPP Scope',
    model: s?.model ?? 'Simulated AC 22',
    ...(s?.serialNumber !== undefined ? { serialNumber: s.serialNumber } : {}),
    firmwareVersion: s?.firmwareVersion ?? '1.0.0',
    connectors: Math.max(1, Math.min(s?.connectors ?? 2, 32)),
    maxPowerW: s?.maxPowerW ?? 22_080,
    idTag: s?.idTag ?? 'SIMCARD01',
    plugOnRemoteStart: s?.plugOnRemoteStart ?? true,
    ...(s?.dataTransfer ? { dataTransfer: s.dataTransfer } : {}),
    ...(s?.config ? { config: s.config } : {}),
    ...(s?.rebootDelaySec !== undefined ? { rebootDelaySec: s.rebootDelaySec } : {}),
    ...(s?.seed !== undefined ? { seed: s.seed } : {}),
    ...(s?.revokedCertificates ? { revokedCertificates: s.revokedCertificates } : {}),
  };
}

const LIST_TOKENS = new WeakMap<readonly string[], number>();
let nextListToken = 0;

/** A number that stands for one list object (the same array, the same number). */
function listToken(list: readonly string[]): number {
  let t = LIST_TOKENS.get(list);
  if (t === undefined) LIST_TOKENS.set(list, (t = nextListToken++));
  return t;
}

/** Distinct settings kept at most: a fleet's stations differ only by their seed, so a few suffice. */
const MAX_SHARED_SETTINGS = 64;
const SHARED_SETTINGS = new Map<string, Readonly<SimulatorSettings>>();

/**
 * `s` with its defaults, without its seed, as one read-only object shared by every station whose settings are alike
 * (a fleet of ten thousand gives each station its own settings object that differs only by seed).
 */
export function sharedSettings(s: Partial<SimulatorSettings> | undefined): Readonly<SimulatorSettings> {
  const full = settingsWithDefaults(s ? { ...s, seed: undefined } : s);
  // A CRL may revoke many thousands of serials: the list counts in the key by identity (a fleet's stations share
  // one array), so a fleet does not serialise it once per station.
  const revoked = full.revokedCertificates;
  const key = JSON.stringify(revoked ? { ...full, revokedCertificates: listToken(revoked) } : full);
  let shared = SHARED_SETTINGS.get(key);
  if (!shared) {
    if (SHARED_SETTINGS.size >= MAX_SHARED_SETTINGS) SHARED_SETTINGS.clear();
    shared = Object.freeze(full);
    SHARED_SETTINGS.set(key, shared);
  }
  return shared;
}

export type StopReason =
  | 'Local'
  | 'Remote'
  | 'EVDisconnected'
  | 'HardReset'
  | 'SoftReset'
  | 'ImmediateReset'
  | 'DeAuthorized'
  | 'UnlockCommand'
  | 'Other';

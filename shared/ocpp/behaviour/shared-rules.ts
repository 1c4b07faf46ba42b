import type { JsonValue } from '../json';
import type { ConnectionObserver } from './connection-observer';
import { energyReadingsWh } from './energy';
import type { Transaction } from './peer-model';
import type { TransitionVerdict } from './status-transitions';
import { sharedStatusName } from './status-transitions';

/**
 * Readings at most 1 Wh apart are equal: registers are reported at 1 Wh resolution, and two fields of one message
 * may round differently (an integer meterStop truncated, the same reading rounded in transactionData).
 */
const ENERGY_EPSILON_WH = 1;

/** Reused for every meter frame: the readings of one frame, judged at once (no array per frame). */
const READINGS: number[] = [];

/**
 * Judges each energy reading of a meterValue array (then `last`, e.g. meterStop) against the transaction's previous
 * one; the register must never go down.
 */
export function checkMeter(
  o: ConnectionObserver,
  tx: Transaction,
  meterValue: JsonValue | undefined,
  seq: number,
  last?: number,
): void {
  READINGS.length = 0;
  energyReadingsWh(meterValue, READINGS);
  if (last !== undefined) READINGS.push(last);
  for (const wh of READINGS) {
    const prev = tx.energyWh;
    if (prev !== undefined && wh < prev - ENERGY_EPSILON_WH) {
      const related = tx.energySeq !== undefined && tx.energySeq !== seq ? [tx.energySeq] : undefined;
      o.find(
        'meter-energy-decreasing',
        `Energy register of transaction ${tx.id} went down from ${prev} Wh to ${wh} Wh${related ? ` (previous reading seq ${tx.energySeq})` : ' within this message'}`,
        related,
      );
    }
    tx.energyWh = wh;
    tx.energySeq = seq;
  }
}

/** Checks and records a connector's new status; `key` identifies it within the station. */
export function checkStatus(
  o: ConnectionObserver,
  key: number,
  name: string,
  status: string,
  seq: number,
  verdict: (from: string, to: string) => TransitionVerdict,
): void {
  const connectors = o.peer.connectors;
  const prev = connectors.status(key);
  if (prev !== undefined && verdict(prev, status) === 'not-allowed') {
    const prevSeq = connectors.seq(key);
    o.find(
      'status-transition-not-allowed',
      `${name} went from ${prev} (seq ${prevSeq}) to ${status}, a transition the status table does not allow`,
      [prevSeq],
    );
  }
  // The status name as one shared string: read from each frame, it would be a copy per connector of each station.
  connectors.set(key, sharedStatusName(status), seq);
}

/** The station accepted to set `key` to `value`. */
export function configurationSet(o: ConnectionObserver, key: string, value: string, seq: number): void {
  const c = o.peer.config.get(key);
  if (c?.readonly && c.seenSeq !== undefined) {
    o.find(
      'read-only-configuration-changed',
      `Change of ${key} accepted, but the station reported ${key} as read-only (seq ${c.seenSeq})`,
      [seq, c.seenSeq],
    );
  }
  const entry = c ?? {};
  entry.setValue = value;
  entry.setSeq = seq;
  if (!c) o.peer.config.set(key, entry);
}

/** The station reported `key`'s value: a change it accepted earlier should show. */
export function configurationRead(
  o: ConnectionObserver,
  key: string,
  value: string | undefined,
  readonly: boolean,
  seq: number,
): void {
  const c = o.peer.config.get(key);
  if (c?.setValue !== undefined && value !== undefined && value !== c.setValue && c.setSeq !== undefined) {
    o.find(
      'configuration-not-applied',
      `${key} reads "${value}", but the station accepted to set it to "${c.setValue}" (seq ${c.setSeq})`,
      [c.setSeq],
    );
  }
  const entry = c ?? {};
  if (value !== undefined) entry.value = value;
  entry.readonly = readonly;
  entry.seenSeq = seq;
  delete entry.setValue;
  delete entry.setSeq;
  if (!c) o.peer.config.set(key, entry);
}

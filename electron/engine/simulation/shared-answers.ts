import type { JsonObject, JsonValue } from '../../../shared/ocpp/json';
import type { ChargerCore } from './charger-core';
import type { Answer, Connector } from './charger-types';
import type { ProfilePurpose, ProfileStore } from './charging-profiles';
import { PHASES, VOLTAGE, readProfile } from './charging-profiles';
import { num, round } from './payload-read';

/**
 * Answers both charger models give alike, by the same rules (only the payload names differ, which the models read):
 * CancelReservation, ChangeAvailability, ReserveNow, SetChargingProfile and GetCompositeSchedule's schedule.
 */

export function cancelReservation(m: ChargerCore, id: JsonValue | undefined): Answer {
  const c = m.connectors.find((x) => x.reservation?.id === id);
  if (!c) return { payload: { status: 'Rejected' } };
  return {
    payload: { status: 'Accepted' },
    after: (t) => {
      c.reservation = undefined;
      m.refresh(c, t);
    },
  };
}

/** ChangeAvailability: Scheduled while a transaction runs (applied when it ends), else Accepted at once. */
export function changeAvailabilityOf(
  m: ChargerCore,
  targets: Connector[],
  inoperative: boolean,
  then?: (now: number) => void,
): Answer {
  if (targets.length === 0) return { payload: { status: 'Rejected' } };
  const busy = targets.some((c) => c.tx);
  return {
    payload: { status: inoperative && busy ? 'Scheduled' : 'Accepted' },
    after: (t) => {
      for (const c of targets) {
        if (inoperative && c.tx) c.inoperativeAfterTx = true;
        else {
          c.inoperative = inoperative;
          c.inoperativeAfterTx = false;
        }
        m.refresh(c, t);
      }
      then?.(t);
    },
  };
}

/** ReserveNow on `c`: the checks both versions make, in the order their statuses rank. */
export function reserveOn(
  m: ChargerCore,
  c: Connector | undefined,
  id: number,
  idTag: string,
  expiry: string,
  now: number,
): Answer {
  if (!c) return { payload: { status: 'Rejected' } };
  if (c.faulted) return { payload: { status: 'Faulted' } };
  if (c.inoperative) return { payload: { status: 'Unavailable' } };
  if (c.tx || c.plugged || (c.reservation && c.reservation.id !== id))
    return { payload: { status: 'Occupied' } };
  const expires = Date.parse(expiry);
  if (Number.isNaN(expires) || expires <= now) return { payload: { status: 'Rejected' } };
  return {
    payload: { status: 'Accepted' },
    after: (t) => {
      c.reservation = { id, idTag, expires };
      m.refresh(c, t);
    },
  };
}

/** SetChargingProfile for `connectorId` (0: the station): the checks both versions make, then install. */
export function setProfileOn(
  m: ChargerCore,
  connectorId: number,
  raw: JsonObject | undefined,
  now: number,
  rules: { maxStackLevel: number; stationOnly: readonly ProfilePurpose[] },
): Answer {
  if (!raw || (connectorId !== 0 && !m.connector(connectorId))) return { payload: { status: 'Rejected' } };
  const profile = readProfile(raw, connectorId, now);
  if (!profile || profile.stackLevel > rules.maxStackLevel) return { payload: { status: 'Rejected' } };
  if (rules.stationOnly.includes(profile.purpose) && connectorId !== 0)
    return { payload: { status: 'Rejected' } };
  if (profile.purpose === 'Tx') {
    const c = m.connector(connectorId);
    if (!c?.tx || (profile.transactionId !== undefined && profile.transactionId !== c.tx.id))
      return { payload: { status: 'Rejected' } };
    // A 1.6 transaction not yet confirmed has no id: the profile then holds for it as the running one.
    if (c.tx.id !== undefined) profile.transactionId = c.tx.id;
  }
  return {
    payload: { status: 'Accepted' },
    after: (t) => {
      m.profiles.install(profile);
      m.profilesChanged(t);
    },
  };
}

/** GetCompositeSchedule's schedule for `id` (0: the station), limits rounded to `digits`; undefined: no such one. */
export function compositeSchedule(
  m: ChargerCore,
  id: number,
  p: JsonObject,
  now: number,
  digits: number,
): { duration: number; schedule: JsonObject } | undefined {
  const c = m.connector(id);
  if (id !== 0 && !c) return undefined;
  const duration = Math.max(1, Math.floor(num(p['duration'])));
  const unit = p['chargingRateUnit'] === 'A' ? 'A' : 'W';
  const periods = m.profiles.composite(
    c ? m.ctx(c) : { connector: 0 },
    now,
    duration,
    m.settings.maxPowerW ?? 22_080,
  );
  return {
    duration,
    schedule: {
      chargingRateUnit: unit,
      chargingSchedulePeriod: periods.map((x) => ({
        startPeriod: x.startSec,
        limit: unit === 'A' ? round(x.limitW / (VOLTAGE * PHASES), digits) : round(x.limitW, digits),
        ...(unit === 'A' ? { numberPhases: PHASES } : {}),
      })),
    },
  };
}

/** ClearChargingProfile: Accepted when a profile matched (charging follows at once), Unknown when none did. */
export function clearProfiles(m: ChargerCore, criteria: Parameters<ProfileStore['clear']>[0]): Answer {
  const n = m.profiles.clear(criteria);
  return { payload: { status: n > 0 ? 'Accepted' : 'Unknown' }, after: (t) => m.profilesChanged(t) };
}

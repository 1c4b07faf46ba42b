import type { JsonObject, JsonValue } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';

/**
 * Charging profiles of 1.6 and 2.x in one normal form, the power limit they set for a connector at a time, and the
 * composite schedule over a duration. Pure: times are epoch milliseconds passed in.
 */

export type ProfilePurpose = 'Max' | 'TxDefault' | 'Tx' | 'External';

export interface SchedulePeriod {
  startSec: number;
  /** Absent (2.1 allows it): this period sets no limit. */
  limit?: number;
  phases?: number;
}

export interface ChargingProfile {
  id: number;
  stackLevel: number;
  purpose: ProfilePurpose;
  /** 0 = the whole station (1.6 connector 0, 2.x EVSE 0). */
  connector: number;
  kind: 'Absolute' | 'Relative' | 'Recurring';
  recurrency?: 'Daily' | 'Weekly';
  validFrom?: number;
  validTo?: number;
  transactionId?: string;
  startMs?: number;
  durationSec?: number;
  unit: 'W' | 'A';
  periods: SchedulePeriod[];
  installedAt: number;
}

/** Volts per phase and phase count the simulated grid connection has (A limits are converted with them). */
export const VOLTAGE = 230;
export const PHASES = 3;

const PURPOSES: Record<string, ProfilePurpose> = {
  ChargePointMaxProfile: 'Max',
  ChargingStationMaxProfile: 'Max',
  TxDefaultProfile: 'TxDefault',
  TxProfile: 'Tx',
  ChargingStationExternalConstraints: 'External',
};

export function purposeName(p: ProfilePurpose, v16: boolean): string {
  if (p === 'Max') return v16 ? 'ChargePointMaxProfile' : 'ChargingStationMaxProfile';
  if (p === 'External') return 'ChargingStationExternalConstraints';
  return p === 'Tx' ? 'TxProfile' : 'TxDefaultProfile';
}

export function purposeOf(name: unknown): ProfilePurpose | undefined {
  return typeof name === 'string' ? PURPOSES[name] : undefined;
}

function num(v: JsonValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function time(v: JsonValue | undefined): number | undefined {
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Reads a profile from a 1.6 `csChargingProfiles` or a 2.x `chargingProfile` object; undefined when it is not one
 * we can apply (the caller answers Rejected).
 */
export function readProfile(o: JsonObject, connector: number, now: number): ChargingProfile | undefined {
  const id = num(o['chargingProfileId'] ?? o['id']);
  const stackLevel = num(o['stackLevel']);
  const purpose = purposeOf(o['chargingProfilePurpose']);
  const kind = o['chargingProfileKind'];
  const rawSchedule = o['chargingSchedule'];
  const schedule = Array.isArray(rawSchedule) ? rawSchedule[0] : rawSchedule;
  if (id === undefined || stackLevel === undefined || !purpose || !isJsonObject(schedule)) return undefined;
  if (kind !== 'Absolute' && kind !== 'Relative' && kind !== 'Recurring') return undefined;
  const unit = schedule['chargingRateUnit'];
  const rawPeriods = schedule['chargingSchedulePeriod'];
  if ((unit !== 'W' && unit !== 'A') || !Array.isArray(rawPeriods) || rawPeriods.length === 0)
    return undefined;
  const periods: SchedulePeriod[] = [];
  for (const p of rawPeriods) {
    if (!isJsonObject(p)) return undefined;
    const startSec = num(p['startPeriod']);
    if (startSec === undefined || startSec < 0) return undefined;
    const limit = num(p['limit']);
    if (limit !== undefined && limit < 0) return undefined;
    const phases = num(p['numberPhases']);
    periods.push({
      startSec,
      ...(limit !== undefined ? { limit } : {}),
      ...(phases !== undefined ? { phases } : {}),
    });
  }
  periods.sort((a, b) => a.startSec - b.startSec);
  const recurrency = o['recurrencyKind'];
  const profile: ChargingProfile = {
    id,
    stackLevel,
    purpose,
    connector,
    kind,
    unit,
    periods,
    installedAt: now,
  };
  if (recurrency === 'Daily' || recurrency === 'Weekly') profile.recurrency = recurrency;
  else if (kind === 'Recurring') return undefined;
  const validFrom = time(o['validFrom']);
  const validTo = time(o['validTo']);
  const startMs = time(schedule['startSchedule']);
  const durationSec = num(schedule['duration']);
  const tx = o['transactionId'];
  if (validFrom !== undefined) profile.validFrom = validFrom;
  if (validTo !== undefined) profile.validTo = validTo;
  if (startMs !== undefined) profile.startMs = startMs;
  if (durationSec !== undefined) profile.durationSec = durationSec;
  if (typeof tx === 'string' || typeof tx === 'number') profile.transactionId = String(tx);
  return profile;
}

/** Watts an amount in the profile's unit stands for. */
function watts(p: ChargingProfile, period: SchedulePeriod): number | undefined {
  if (period.limit === undefined) return undefined;
  return p.unit === 'W' ? period.limit : period.limit * VOLTAGE * (period.phases ?? PHASES);
}

const DAY = 86_400_000;

/** Where the schedule's second 0 falls for time `t`, or undefined when the profile does not apply then. */
function scheduleStart(p: ChargingProfile, t: number, txStart: number | undefined): number | undefined {
  if (p.validFrom !== undefined && t < p.validFrom) return undefined;
  if (p.validTo !== undefined && t >= p.validTo) return undefined;
  if (p.kind === 'Relative') return txStart ?? t;
  const base = p.startMs ?? p.validFrom ?? p.installedAt;
  if (p.kind === 'Absolute') return base;
  const span = p.recurrency === 'Weekly' ? 7 * DAY : DAY;
  return base + Math.floor((t - base) / span) * span;
}

/** The limit (W) one profile sets at `t`, or undefined when it sets none. */
export function profileLimitAt(p: ChargingProfile, t: number, txStart?: number): number | undefined {
  const start = scheduleStart(p, t, txStart);
  if (start === undefined || t < start) return undefined;
  const sec = (t - start) / 1000;
  if (p.durationSec !== undefined && sec >= p.durationSec) return undefined;
  let current: SchedulePeriod | undefined;
  for (const period of p.periods) {
    if (period.startSec <= sec) current = period;
    else break;
  }
  return current ? watts(p, current) : undefined;
}

/** Instants after `t` at which this profile's limit may change. */
function changesAfter(p: ChargingProfile, t: number, txStart: number | undefined): number[] {
  const out: number[] = [];
  if (p.validFrom !== undefined && p.validFrom > t) out.push(p.validFrom);
  if (p.validTo !== undefined && p.validTo > t) out.push(p.validTo);
  const start = scheduleStart(p, t, txStart);
  if (start !== undefined) {
    for (const period of p.periods) out.push(start + period.startSec * 1000);
    if (p.durationSec !== undefined) out.push(start + p.durationSec * 1000);
    if (p.kind === 'Recurring') out.push(start + (p.recurrency === 'Weekly' ? 7 * DAY : DAY));
  }
  return out.filter((x) => x > t);
}

export interface ConnectorContext {
  connector: number;
  /** Set while a transaction runs on the connector. */
  transactionId?: string;
  txStart?: number;
}

// Shared and read-only: most stations never get a profile, so a store's own list is made by its first install.
const NO_PROFILES: ChargingProfile[] = [];
Object.freeze(NO_PROFILES);

/** Every installed profile of one station, with the rules for which of them limits a connector. */
export class ProfileStore {
  private list: ChargingProfile[] = NO_PROFILES;

  get profiles(): readonly ChargingProfile[] {
    return this.list;
  }

  /** Installs `p`, replacing a profile with its id, or with its purpose, stack level and connector (as both specs say). */
  install(p: ChargingProfile): void {
    this.list = this.list.filter(
      (q) =>
        q.id !== p.id &&
        !(q.stackLevel === p.stackLevel && q.purpose === p.purpose && q.connector === p.connector),
    );
    this.list.push(p);
  }

  /** Removes the profiles matching every given criterion; returns how many. */
  clear(c: { id?: number; connector?: number; purpose?: ProfilePurpose; stackLevel?: number }): number {
    const before = this.list.length;
    if (before === 0) return 0;
    this.list = this.list.filter(
      (p) =>
        !(
          (c.id === undefined || p.id === c.id) &&
          (c.connector === undefined || p.connector === c.connector) &&
          (c.purpose === undefined || p.purpose === c.purpose) &&
          (c.stackLevel === undefined || p.stackLevel === c.stackLevel)
        ),
    );
    const removed = before - this.list.length;
    if (this.list.length === 0) this.list = NO_PROFILES;
    return removed;
  }

  /** Tx profiles end with their transaction. */
  endTransaction(transactionId: string): void {
    if (this.list.length === 0) return;
    this.list = this.list.filter((p) => !(p.purpose === 'Tx' && p.transactionId === transactionId));
    if (this.list.length === 0) this.list = NO_PROFILES;
  }

  private applicable(ctx: ConnectorContext): { max: ChargingProfile[]; tx: ChargingProfile[] } {
    const max: ChargingProfile[] = [];
    const tx: ChargingProfile[] = [];
    for (const p of this.list) {
      if (p.purpose === 'Max' || p.purpose === 'External') {
        if (p.connector === 0 || p.connector === ctx.connector) max.push(p);
      } else if (p.purpose === 'Tx') {
        if (
          ctx.transactionId !== undefined &&
          p.connector === ctx.connector &&
          (p.transactionId === undefined || p.transactionId === ctx.transactionId)
        )
          tx.push(p);
      } else if (p.connector === 0 || p.connector === ctx.connector) tx.push(p);
    }
    return { max, tx };
  }

  /** The power limit (W) at `t`: the station max profiles and the transaction's own (or default) profile. */
  limitAt(ctx: ConnectorContext, t: number): number {
    const { max, tx } = this.applicable(ctx);
    let limit = Infinity;
    for (const p of stackWinner(max, t, ctx.txStart)) limit = Math.min(limit, p);
    // Tx overrides TxDefault; a connector's TxDefault overrides the station-wide one; then the highest stack level.
    const txOwn = tx.filter((p) => p.purpose === 'Tx');
    const txDefault = tx.filter((p) => p.purpose === 'TxDefault');
    const own = txDefault.filter((p) => p.connector !== 0);
    const chosen =
      firstLimit(txOwn, t, ctx.txStart) ??
      firstLimit(own, t, ctx.txStart) ??
      firstLimit(
        txDefault.filter((p) => p.connector === 0),
        t,
        ctx.txStart,
      );
    if (chosen !== undefined) limit = Math.min(limit, chosen);
    return limit;
  }

  /** The next instant after `t` at which the limit of `ctx` may change, if any. */
  nextChange(ctx: ConnectorContext, t: number): number | undefined {
    const { max, tx } = this.applicable(ctx);
    let next: number | undefined;
    for (const p of [...max, ...tx])
      for (const x of changesAfter(p, t, ctx.txStart)) if (next === undefined || x < next) next = x;
    return next;
  }

  /** The limit over [from, from + durationSec) as periods (seconds from `from`), capped by `stationMaxW`. */
  composite(
    ctx: ConnectorContext,
    from: number,
    durationSec: number,
    stationMaxW: number,
  ): { startSec: number; limitW: number }[] {
    const end = from + durationSec * 1000;
    const out: { startSec: number; limitW: number }[] = [];
    let t = from;
    for (let guard = 0; t < end && guard < 1000; guard++) {
      const limitW = Math.min(stationMaxW, this.limitAt(ctx, t));
      const startSec = Math.round((t - from) / 1000);
      if (out.length === 0 || out[out.length - 1]!.limitW !== limitW) {
        if (out.length > 0 && out[out.length - 1]!.startSec === startSec)
          out[out.length - 1]!.limitW = limitW;
        else out.push({ startSec, limitW });
      }
      t = this.nextChange(ctx, t) ?? end;
    }
    return out;
  }
}

/** Each profile's limit at `t`, taking per connector only the highest stack level that sets one. */
function stackWinner(list: ChargingProfile[], t: number, txStart: number | undefined): number[] {
  const best = new Map<number, { level: number; limit: number }>();
  for (const p of list) {
    const limit = profileLimitAt(p, t, txStart);
    if (limit === undefined) continue;
    const key = p.purpose === 'External' ? -1 - p.connector : p.connector;
    const b = best.get(key);
    if (!b || p.stackLevel > b.level) best.set(key, { level: p.stackLevel, limit });
  }
  return [...best.values()].map((b) => b.limit);
}

function firstLimit(list: ChargingProfile[], t: number, txStart: number | undefined): number | undefined {
  let level = -1;
  let limit: number | undefined;
  for (const p of list) {
    const l = profileLimitAt(p, t, txStart);
    if (l !== undefined && p.stackLevel > level) {
      level = p.stackLevel;
      limit = l;
    }
  }
  return limit;
}

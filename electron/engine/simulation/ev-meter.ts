import { PHASES, VOLTAGE } from './charging-profiles';

/**
 * The physics of one connector while an EV charges: an EV that takes its maximum power until 80 % state of charge and
 * tapers to nothing at 100 %, limited by the station and the charging profiles; energy only grows; power is voltage
 * times current summed over the phases. Pure: the caller passes the time and the limit function.
 */

export interface Ev {
  capacityWh: number;
  maxPowerW: number;
  /** 0..1 */
  soc: number;
}

export interface MeterReading {
  /** The register (whole Wh). */
  energyWh: number;
  powerW: number;
  /** Per phase. */
  currentA: number;
  voltageV: number;
  phases: number;
  soc: number;
}

export function newEv(seed: number): Ev {
  // A spread of cars (seeded, so a fleet is reproducible): 40..100 kWh, 7.4..22 kW on AC, 10..60 % charged.
  const r = (n: number): number => ((Math.sin(seed * 9301 + n * 49297) + 1) / 2) % 1;
  return {
    capacityWh: Math.round(40_000 + r(1) * 60_000),
    maxPowerW: Math.round(7_400 + r(2) * 14_600),
    soc: 0.1 + r(3) * 0.5,
  };
}

/** The power the EV asks for at its state of charge. */
export function evDemandW(ev: Ev): number {
  if (ev.soc >= 1) return 0;
  if (ev.soc < 0.8) return ev.maxPowerW;
  return ev.maxPowerW * Math.max(0.05, (1 - ev.soc) / 0.2);
}

/**
 * The meter of one connector: `energyWh` is the register (never decreases). `advance` integrates power up to `t`
 * in steps that end where the limit may change, so the power of each step respects the limit that held over it.
 */
export class ConnectorMeter {
  energyWh: number;
  powerW = 0;
  at: number;
  charging = false;

  constructor(energyWh: number, at: number) {
    this.energyWh = energyWh;
    this.at = at;
  }

  /** Power (W) now for this EV under `limitW`, rounded to what the meter shows (current to 0.01 A). */
  static powerFor(ev: Ev | undefined, limitW: number): number {
    if (!ev) return 0;
    const w = Math.max(0, Math.min(evDemandW(ev), limitW));
    const current = Math.floor((w / (VOLTAGE * PHASES)) * 100) / 100;
    return current * VOLTAGE * PHASES;
  }

  advance(
    t: number,
    ev: Ev | undefined,
    limitAt: (t: number) => number,
    nextChange: (t: number) => number | undefined,
  ): void {
    if (t <= this.at) {
      // No time passed, but the charging state or the limit may have changed: the power now follows them.
      this.powerW = this.charging ? ConnectorMeter.powerFor(ev, limitAt(this.at)) : 0;
      return;
    }
    if (!this.charging || !ev) {
      this.powerW = 0;
      this.at = t;
      return;
    }
    let now = this.at;
    for (let guard = 0; now < t && guard < 10_000; guard++) {
      const change = nextChange(now);
      // Steps of at most a minute keep the SoC taper smooth.
      const end = Math.min(t, now + 60_000, change !== undefined && change > now ? change : Infinity);
      const p = ConnectorMeter.powerFor(ev, limitAt(now));
      const wh = (p * (end - now)) / 3_600_000;
      this.energyWh += wh;
      ev.soc = Math.min(1, ev.soc + wh / ev.capacityWh);
      now = end;
    }
    this.at = t;
    this.powerW = ConnectorMeter.powerFor(ev, limitAt(t));
  }

  /**
   * The register as the meter shows it: whole Wh, rounded down. Every reported energy value (meterStart, samples,
   * meterStop) comes from here, so a stop value is never below the last sample nor above the energy delivered.
   */
  get registerWh(): number {
    return Math.floor(this.energyWh);
  }

  reading(ev: Ev | undefined): MeterReading {
    const currentA = this.powerW / (VOLTAGE * PHASES);
    return {
      energyWh: this.registerWh,
      powerW: this.powerW,
      currentA: Math.round(currentA * 100) / 100,
      voltageV: VOLTAGE,
      phases: PHASES,
      soc: ev ? ev.soc : 0,
    };
  }
}

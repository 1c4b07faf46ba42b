import type { JsonObject } from '../../../shared/ocpp/json';
import { PHASES, VOLTAGE } from './charging-profiles';
import type { MeterReading } from './ev-meter';
import { round } from './payload-read';

/** One sampled value of a meter reading, before a version gives it its shape. */
interface Sample {
  measurand: string;
  phase?: string;
  location: 'Outlet' | 'EV';
  unit: string;
  value: number;
  /** Decimals the meter shows. */
  decimals: number;
}

/** The sampled values for the configured measurands (1.6 MeterValuesSampledData, 2.x SampledDataCtrlr lists). */
function samples(r: MeterReading, withEv: boolean, measurands: readonly string[]): Sample[] {
  const out: Sample[] = [];
  for (const measurand of measurands) {
    if (measurand === 'Energy.Active.Import.Register')
      out.push({ measurand, location: 'Outlet', unit: 'Wh', value: r.energyWh, decimals: 0 });
    else if (measurand === 'Power.Active.Import')
      out.push({
        measurand,
        location: 'Outlet',
        unit: 'W',
        value: r.currentA * VOLTAGE * PHASES,
        decimals: 1,
      });
    else if (measurand === 'Current.Import')
      for (const phase of ['L1', 'L2', 'L3'])
        out.push({ measurand, phase, location: 'Outlet', unit: 'A', value: r.currentA, decimals: 2 });
    else if (measurand === 'Voltage')
      for (const phase of ['L1-N', 'L2-N', 'L3-N'])
        out.push({ measurand, phase, location: 'Outlet', unit: 'V', value: r.voltageV, decimals: 1 });
    else if (measurand === 'SoC' && withEv)
      out.push({ measurand, location: 'EV', unit: 'Percent', value: r.soc * 100, decimals: 0 });
  }
  return out;
}

/** 1.6 SampledValue: the value as text, the unit beside it. */
export function sampledValues16(
  r: MeterReading,
  withEv: boolean,
  measurands: readonly string[],
  context: string,
): JsonObject[] {
  return samples(r, withEv, measurands).map((s) => ({
    value: s.value.toFixed(s.decimals),
    context,
    measurand: s.measurand,
    ...(s.phase ? { phase: s.phase } : {}),
    location: s.location,
    unit: s.unit,
  }));
}

/** 2.x SampledValue: the value as a number, the unit in unitOfMeasure. */
export function sampledValues2x(
  r: MeterReading,
  withEv: boolean,
  measurands: readonly string[],
  context: string,
): JsonObject[] {
  return samples(r, withEv, measurands).map((s) => ({
    value: round(s.value, s.decimals),
    context,
    measurand: s.measurand,
    ...(s.phase ? { phase: s.phase } : {}),
    location: s.location,
    unitOfMeasure: { unit: s.unit },
  }));
}

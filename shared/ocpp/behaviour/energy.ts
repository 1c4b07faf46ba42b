import type { JsonValue } from '../json';

const REGISTER = 'Energy.Active.Import.Register';

function scale(unit: JsonValue | undefined): number | undefined {
  if (unit === undefined || unit === 'Wh') return 1;
  if (unit === 'kWh') return 1000;
  return undefined;
}

/**
 * Appends to `out` the readings of the imported-energy register in a meterValue array, in Wh, in the order sent.
 * Only the total (no phase) at the outlet counts: a phase or an inlet reading is another register. Signed data,
 * unknown units and values that are not numbers are skipped (the schema check names them). Runs on every meter
 * frame: plain property reads, no allocation beyond `out`.
 */
export function energyReadingsWh(meterValue: JsonValue | undefined, out: number[]): void {
  if (!Array.isArray(meterValue)) return;
  for (const mv of meterValue) {
    if (mv === null || typeof mv !== 'object' || Array.isArray(mv)) continue;
    const samples = mv.sampledValue;
    if (!Array.isArray(samples)) continue;
    for (const o of samples) {
      if (o === null || typeof o !== 'object' || Array.isArray(o)) continue;
      const measurand = o.measurand;
      if (measurand !== undefined && measurand !== REGISTER) continue;
      if (o.phase !== undefined) continue;
      const location = o.location;
      if (location !== undefined && location !== 'Outlet') continue;
      if (o.format === 'SignedData') continue;
      const v = o.value;
      let value: number;
      let factor: number | undefined;
      if (typeof v === 'number') {
        // 2.x: a number with unitOfMeasure { unit, multiplier }.
        const u = o.unitOfMeasure;
        if (u === undefined) factor = 1;
        else if (u !== null && typeof u === 'object' && !Array.isArray(u)) {
          factor = scale(u.unit);
          const m = u.multiplier;
          if (factor !== undefined && typeof m === 'number' && m !== 0) factor *= 10 ** m;
        }
        value = v;
      } else if (typeof v === 'string' && v.trim() !== '') {
        // 1.6: a decimal string with `unit`.
        factor = scale(o.unit);
        value = Number(v);
      } else continue;
      if (factor === undefined || !Number.isFinite(value * factor)) continue;
      out.push(value * factor);
    }
  }
}

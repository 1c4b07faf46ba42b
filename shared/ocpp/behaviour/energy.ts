import type { JsonValue } from '../json';
import { num, obj, str } from './read';

const REGISTER = 'Energy.Active.Import.Register';

function scale(unit: string | undefined): number | undefined {
  if (unit === undefined || unit === 'Wh') return 1;
  if (unit === 'kWh') return 1000;
  return undefined;
}

/**
 * The readings of the imported-energy register in a meterValue array, in Wh, in the order sent. Only the total
 * (no phase) at the outlet counts: a phase or an inlet reading is another register. Signed data, unknown units and
 * values that are not numbers are skipped (the schema check names them).
 */
export function energyReadingsWh(meterValue: JsonValue[] | undefined): number[] {
  const out: number[] = [];
  if (!meterValue) return out;
  for (const mv of meterValue) {
    const samples = obj(mv)?.sampledValue;
    if (!Array.isArray(samples)) continue;
    for (const s of samples) {
      const o = obj(s);
      if (!o) continue;
      if ((str(o, 'measurand') ?? REGISTER) !== REGISTER) continue;
      if (o.phase !== undefined) continue;
      const location = str(o, 'location');
      if (location !== undefined && location !== 'Outlet') continue;
      if (str(o, 'format') === 'SignedData') continue;
      let value: number | undefined;
      let factor: number | undefined;
      const v = o.value;
      if (typeof v === 'number') {
        // 2.x: a number with unitOfMeasure { unit, multiplier }.
        const u = obj(o.unitOfMeasure);
        factor = scale(str(u, 'unit'));
        const m = num(u, 'multiplier') ?? 0;
        if (factor !== undefined) factor *= 10 ** m;
        value = v;
      } else if (typeof v === 'string' && v.trim() !== '') {
        // 1.6: a decimal string with `unit`.
        factor = scale(str(o, 'unit'));
        value = Number(v);
      }
      if (value === undefined || factor === undefined || !Number.isFinite(value)) continue;
      out.push(value * factor);
    }
  }
  return out;
}

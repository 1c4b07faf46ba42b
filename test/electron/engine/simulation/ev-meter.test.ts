import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PHASES,
  ProfileStore,
  VOLTAGE,
  readProfile,
} from '../../../../electron/engine/simulation/charging-profiles';
import { ConnectorMeter, evDemandW } from '../../../../electron/engine/simulation/ev-meter';
import type { Ev } from '../../../../electron/engine/simulation/ev-meter';

const T0 = Date.parse('2030-01-01T00:00:00Z');

const period = fc.record({
  startPeriod: fc.integer({ min: 0, max: 7200 }),
  limit: fc.integer({ min: 0, max: 40_000 }),
});
const profile = fc.record({
  id: fc.integer({ min: 1, max: 5 }),
  stackLevel: fc.integer({ min: 0, max: 3 }),
  purpose: fc.constantFrom('ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile'),
  kind: fc.constantFrom('Absolute', 'Relative'),
  unit: fc.constantFrom('W', 'A'),
  periods: fc.array(period, { minLength: 1, maxLength: 4 }),
  duration: fc.option(fc.integer({ min: 60, max: 10_800 }), { nil: undefined }),
});

describe('connector meter under charging profiles (property)', () => {
  it('energy never decreases, power is U × I × phases, and power never exceeds the active limit', () => {
    fc.assert(
      fc.property(
        fc.array(profile, { maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 30 }),
        fc.record({
          capacityWh: fc.integer({ min: 20_000, max: 100_000 }),
          maxPowerW: fc.integer({ min: 1_000, max: 50_000 }),
          soc: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        (profiles, steps, evInit) => {
          const store = new ProfileStore();
          for (const p of profiles) {
            const read = readProfile(
              {
                chargingProfileId: p.id,
                stackLevel: p.stackLevel,
                chargingProfilePurpose: p.purpose,
                chargingProfileKind: p.kind,
                ...(p.purpose === 'TxProfile' ? { transactionId: 1 } : {}),
                chargingSchedule: {
                  chargingRateUnit: p.unit,
                  ...(p.kind === 'Absolute' ? { startSchedule: new Date(T0).toISOString() } : {}),
                  ...(p.duration !== undefined ? { duration: p.duration } : {}),
                  chargingSchedulePeriod: [{ ...p.periods[0]!, startPeriod: 0 }, ...p.periods.slice(1)],
                },
              },
              p.purpose === 'ChargePointMaxProfile' ? 0 : 1,
              T0,
            );
            if (read) store.install(read);
          }
          const ctx = { connector: 1, transactionId: '1', txStart: T0 };
          const stationMax = 22_080;
          const limitAt = (t: number): number => Math.min(stationMax, store.limitAt(ctx, t));
          const ev: Ev = { ...evInit };
          const meter = new ConnectorMeter(1000, T0);
          meter.charging = true;
          let t = T0;
          let energy = meter.energyWh;
          let soc = ev.soc;
          for (const s of steps) {
            t += s * 1000;
            meter.advance(t, ev, limitAt, (x) => store.nextChange(ctx, x));
            const r = meter.reading(ev);
            expect(r.energyWh).toBeGreaterThanOrEqual(energy);
            expect(ev.soc).toBeGreaterThanOrEqual(soc);
            expect(ev.soc).toBeLessThanOrEqual(1);
            expect(r.powerW).toBeLessThanOrEqual(limitAt(t) + 1e-9);
            expect(r.powerW).toBeLessThanOrEqual(evDemandW(ev) + 1e-9);
            expect(Math.abs(r.powerW - r.currentA * VOLTAGE * PHASES)).toBeLessThan(1e-6);
            energy = r.energyWh;
            soc = ev.soc;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a 0 W profile stops the energy; clearing it lets the EV charge at its own rate again', () => {
    const store = new ProfileStore();
    store.install(
      readProfile(
        {
          chargingProfileId: 1,
          stackLevel: 0,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Relative',
          chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }] },
        },
        0,
        T0,
      )!,
    );
    const ctx = { connector: 1, txStart: T0 };
    const ev: Ev = { capacityWh: 50_000, maxPowerW: 11_000, soc: 0.2 };
    const meter = new ConnectorMeter(0, T0);
    meter.charging = true;
    const limitAt = (t: number): number => Math.min(22_080, store.limitAt(ctx, t));
    meter.advance(T0 + 600_000, ev, limitAt, (x) => store.nextChange(ctx, x));
    expect(meter.energyWh).toBe(0);
    expect(meter.powerW).toBe(0);
    store.clear({ id: 1 });
    meter.advance(T0 + 1_200_000, ev, limitAt, (x) => store.nextChange(ctx, x));
    // Ten minutes at (just under, after rounding the current) 11 kW: about 1.83 kWh.
    expect(meter.energyWh).toBeGreaterThan(1_800);
    expect(meter.energyWh).toBeLessThan(1_834);
  });

  it('the composite schedule follows the stack: Tx over TxDefault, capped by the station maximum', () => {
    const store = new ProfileStore();
    const mk = (o: Record<string, unknown>, connector: number) =>
      store.install(readProfile(o as never, connector, T0)!);
    mk(
      {
        chargingProfileId: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'ChargePointMaxProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: {
          startSchedule: new Date(T0).toISOString(),
          chargingRateUnit: 'W',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 15_000 }],
        },
      },
      0,
    );
    mk(
      {
        chargingProfileId: 2,
        stackLevel: 1,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: {
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 10 },
            { startPeriod: 600, limit: 32 },
          ],
        },
      },
      1,
    );
    const periods = store.composite({ connector: 1, txStart: T0 }, T0, 1200, 22_080);
    expect(periods).toEqual([
      { startSec: 0, limitW: 10 * VOLTAGE * PHASES },
      { startSec: 600, limitW: 15_000 },
    ]);
  });
});

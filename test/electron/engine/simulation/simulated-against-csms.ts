import type { OcppVersion } from '../../../../shared/ocpp/versions';
import type { SimulatorSettings, StationSettings } from '../../../../shared/api';
import type { Connection } from '../../../../electron/engine/connections/connection';
import type { StationOptions } from '../../../../electron/engine/station/station';
import { Harness } from '../engine-harness';
import { CsmsPeer } from './csms-peer';

/**
 * Test helper: one simulated station of ours connected to a strict ocpp-rpc CSMS (CsmsPeer), everything it opens
 * pushed onto `cleanups` for the test file's afterEach.
 */
export interface SimulatedAgainstCsms {
  version: OcppVersion;
  /** The charge point identity (the last path segment of the URL). */
  identity: string;
  /** The interval the CSMS's boot answers give. */
  heartbeatSec?: number;
  strict?: boolean;
  simulator?: Partial<SimulatorSettings>;
  station?: StationOptions;
  settings?: Partial<StationSettings>;
  /** Runs on the CSMS before the charger connects. */
  prepare?: (csms: CsmsPeer) => void;
  /** Waits until the CSMS has received this many StatusNotifications (the boot's connector statuses). */
  statuses?: number;
}

export async function simulatedAgainstCsms(
  cleanups: (() => Promise<unknown>)[],
  o: SimulatedAgainstCsms,
): Promise<{ csms: CsmsPeer; h: Harness; conn: Connection }> {
  const csms = new CsmsPeer(o.version, o.heartbeatSec ?? 1, o.strict ?? true);
  o.prepare?.(csms);
  cleanups.push(() => csms.close());
  const base = await csms.listen();
  const h = new Harness(o.station ? { station: o.station } : {});
  cleanups.push(() => h.close());
  const conn = await h.station.connect({
    url: `${base}/ocpp/${o.identity}`,
    protocols: [o.version],
    callTimeoutSec: 5,
    simulator: { vendor: 'ACME', model: 'Sim-1', connectors: 2, ...o.simulator },
    ...o.settings,
  });
  cleanups.push(() => conn.close());
  if (o.statuses !== undefined) await csms.until('StatusNotification', o.statuses);
  return { csms, h, conn };
}

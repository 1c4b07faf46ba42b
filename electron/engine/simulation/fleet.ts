import type { SimulatorSettings, StationSettings } from '../../../shared/api';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import type { Connection } from '../connections/connection';
import type { ConnectionHub } from '../connections/connection-hub';
import { Station } from '../station/station';
import type { StationOptions } from '../station/station';
import { AutoTransactions } from './auto-transactions';
import type { AutoTransactionOptions } from './auto-transactions';
import type { SimulatedStation } from './simulated-station';
import { simulatedOf } from './simulated-station';
import { WakeScheduler } from './wake-scheduler';

export interface FleetOptions {
  /** The CSMS base URL: a station with identity X connects to `<to>/X`. */
  to: string;
  protocol: OcppVersion;
  /** The identity (count 1) or prefix (`<id>-1` ... `<id>-N`). */
  id: string;
  count: number;
  simulator: Partial<SimulatorSettings>;
  password?: string;
  tls?: StationSettings['tls'];
  callTimeoutSec?: number;
  /** Handshakes at once while starting (default 50): thousands of chargers must not all knock at the same instant. */
  concurrency?: number;
  autoTransactions?: AutoTransactionOptions;
  reconnectMaxDelaySec?: number;
  /** Number the identities even for a single station (the UI's fleet dialog). */
  numbered?: boolean;
}

/** `id` for one station (the CLI's --id without --count), `id-1` ... `id-N` otherwise or when numbered is asked. */
export function fleetIdentities(id: string, count: number, numbered = false): string[] {
  return count <= 1 && !numbered ? [id] : Array.from({ length: count }, (_, i) => `${id}-${i + 1}`);
}

/**
 * How late a fleet's wake-ups may come so that those due close together share one timer run (never early; the
 * scheduler's own default is 10 ms). Ten thousand chargers heart-beating every 10 s are due about once a millisecond:
 * at 10 ms a run woke about ten of them, at 100 ms about a hundred, whose frames then leave and whose answers come
 * back in fewer turns of the event loop (about 15% less CPU per heartbeat measured at 10,000 chargers, the way the
 * bare `ws` loop of the simulator bench sends its heartbeats, every 100 ms). A tenth of a second is nothing beside a
 * heartbeat, a meter sample interval or any other time the model keeps (seconds).
 */
export const FLEET_GATHER_MS = 100;

/**
 * Many simulated chargers from one process, on one hub and one scheduler: identities from a prefix, start-up spread
 * over a bounded number of concurrent handshakes, and optionally an automatic transaction generator.
 */
export class Fleet {
  readonly scheduler = new WakeScheduler(Date.now, FLEET_GATHER_MS);
  readonly connections: Connection[] = [];
  private readonly station: Station;
  private generator: AutoTransactions | undefined;
  private stopped = false;

  constructor(
    private readonly hub: ConnectionHub,
    private readonly options: FleetOptions,
    stationOptions: StationOptions = {},
  ) {
    this.station = new Station(hub, {
      ...stationOptions,
      simulation: { ...stationOptions.simulation, scheduler: this.scheduler },
    });
  }

  /** Connects every charger (first attempt each); resolves with how many were open after it. */
  async start(): Promise<{ open: number; failed: Connection[] }> {
    const o = this.options;
    const base = o.to.replace(/\/+$/, '');
    const ids = fleetIdentities(o.id, o.count, o.numbered);
    const failed: Connection[] = [];
    let open = 0;
    let next = 0;
    // Shared by every charger of the fleet: settings objects are kept for each charger's whole life.
    const protocols = [o.protocol];
    const reconnect = { enabled: true, maxDelaySec: o.reconnectMaxDelaySec ?? 60 };
    const worker = async (): Promise<void> => {
      while (!this.stopped && next < ids.length) {
        const i = next++;
        const identity = ids[i]!;
        const settings: StationSettings = {
          url: `${base}/${encodeURIComponent(identity)}`,
          protocols,
          callTimeoutSec: o.callTimeoutSec ?? 30,
          reconnect,
          simulator: {
            ...o.simulator,
            connectors: o.simulator.connectors ?? 2,
            seed: i + 1,
          } as SimulatorSettings,
        };
        if (o.password !== undefined) settings.basicAuth = { username: identity, password: o.password };
        if (o.tls) settings.tls = o.tls;
        const conn = await this.station.connect(settings);
        this.connections.push(conn);
        if (conn.state === 'open') open++;
        else failed.push(conn);
      }
    };
    const lanes = Math.max(1, Math.min(o.concurrency ?? 50, ids.length));
    await Promise.all(Array.from({ length: lanes }, () => worker()));
    if (o.autoTransactions && !this.stopped) {
      this.generator = new AutoTransactions(this.stations(), this.scheduler, o.autoTransactions);
      this.generator.start(Date.now());
    }
    return { open, failed };
  }

  stations(): SimulatedStation[] {
    return this.connections.map((c) => simulatedOf(c)).filter((s): s is SimulatedStation => s !== undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generator?.stop();
    await Promise.all(this.connections.map((c) => c.close(1000, 'Simulation ended').catch(() => undefined)));
    this.scheduler.stop();
    void this.hub;
  }
}

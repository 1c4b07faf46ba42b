import type {
  FleetSettings,
  FleetStatus,
  SimulatedStationView,
  SimulatorAction,
  SimulatorSettings,
} from '../../../shared/api';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { EngineError } from '../facade/engine-error';
import { simulatorSettingsProblems, withCrlSerials } from './simulator-settings-check';
import type { Connection } from '../connections/connection';
import type { ConnectionHub } from '../connections/connection-hub';
import type { StationOptions } from '../station/station';
import { Fleet } from './fleet';
import type { SimulatedStation } from './simulated-station';
import { simulatedOf } from './simulated-station';

/** A simulated station as its card shows it. */
export function stationView(sim: SimulatedStation): SimulatedStationView {
  const c = sim.connection;
  const m = sim.model;
  const view: SimulatedStationView = {
    connectionId: c.id,
    identity: c.identity,
    boot: m?.boot ?? 'none',
    online: m?.online ?? false,
    offlineOnPurpose: sim.offlineOnPurpose,
    queuedTransactionMessages: m?.queuedTransactionMessages ?? 0,
    connectors: (m?.connectors ?? []).map((x) => {
      const tx = x.tx;
      return {
        id: x.id,
        status: x.status,
        plugged: x.plugged,
        faulted: x.faulted,
        energyWh: x.meter.registerWh,
        powerW: Math.round(x.meter.powerW),
        ...(x.ev ? { soc: Math.round(x.ev.soc * 100) } : {}),
        ...(tx
          ? {
              transaction: {
                ...(tx.id !== undefined ? { id: tx.id } : {}),
                ...(tx.idTag !== undefined ? { idTag: tx.idTag } : {}),
                startedAt: tx.started,
                energyWh: Math.max(0, x.meter.registerWh - tx.meterStartWh),
              },
            }
          : {}),
      };
    }),
  };
  if (c.version) view.version = c.version;
  const display = m?.displayText(Date.now());
  if (display !== undefined) view.display = display;
  return view;
}

/**
 * The simulator part of the UI contract: the simulated stations of the engine's hub, the buttons of their cards,
 * and one fleet at a time.
 */
export class SimulatorControls {
  private fleet: { fleet: Fleet; settings: FleetSettings } | undefined;

  constructor(
    private readonly hub: ConnectionHub,
    private readonly stationOptions: StationOptions = {},
  ) {}

  private simulated(): SimulatedStation[] {
    return this.hub
      .list()
      .map((c: Connection) => simulatedOf(c))
      .filter((s): s is SimulatedStation => s !== undefined);
  }

  /** The stations connected one by one (a fleet's are summed up by getFleet, not listed: there may be thousands). */
  list(): SimulatedStationView[] {
    const fleet = new Set(this.fleet?.fleet.connections ?? []);
    return this.simulated()
      .filter((s) => !fleet.has(s.connection) && !s.connection.userClosed)
      .map(stationView);
  }

  async act(connectionId: string, action: SimulatorAction): Promise<SimulatedStationView> {
    const c = this.hub.get(connectionId);
    const sim = c ? simulatedOf(c) : undefined;
    if (!sim) throw new Error(`${JSON.stringify(connectionId)} is not a simulated station.`);
    const problem = await sim.act(action);
    if (problem) throw new Error(problem);
    return stationView(sim);
  }

  async startFleet(asked: FleetSettings): Promise<FleetStatus> {
    refuseBadSimulatorSettings([asked.protocol], asked);
    const settings = await simulatorWithCrl(asked);
    await this.stopFleet();
    const fleet = new Fleet(
      this.hub,
      {
        to: settings.url,
        protocol: settings.protocol,
        id: settings.prefix,
        count: settings.count,
        numbered: true,
        simulator: {
          connectors: settings.connectors,
          ...(settings.config ? { config: settings.config } : {}),
          ...(settings.revokedCertificates ? { revokedCertificates: settings.revokedCertificates } : {}),
        },
        ...(settings.password !== undefined ? { password: settings.password } : {}),
        ...(settings.autoTransactions ? { autoTransactions: {} } : {}),
      },
      this.stationOptions,
    );
    this.fleet = { fleet, settings };
    void fleet.start();
    return this.fleetStatus();
  }

  async stopFleet(): Promise<FleetStatus> {
    const f = this.fleet;
    this.fleet = undefined;
    if (f) await f.fleet.stop();
    return this.fleetStatus();
  }

  fleetStatus(): FleetStatus {
    const f = this.fleet;
    if (!f) return { running: false, count: 0, open: 0, booted: 0, transactions: 0 };
    const stations = f.fleet.stations();
    return {
      running: true,
      count: f.settings.count,
      open: f.fleet.connections.filter((c) => c.state === 'open').length,
      booted: stations.filter((s) => s.model?.boot === 'accepted').length,
      transactions: stations.reduce((n, s) => n + (s.model?.transactions ?? 0), 0),
    };
  }

  async close(): Promise<void> {
    await this.stopFleet();
  }
}

/** A fleet or station whose simulator configuration would be silently wrong is not started: the first problem says why. */
export function refuseBadSimulatorSettings(
  versions: readonly OcppVersion[],
  s: Pick<SimulatorSettings, 'connectors' | 'config' | 'revokedCertificates'>,
): void {
  const p = simulatorSettingsProblems(versions, s);
  const problem = p.config ?? p.revokedCertificates;
  if (problem) throw new EngineError('failed', problem);
}

/**
 * `s` with its CRL file's serials among revokedCertificates; a CRL that cannot be read stops the start. What is wrong
 * with a CRL that is read (signature against `caFiles` or the CAs its file bundles, dates) goes to `onNote`.
 */
export async function simulatorWithCrl<T extends { revokedCertificates?: string[]; crlFile?: string }>(
  s: T,
  onNote?: (note: string) => void,
  caFiles: readonly string[] = [],
): Promise<T> {
  const resolved = await withCrlSerials(s, onNote, caFiles);
  if ('error' in resolved) throw new EngineError('failed', `CRL: ${resolved.error}`);
  return resolved;
}

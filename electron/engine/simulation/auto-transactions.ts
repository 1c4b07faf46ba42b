import type { SimulatedStation } from './simulated-station';
import type { Wakeable, WakeScheduler } from './wake-scheduler';

export interface AutoTransactionOptions {
  /** Mean idle time of a connector between sessions (s, exponential). Default 60. */
  idleSec?: number;
  /** Charging time per session, uniform between min and max (s). Default 60..300. */
  minChargeSec?: number;
  maxChargeSec?: number;
  /** How long the car stays plugged after the stop (s). Default 5. */
  departSec?: number;
  random?: () => number;
}

/** One connector's sessions: idle, then plug in and present a card, charge, stop, leave; again. */
class ConnectorSessions implements Wakeable {
  private phase: 'idle' | 'charging' | 'leaving' = 'idle';

  constructor(
    private readonly station: SimulatedStation,
    private readonly connector: number,
    private readonly owner: AutoTransactions,
  ) {}

  wake(now: number): void {
    const model = this.station.model;
    const c = model?.connector(this.connector);
    const o = this.owner.options;
    const r = this.owner.random;
    if (!model || !c || model.boot !== 'accepted' || !model.online) {
      this.owner.scheduler.schedule(this, now + 5_000);
      return;
    }
    if (this.phase === 'idle') {
      if (c.tx || c.plugged || c.faulted || c.inoperative || c.reservation) {
        this.owner.scheduler.schedule(this, now + this.owner.idleDelay());
        return;
      }
      void this.station.act({ kind: 'start', connector: this.connector });
      this.phase = 'charging';
      const min = o.minChargeSec ?? 60;
      const max = Math.max(min, o.maxChargeSec ?? 300);
      this.owner.scheduler.schedule(this, now + (min + r() * (max - min)) * 1000);
    } else if (this.phase === 'charging') {
      if (c.tx) void this.station.act({ kind: 'stop', connector: this.connector });
      this.phase = 'leaving';
      this.owner.scheduler.schedule(this, now + (o.departSec ?? 5) * 1000);
    } else {
      void this.station.act({ kind: 'unplug', connector: this.connector });
      this.phase = 'idle';
      this.owner.scheduler.schedule(this, now + this.owner.idleDelay());
    }
  }
}

/**
 * The automatic transaction generator of a fleet: random plug-in, card, charge and leave per connector, on the
 * fleet's scheduler (one heap entry per connector, no timers of its own).
 */
export class AutoTransactions {
  readonly random: () => number;
  private sessions: ConnectorSessions[] = [];

  constructor(
    private readonly stations: SimulatedStation[],
    readonly scheduler: WakeScheduler,
    readonly options: AutoTransactionOptions,
  ) {
    this.random = options.random ?? Math.random;
  }

  idleDelay(): number {
    const mean = this.options.idleSec ?? 60;
    return -Math.log(1 - this.random() * 0.999) * mean * 1000;
  }

  start(now: number): void {
    for (const s of this.stations) {
      for (let id = 1; id <= s.settings.connectors; id++) {
        const session = new ConnectorSessions(s, id, this);
        this.sessions.push(session);
        this.scheduler.schedule(session, now + this.idleDelay());
      }
    }
  }

  stop(): void {
    for (const s of this.sessions) this.scheduler.cancel(s);
    this.sessions = [];
  }
}

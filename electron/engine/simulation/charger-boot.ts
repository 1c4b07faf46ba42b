import type { SimulatorSettings } from '../../../shared/api';
import type { JsonObject } from '../../../shared/ocpp/json';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { CallQueue } from './call-queue';
import type { BootState, Connector, ModelHost, SimCall } from './charger-types';
import { sharedSettings } from './charger-types';
import { ProfileStore } from './charging-profiles';
import { ConnectorMeter } from './ev-meter';
import { nextPeriod } from './wake-scheduler';

/**
 * The first layer of the charger model (see charger-core.ts for the whole stack): the state every layer shares
 * (settings, connectors, the send queue), the boot and heartbeat cycle, and reboots (Reset, firmware install).
 */
export abstract class ChargerBoot {
  abstract readonly version: OcppVersion;
  /** Shared with the stations whose settings are alike (read-only); the seed is the station's own. */
  readonly settings: Readonly<SimulatorSettings>;
  /** Makes EVs and meter starts differ reproducibly between stations (settings.seed, default 1). */
  protected readonly seed: number;
  readonly connectors: Connector[];
  readonly profiles = new ProfileStore();
  boot: BootState = 'none';
  online = false;
  protected host: ModelHost;
  protected readonly calls = new CallQueue();
  protected heartbeatSec = 0;
  protected nextHeartbeat: number | undefined;
  protected nextBoot: number | undefined;
  /** Counts reboots: a boot answer belongs to the cycle its BootNotification was sent in. */
  private powerCycle = 0;
  /** Set by an accepted Reset or a firmware install: reboot once the transaction messages are out. */
  protected rebootPending: { delaySec: number; whenIdle: boolean } | undefined;
  /** Set by an installation: the status call the next accepted boot sends (Installed). */
  protected afterInstall: (() => SimCall) | undefined;

  constructor(settings: Partial<SimulatorSettings> | undefined, host: ModelHost, now: number) {
    this.settings = sharedSettings(settings);
    this.seed = settings?.seed ?? 1;
    this.host = host;
    const seed = this.seed;
    // Sized once (an array grown by push keeps room for 17), and each connector made with the status it will
    // have sent: a property added later costs each connector a property table of its own (ten thousand chargers).
    const n = this.settings.connectors;
    this.connectors = new Array<Connector>(n);
    for (let id = 1; id <= n; id++) {
      this.connectors[id - 1] = {
        id,
        plugged: false,
        faulted: false,
        inoperative: false,
        inoperativeAfterTx: false,
        meter: new ConnectorMeter(Math.round(seed * 7919 + id * 104_729) % 1_000_000, now),
        status: '',
        sentStatus: undefined,
      };
    }
    for (const c of this.connectors) c.status = this.statusOf(c);
  }

  abstract statusOf(c: Connector): string;
  protected abstract bootCall(): SimCall;
  protected abstract statusCall(c: Connector | undefined): SimCall;
  protected abstract configuredHeartbeat(): number;
  protected abstract storeHeartbeat(sec: number): void;

  /** Queues a call (bounded: see CallQueue). */
  protected enqueue(call: SimCall): void {
    this.calls.push(call, this.host);
  }

  /** The station restarts (after a reset or an installation): it boots again once connected. */
  poweredUp(): void {
    // Answers to calls of the last power cycle (a boot answer crossing a Reset) no longer apply.
    this.powerCycle++;
    this.boot = 'none';
    this.heartbeatSec = 0;
    this.nextHeartbeat = undefined;
  }

  // ---- boot and heartbeat ----------------------------------------------------------------------------------------

  protected sendBoot(now: number): void {
    if (this.calls.has('BootNotification')) return;
    this.boot = this.boot === 'accepted' ? 'accepted' : 'sent';
    this.nextBoot = undefined;
    const call = this.bootCall();
    const wasAccepted = this.boot === 'accepted';
    const cycle = this.powerCycle;
    call.onResult = (r, at) => {
      if (cycle === this.powerCycle) this.bootAnswered(r, at, wasAccepted);
    };
    call.onFail = (at) => {
      if (wasAccepted || cycle !== this.powerCycle) return;
      this.boot = 'rejected';
      this.nextBoot = at + 30_000;
    };
    this.enqueue(call);
    void now;
  }

  private bootAnswered(r: JsonObject, now: number, wasAccepted: boolean): void {
    const status = r['status'];
    const interval = typeof r['interval'] === 'number' && r['interval'] > 0 ? r['interval'] : 0;
    if (status === 'Accepted') {
      this.boot = 'accepted';
      if (interval > 0) this.setHeartbeatInterval(interval, now);
      else if (this.heartbeatSec === 0) this.setHeartbeatInterval(this.configuredHeartbeat(), now);
      if (!wasAccepted) {
        for (const c of this.statusTargets()) this.enqueue(this.statusCall(c));
        const installed = this.afterInstall;
        this.afterInstall = undefined;
        if (installed) this.enqueue(installed());
        this.afterBootAccepted(now);
      }
      return;
    }
    if (wasAccepted) return;
    this.boot = status === 'Pending' ? 'pending' : 'rejected';
    // Retry after the interval the CSMS gave (a zero interval is no reason to hammer it: 30 s then).
    this.nextBoot = now + (interval > 0 ? interval : 30) * 1000;
  }

  /** 1.6 also reports connector 0 (undefined); 2.x only its connectors. */
  protected statusTargets(): (Connector | undefined)[] {
    return this.connectors;
  }

  protected afterBootAccepted(now: number): void {
    void now;
  }

  setHeartbeatInterval(sec: number, now: number): void {
    this.heartbeatSec = sec;
    this.storeHeartbeat(sec);
    this.nextHeartbeat = this.online ? this.heartbeatAfter(undefined, now) : undefined;
    this.host.changed();
  }

  /**
   * The next heartbeat's time: a period after the one due at `due` (none: after now), none at an interval of 0 (no
   * heartbeats, not one per reconnect either). The one rule for a reconnect, an interval change and each wake-up.
   */
  protected heartbeatAfter(due: number | undefined, now: number): number | undefined {
    return this.heartbeatSec > 0 ? nextPeriod(due, this.heartbeatSec * 1000, now) : undefined;
  }

  protected heartbeatCall(): SimCall {
    return { action: 'Heartbeat', build: emptyPayload, transactional: false, attempts: 0 };
  }

  // ---- reset -------------------------------------------------------------------------------------------------

  /** Ends every transaction (or waits for them to end) and reboots once their messages are out. */
  protected abstract requestReset(kind: 'hard' | 'soft' | 'immediate' | 'idle' | 'local', now: number): void;

  /** Where the station connects after a reboot; undefined: where it was (2.x network profiles change it). */
  protected urlAfterReboot(): string | undefined {
    return undefined;
  }

  protected scheduleReboot(whenIdle: boolean): void {
    this.rebootPending = { delaySec: this.settings.rebootDelaySec ?? 1, whenIdle };
  }

  protected checkReboot(now: number): void {
    const r = this.rebootPending;
    if (!r) return;
    if (r.whenIdle && this.connectors.some((c) => c.tx)) return;
    // What is queued goes out first when it can (stop messages, firmware statuses); offline, transaction messages
    // stay queued for after the reboot.
    if (this.online && this.boot === 'accepted' && this.calls.size > 0) return;
    this.rebootPending = undefined;
    this.poweredUp();
    this.host.note(`Rebooting (${r.delaySec} s).`);
    this.host.reboot(r.delaySec, this.urlAfterReboot());
    void now;
  }
}

/**
 * A Heartbeat's payload, a new object each time (the connection keeps what it sends): one function for every
 * heartbeat of every charger, not a closure per heartbeat (under tsx each closure also cost a __name call, about 1%
 * of a fleet's CPU at ten thousand chargers).
 */
function emptyPayload(): JsonObject {
  return {};
}

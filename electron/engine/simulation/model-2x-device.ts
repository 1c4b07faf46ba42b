import type { AuthFlags } from './charger-authorization';
import type { SimulatorSettings } from '../../../shared/api';
import type { Connector, ModelHost, StopReason } from './charger-types';
import { ChargerCore } from './charger-core';
import { DeviceModel } from './device-model';
import type { VariableDef } from './device-model';
import type { NetworkProfiles } from './network-profiles';
import { DisplayMessages } from './display-messages';
import { MonitoringMessages } from './monitoring-messages';

/**
 * The first layer of the OCPP 2.0.1 / 2.1 charging station (model-2x.ts is the whole): its device model and what
 * reads it (heartbeat, sampling, authorization, retries, the transaction start point), the live values the device
 * model reports, variable monitoring and display messages made when first needed, and the connector status.
 */
export abstract class Model2xDevice extends ChargerCore {
  readonly version: '2.0.1' | '2.1';
  readonly device: DeviceModel;

  constructor(
    version: '2.0.1' | '2.1',
    settings: Partial<SimulatorSettings> | undefined,
    host: ModelHost,
    now: number,
  ) {
    super(settings, host, now);
    this.version = version;
    this.device = new DeviceModel(this.settings.connectors, (d, type) =>
      type === 'Actual' ? this.liveValue(d) : this.liveTarget(d),
    );
    // Keys that name no variable are refused where the settings are made (CLI); here they are passed over.
    this.device.configure(this.settings.config ?? {});
  }

  protected monitors: MonitoringMessages | undefined;
  protected displays: DisplayMessages | undefined;

  /** Variable monitoring, made when first needed. */
  get monitoring(): MonitoringMessages {
    return (this.monitors ??= new MonitoringMessages({
      v21: this.version === '2.1',
      device: this.device,
      online: () => this.online,
      enqueue: (c) => this.enqueue(c),
      changed: () => this.host.changed(),
      transactionOn: (evse) =>
        (evse === undefined ? this.connectors.find((c) => c.tx) : this.connector(evse))?.tx?.id,
    }));
  }

  override connected(now: number): void {
    // A reconnect with the boot still accepted sends no BootNotification: the streams are asked open here (after a
    // boot, afterBootAccepted does it).
    const resumed = this.boot === 'accepted';
    super.connected(now);
    if (resumed) this.monitors?.reopenStreams();
  }

  override disconnected(now: number): void {
    this.monitors?.connectionLost();
    super.disconnected(now);
  }

  /** Display messages, made when first needed. */
  get displayMessages(): DisplayMessages {
    return (this.displays ??= new DisplayMessages({
      v21: this.version === '2.1',
      device: this.device,
      enqueue: (c) => this.enqueue(c),
      changed: () => this.host.changed(),
      transactionRuns: (id) => this.connectors.some((c) => c.tx?.id === id),
    }));
  }

  override displayText(now: number): string | undefined {
    const d = this.displays;
    if (!d || d.count === 0) return undefined;
    const state = this.connectors.some((c) => c.faulted)
      ? 'Faulted'
      : this.connectors.some((c) => c.tx?.authorized)
        ? 'Charging'
        : this.connectors.every((c) => c.inoperative)
          ? 'Unavailable'
          : 'Idle';
    return d.showing(state, now);
  }

  protected override observe(now: number): void {
    // Idle, with no monitor of the CSMS's: nothing can fire (the built-ins watch faults and charging), so an idle
    // fleet pays nothing per wake-up.
    if (!this.monitors && !this.connectors.some((c) => c.faulted || c.tx)) return;
    this.observedAt = now;
    this.monitoring.check(now);
  }

  private observedAt = 0;

  protected override ownWake(): number | undefined {
    const m = this.monitors;
    if (!m) return undefined;
    const due = m.nextDue();
    // A measured value (power) changes between events: while one is watched and charging runs, look each second.
    if (!m.store.polls() || !this.connectors.some((c) => c.tx)) return due;
    const poll = this.observedAt + 1000;
    return due === undefined ? poll : Math.min(due, poll);
  }

  /** EVSE.Power's Target: what the EVSE offers now (its limit while an authorized transaction can charge). */
  private liveTarget(d: VariableDef): string | undefined {
    if (d.component !== 'EVSE' || d.variable !== 'Power' || d.evse === undefined) return undefined;
    const c = this.connector(d.evse);
    if (!c) return undefined;
    const offering = c.tx?.authorized === true && c.plugged && !c.faulted && !c.inoperative;
    return offering ? this.limitW(c, c.meter.at).toFixed(0) : '0';
  }

  private liveValue(d: VariableDef): string | undefined {
    const s = this.settings;
    if (d.component === 'ChargingStation') {
      if (d.variable === 'Model') return s.model;
      if (d.variable === 'VendorName') return s.vendor;
      if (d.variable === 'SerialNumber') return s.serialNumber ?? '';
      if (d.variable === 'AvailabilityState')
        return this.connectors.every((c) => c.inoperative) ? 'Unavailable' : 'Available';
      if (d.variable === 'Available') return String(this.connectors.some((c) => !c.inoperative));
    }
    if (d.component === 'ClockCtrlr' && d.variable === 'DateTime') return new Date().toISOString();
    if (d.component === 'LocalAuthListCtrlr' && d.variable === 'Entries') return String(this.localListSize);
    if (d.component === 'SmartChargingCtrlr' && d.variable === 'Entries')
      return String(this.profiles.profiles.length);
    if (d.component === 'MonitoringCtrlr' && d.variable === 'ActiveMonitoringBase')
      return this.monitors?.store.base;
    if (d.component === 'MonitoringCtrlr' && d.variable === 'ActiveMonitoringLevel')
      return this.monitors ? String(this.monitors.store.level) : undefined;
    if (d.component === 'DisplayMessageCtrlr' && d.variable === 'DisplayMessages')
      return String(this.displays?.count ?? 0);
    if ((d.component === 'EVSE' || d.component === 'Connector') && d.evse !== undefined) {
      const c = this.connector(d.evse);
      if (!c) return undefined;
      if (d.variable === 'AvailabilityState') return c.status;
      if (d.variable === 'Available') return String(!c.inoperative && !c.faulted);
      if (d.variable === 'Power') return c.meter.powerW.toFixed(0);
      if (d.variable === 'Problem') return String(c.faulted);
    }
    return undefined;
  }

  protected network: NetworkProfiles | undefined;

  protected override urlAfterReboot(): string | undefined {
    return this.network?.urlFor(
      this.device.list('OCPPCommCtrlr', 'NetworkConfigurationPriority'),
      this.host.identity,
    );
  }

  protected organization(): string {
    return this.device.get('SecurityCtrlr', 'OrganizationName') || this.settings.vendor;
  }

  statusOf(c: Connector): string {
    if (c.faulted) return 'Faulted';
    if (c.inoperative) return 'Unavailable';
    if (c.plugged || c.tx) return 'Occupied';
    if (c.reservation) return 'Reserved';
    return 'Available';
  }

  protected txState(c: Connector, now: number): string {
    if (!c.plugged) return 'Idle';
    if (!c.tx?.authorized) return 'EVConnected';
    return this.chargingState(c, now);
  }

  protected startsOnPlug(): boolean {
    return this.device
      .list('TxCtrlr', 'TxStartPoint')
      .some((p) => p === 'EVConnected' || p === 'ParkingBayOccupancy');
  }

  protected sampleIntervalSec(): number {
    return this.device.int('SampledDataCtrlr', 'TxUpdatedInterval', 60);
  }

  protected configuredHeartbeat(): number {
    return this.device.int('OCPPCommCtrlr', 'HeartbeatInterval', 300);
  }

  protected storeHeartbeat(sec: number): void {
    this.device.setInternal('OCPPCommCtrlr', 'HeartbeatInterval', String(sec));
  }

  protected messageAttempts(): number {
    return this.device.int('OCPPCommCtrlr', 'MessageAttempts', 3, 'TransactionEvent');
  }

  protected retryIntervalSec(): number {
    return this.device.int('OCPPCommCtrlr', 'MessageAttemptInterval', 10, 'TransactionEvent');
  }

  protected authFlags(): AuthFlags {
    return {
      cache: this.device.get('AuthCacheCtrlr', 'Enabled') === 'true',
      preAuthorize: this.device.get('AuthCtrlr', 'LocalPreAuthorize') === 'true',
      offline: this.device.get('AuthCtrlr', 'LocalAuthorizeOffline') === 'true',
      unknownOffline: false,
    };
  }

  protected reasonName(reason: StopReason): string {
    if (reason === 'HardReset' || reason === 'SoftReset') return 'ImmediateReset';
    if (reason === 'UnlockCommand') return 'Other';
    return reason;
  }
}

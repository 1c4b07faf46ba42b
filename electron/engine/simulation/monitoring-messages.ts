import type { JsonObject } from '../../../shared/ocpp/json';
import type { Answer, SimCall } from './charger-types';
import type { DeviceModel } from './device-model';
import { Monitoring, eventData, itemsOf, monitoringBaseOf } from './monitoring';
import { reportParts } from './report-parts';

/** What the monitoring messages need of their 2.x charger model. */
export interface MonitoringContext {
  readonly v21: boolean;
  readonly device: DeviceModel;
  online(): boolean;
  enqueue(call: SimCall): void;
  changed(): void;
  /** The transaction running on an EVSE (any EVSE when undefined). */
  transactionOn(evse: number | undefined): string | undefined;
}

/**
 * The monitoring messages of a 2.0.1 / 2.1 station: its answers to SetVariableMonitoring, ClearVariableMonitoring,
 * SetMonitoringBase, SetMonitoringLevel and GetMonitoringReport (then NotifyMonitoringReport in parts), and the
 * NotifyEvent it sends for each event its monitors raise. Events of a severity at or below
 * MonitoringCtrlr.OfflineQueuingSeverity are kept while offline and sent in order; others are dropped offline.
 */
export class MonitoringMessages {
  readonly store: Monitoring;
  private eventId = 0;

  constructor(private readonly ctx: MonitoringContext) {
    this.store = new Monitoring(ctx.device);
  }

  answer(action: string, p: JsonObject, now: number): Answer {
    const store = this.store;
    switch (action) {
      case 'SetVariableMonitoring': {
        // Monitoring switched off (MonitoringCtrlr.Enabled false): every item is refused.
        const enabled = this.ctx.device.get('MonitoringCtrlr', 'Enabled') !== 'false';
        const results = itemsOf(p['setMonitoringData']).map((item) =>
          enabled ? store.set(item, now) : store.refuse(item),
        );
        return { payload: { setMonitoringResult: results }, after: (t) => this.check(t) };
      }
      case 'ClearVariableMonitoring': {
        const ids = Array.isArray(p['id']) ? p['id'].filter((x): x is number => typeof x === 'number') : [];
        return { payload: { clearMonitoringResult: ids.map((id) => store.clear(id)) } };
      }
      case 'SetMonitoringBase': {
        const base = monitoringBaseOf(p['monitoringBase']);
        if (!base) return { payload: { status: 'NotSupported' } };
        store.setBase(base, now);
        return { payload: { status: 'Accepted' } };
      }
      case 'SetMonitoringLevel': {
        const s = p['severity'];
        if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > 9)
          return { payload: { status: 'Rejected' } };
        store.level = s;
        return { payload: { status: 'Accepted' } };
      }
      case 'GetMonitoringReport': {
        const monitors = store.report(p['componentVariable'], p['monitoringCriteria'], this.ctx.v21);
        if (monitors.length === 0) return { payload: { status: 'EmptyResultSet' } };
        const requestId = typeof p['requestId'] === 'number' ? p['requestId'] : 0;
        return {
          payload: { status: 'Accepted' },
          after: (t) => {
            const generatedAt = new Date(t).toISOString();
            const per = this.ctx.device.int('DeviceDataCtrlr', 'ItemsPerMessage', 50, 'GetReport');
            for (const call of reportParts(
              'NotifyMonitoringReport',
              monitors,
              per,
              (monitor, seqNo, tbc) => ({
                requestId,
                seqNo,
                generatedAt,
                tbc,
                monitor,
              }),
            ))
              this.ctx.enqueue(call);
            this.ctx.changed();
          },
        };
      }
      default:
        return undefined;
    }
  }

  /** Compares the monitors with the values now and sends a NotifyEvent per event raised. */
  check(now: number): void {
    const events = this.store.evaluate(now, (evse) => this.ctx.transactionOn(evse));
    if (events.length === 0) return;
    const keep = this.ctx.device.int('MonitoringCtrlr', 'OfflineQueuingSeverity', 4);
    const online = this.ctx.online();
    for (const e of events) {
      const transactional = e.monitor.severity <= keep;
      if (!online && !transactional) continue;
      const payload: JsonObject = {
        generatedAt: new Date(now).toISOString(),
        seqNo: 0,
        tbc: false,
        eventData: [eventData(e, this.eventId++, this.ctx.v21)],
      };
      this.ctx.enqueue({ action: 'NotifyEvent', build: () => payload, transactional, attempts: 0 });
    }
    this.ctx.changed();
  }
}

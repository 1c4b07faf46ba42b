import type { JsonObject } from '../../../shared/ocpp/json';
import type { Answer, SimCall } from './charger-types';
import type { DeviceModel } from './device-model';
import { Monitoring, eventData, itemsOf, monitoringBaseOf } from './monitoring';
import { reportLimits, reportParts } from './report-parts';
import type { Stream, StreamParams } from './event-streams';
import { EventStreams, streamParamsOf } from './event-streams';

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
  private streams: EventStreams | undefined;

  constructor(private readonly ctx: MonitoringContext) {
    this.store = new Monitoring(ctx.device);
  }

  answer(action: string, p: JsonObject, now: number): Answer {
    const store = this.store;
    switch (action) {
      case 'SetVariableMonitoring': {
        // Monitoring switched off (MonitoringCtrlr.Enabled false): every item is refused.
        const enabled = this.ctx.device.get('MonitoringCtrlr', 'Enabled') !== 'false';
        const items = itemsOf(p['setMonitoringData']);
        const results = items.map((item) => (enabled ? store.set(item, now) : store.refuse(item)));
        return {
          payload: { setMonitoringResult: results },
          after: (t) => {
            // 2.1: an accepted monitor with periodicEventStream asks the CSMS to open its stream.
            results.forEach((r, i) => {
              const params = this.ctx.v21 ? streamParamsOf(items[i]?.['periodicEventStream']) : undefined;
              if (r['status'] === 'Accepted' && typeof r['id'] === 'number' && params)
                this.openStream(r['id'], params);
            });
            this.check(t);
          },
        };
      }
      case 'ClearVariableMonitoring': {
        const ids = Array.isArray(p['id']) ? p['id'].filter((x): x is number => typeof x === 'number') : [];
        const results = ids.map((id) => store.clear(id));
        return { payload: { clearMonitoringResult: results }, after: () => this.closeOrphans() };
      }
      case 'SetMonitoringBase': {
        const base = monitoringBaseOf(p['monitoringBase']);
        if (!base) return { payload: { status: 'NotSupported' } };
        store.setBase(base, now);
        return { payload: { status: 'Accepted' }, after: () => this.closeOrphans() };
      }
      case 'GetPeriodicEventStream': {
        const list = this.streams?.list() ?? [];
        return { payload: list.length > 0 ? { constantStreamData: list } : {} };
      }
      case 'AdjustPeriodicEventStream': {
        const params = streamParamsOf(p['params']);
        const id = typeof p['id'] === 'number' ? p['id'] : -1;
        const ok = params !== undefined && this.streams?.adjust(id, params, now) === true;
        return { payload: { status: ok ? 'Accepted' : 'Rejected' }, after: (t) => this.check(t) };
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
            for (const call of reportParts(
              'NotifyMonitoringReport',
              monitors,
              reportLimits(this.ctx.device),
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

  /** When timed monitoring work is due: a periodic monitor, or a stream's batch by its interval. */
  nextDue(): number | undefined {
    const a = this.store.nextDue();
    const b = this.streams?.nextDue();
    return a === undefined ? b : b === undefined ? a : Math.min(a, b);
  }

  /** Asks the CSMS to open a periodic event stream for a monitor (OpenPeriodicEventStream). */
  private openStream(monitorId: number, params: StreamParams): void {
    this.sendOpen((this.streams ??= new EventStreams()).request(monitorId, params));
  }

  /** The connection dropped: every stream ends with it (see EventStreams.suspend). */
  connectionLost(): void {
    this.streams?.suspend();
  }

  /**
   * A new connection (a reconnect, or the boot after a reboot: monitors are kept across both) asks the CSMS to open
   * again the stream of every monitor that has one, with its id and params; refused, the monitor reports with
   * NotifyEvent as before.
   */
  reopenStreams(): void {
    const streams = this.streams?.all() ?? [];
    if (streams.length === 0) return;
    for (const s of streams) this.sendOpen(s);
    this.ctx.changed();
  }

  private sendOpen(s: Stream): void {
    const { monitorId, params } = s;
    const payload: JsonObject = {
      constantStreamData: { id: s.id, variableMonitoringId: monitorId, params: { ...params } },
    };
    this.ctx.enqueue({
      action: 'OpenPeriodicEventStream',
      build: () => payload,
      transactional: false,
      attempts: 0,
      onResult: (r) => this.streams?.opened(s.id, r['status'] === 'Accepted'),
      onFail: () => this.streams?.opened(s.id, false),
    });
  }

  /** Closes the streams of monitors no longer in force (ClosePeriodicEventStream). */
  private closeOrphans(): void {
    const streams = this.streams;
    if (!streams) return;
    const active = new Set(this.store.active().map((m) => m.id));
    for (const s of streams.orphans((id) => active.has(id))) {
      streams.closeMonitor(s.monitorId);
      if (!s.open) continue;
      const payload: JsonObject = { id: s.id };
      this.ctx.enqueue({
        action: 'ClosePeriodicEventStream',
        build: () => payload,
        transactional: false,
        attempts: 0,
      });
    }
    this.ctx.changed();
  }

  /** Sends the stream batches that are due (NotifyPeriodicEventStream, a SEND). */
  private flush(now: number): void {
    for (const b of this.streams?.due(now) ?? [])
      this.ctx.enqueue({
        action: 'NotifyPeriodicEventStream',
        build: () => b.payload,
        transactional: false,
        attempts: 0,
        unconfirmed: true,
      });
  }

  /**
   * Compares the monitors with the values now and sends a NotifyEvent per event raised (or, for a monitor with an
   * open stream, adds its value to the stream), then the stream batches that are due.
   */
  check(now: number): void {
    const events = this.store.evaluate(now, (evse) => this.ctx.transactionOn(evse));
    if (this.streams) {
      const streams = this.streams;
      const rest = events.filter((e) => !streams.push(e.monitor.id, e.actualValue, e.at));
      this.flush(now);
      events.splice(0, events.length, ...rest);
    }
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

import type { JsonObject, JsonValue } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';

/** PeriodicEventStreamParamsType: send after `interval` seconds, or once `values` items wait (0: no such bound). */
export interface StreamParams {
  interval: number;
  values: number;
}

interface Stream {
  id: number;
  monitorId: number;
  params: StreamParams;
  /** Accepted by the CSMS (OpenPeriodicEventStream): its events go into the stream instead of NotifyEvent. */
  open: boolean;
  /** Values waiting to be sent, oldest first (bounded: see MAX_PENDING). */
  pending: { at: number; v: string }[];
  /** When the oldest waiting value must be out (interval after it arrived). */
  flushAt?: number;
}

/** One NotifyPeriodicEventStream to send. */
export interface StreamBatch {
  id: number;
  payload: JsonObject;
}

/** A CSMS that never lets a stream's data out must not grow a station without end. */
const MAX_PENDING = 1000;
/** The most values one NotifyPeriodicEventStream carries when `values` gives no bound. */
const MAX_BATCH = 200;

/** PeriodicEventStreamParamsType's values, when `v` is one (absent fields are 0: no bound). */
export function streamParamsOf(v: JsonValue | undefined): StreamParams | undefined {
  if (!isJsonObject(v)) return undefined;
  const n = (x: JsonValue | undefined): number =>
    typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : 0;
  return { interval: n(v['interval']), values: n(v['values']) };
}

/**
 * The periodic event streams of a 2.1 station (functional block N): a monitor set with periodicEventStream asks the
 * CSMS to open a stream (OpenPeriodicEventStream, sent by the station); once Accepted, the events of that monitor
 * are collected and sent as NotifyPeriodicEventStream (a SEND, never answered) when `values` of them wait or
 * `interval` seconds after the oldest arrived, each value with its time offset from the batch's basetime. The CSMS
 * lists them (GetPeriodicEventStream) and changes their params (AdjustPeriodicEventStream); clearing the monitor
 * closes its stream (ClosePeriodicEventStream). A connection that drops ends every stream; the next one asks them
 * open again, with the same ids. Pure: time comes in as `now`.
 */
export class EventStreams {
  private streams = new Map<number, Stream>();
  private nextId = 1;

  /** A new stream for `monitorId` (replacing one it had), not open until the CSMS accepts it. */
  request(monitorId: number, params: StreamParams): Stream {
    this.closeMonitor(monitorId);
    const s: Stream = { id: this.nextId++, monitorId, params, open: false, pending: [] };
    this.streams.set(s.id, s);
    return s;
  }

  /** The CSMS's answer to OpenPeriodicEventStream: Accepted opens it, anything else forgets it. */
  opened(id: number, accepted: boolean): void {
    const s = this.streams.get(id);
    if (!s) return;
    if (accepted) s.open = true;
    else this.streams.delete(id);
  }

  /** Takes an event value of `monitorId` into its open stream; false: it has none (send a NotifyEvent). */
  push(monitorId: number, v: string, at: number): boolean {
    for (const s of this.streams.values()) {
      if (s.monitorId !== monitorId || !s.open) continue;
      if (s.pending.length >= MAX_PENDING) s.pending.shift();
      s.pending.push({ at, v: v.slice(0, 2500) });
      if (s.flushAt === undefined && s.params.interval > 0) s.flushAt = at + s.params.interval * 1000;
      return true;
    }
    return false;
  }

  /** The batches due now: a stream with `values` waiting, or past its interval. */
  due(now: number): StreamBatch[] {
    const out: StreamBatch[] = [];
    for (const s of this.streams.values()) {
      if (s.pending.length === 0) continue;
      const full = s.params.values > 0 && s.pending.length >= s.params.values;
      const late = s.flushAt !== undefined && now >= s.flushAt;
      const eager = s.params.values === 0 && s.params.interval === 0;
      if (!full && !late && !eager) continue;
      const size = Math.min(s.params.values > 0 ? s.params.values : MAX_BATCH, s.pending.length);
      const batch = s.pending.splice(0, size);
      const base = batch[0]!.at;
      out.push({
        id: s.id,
        payload: {
          id: s.id,
          pending: s.pending.length,
          basetime: new Date(base).toISOString(),
          data: batch.map((d) => ({ t: (d.at - base) / 1000, v: d.v })),
        },
      });
      s.flushAt =
        s.pending.length > 0 && s.params.interval > 0
          ? s.pending[0]!.at + s.params.interval * 1000
          : undefined;
      if (s.flushAt !== undefined && s.flushAt < now) s.flushAt = now;
    }
    return out;
  }

  /** When the next batch falls due by its interval (undefined: none waits). */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const s of this.streams.values())
      if (s.flushAt !== undefined && (next === undefined || s.flushAt < next)) next = s.flushAt;
    return next;
  }

  /** The stream of a monitor that goes (cleared, or removed by a monitoring base), if it had one. */
  closeMonitor(monitorId: number): Stream | undefined {
    for (const s of this.streams.values())
      if (s.monitorId === monitorId) {
        this.streams.delete(s.id);
        return s;
      }
    return undefined;
  }

  /**
   * The connection dropped. A stream lives within one connection: none is open any more and the values waiting in
   * them go (like other non-transaction messages, batches are not kept for the next connection). The streams are
   * kept, to be asked open again on the next connection (see all()); until then their monitors report as NotifyEvent.
   */
  suspend(): void {
    for (const s of this.streams.values()) {
      s.open = false;
      s.pending = [];
      s.flushAt = undefined;
    }
  }

  /** Every stream kept (open or waiting to be opened), in the order they were requested. */
  all(): Stream[] {
    return [...this.streams.values()];
  }

  /** Streams whose monitor is no longer in force. */
  orphans(active: (monitorId: number) => boolean): Stream[] {
    return [...this.streams.values()].filter((s) => !active(s.monitorId));
  }

  /** GetPeriodicEventStream's constantStreamData: the open streams. */
  list(): JsonObject[] {
    return [...this.streams.values()]
      .filter((s) => s.open)
      .map((s) => ({ id: s.id, variableMonitoringId: s.monitorId, params: { ...s.params } }));
  }

  /** AdjustPeriodicEventStream: new params for an open stream; false when there is no such stream. */
  adjust(id: number, params: StreamParams, now: number): boolean {
    const s = this.streams.get(id);
    if (!s?.open) return false;
    s.params = params;
    s.flushAt =
      s.pending.length > 0 && params.interval > 0 ? s.pending[0]!.at + params.interval * 1000 : undefined;
    if (s.flushAt !== undefined && s.flushAt < now) s.flushAt = now;
    return true;
  }

  get size(): number {
    return this.streams.size;
  }
}

export type { Stream };

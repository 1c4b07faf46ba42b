import type { JsonObject } from '../../../shared/ocpp/json';
import type { SimCall } from './charger-types';
import type { DeviceModel } from './device-model';
import { messageLimit } from './item-limits';

/** How big a part may be: at most `items` items and, when `bytes` > 0, a CALL frame of at most `bytes` bytes. */
export interface PartLimits {
  items: number;
  bytes: number;
}

/** Items per part of a report when the station publishes no ItemsPerMessage[GetReport] (see messageLimit). */
export const DEFAULT_REPORT_ITEMS = 50;

/**
 * The limits of the station's reports: DeviceDataCtrlr.ItemsPerMessage[GetReport] / BytesPerMessage[GetReport],
 * read as every limit is (messageLimit): one that is not a whole number above 0 is as if none were published.
 */
export function reportLimits(device: Pick<DeviceModel, 'int'>): PartLimits {
  return {
    items: messageLimit(device, 'DeviceDataCtrlr', 'ItemsPerMessage', 'GetReport') ?? DEFAULT_REPORT_ITEMS,
    bytes: messageLimit(device, 'DeviceDataCtrlr', 'BytesPerMessage', 'GetReport') ?? 0,
  };
}

/** The bytes a CALL frame adds around its payload: `[2,"<36-character message id>","<action>",` and `]`. */
function envelopeBytes(action: string): number {
  return 10 + 36 + Buffer.byteLength(action);
}

/**
 * The calls of a report the station sends in parts after accepting a request (NotifyReport, NotifyMonitoringReport,
 * NotifyDisplayMessages): `items` cut into parts of at most `limits.items` items whose frames stay within
 * `limits.bytes` (DeviceDataCtrlr.BytesPerMessage[GetReport]), each part's payload made by `payload` with its index
 * and whether more follow (tbc). An item too big for any part alone goes out alone (a station cannot shorten it).
 * May go out while the boot is Pending, as the CSMS asked for it.
 */
export function reportParts(
  action: string,
  items: JsonObject[],
  limits: PartLimits,
  payload: (part: JsonObject[], seqNo: number, tbc: boolean) => JsonObject,
): SimCall[] {
  const cuts = cutPoints(action, items, limits, payload);
  const calls: SimCall[] = [];
  for (let i = 0; i < cuts.length; i++) {
    const part = items.slice(cuts[i], cuts[i + 1] ?? items.length);
    const body = payload(part, i, i < cuts.length - 1);
    calls.push({ action, build: () => body, transactional: false, early: 'pending', attempts: 0 });
  }
  return calls;
}

/** Where each part starts (the first is 0; one part when there are no items). */
function cutPoints(
  action: string,
  items: JsonObject[],
  limits: PartLimits,
  payload: (part: JsonObject[], seqNo: number, tbc: boolean) => JsonObject,
): number[] {
  const per = Math.max(1, limits.items);
  const first = items[0];
  if (!(limits.bytes > 0) || first === undefined) {
    const starts: number[] = [];
    for (let i = 0; i < Math.max(1, items.length); i += per) starts.push(i);
    return starts;
  }
  // A part's frame: its payload around the list plus each item and a comma between two. The payload around the
  // list is measured once with one item, the longest seqNo and tbc false (the longest it can be), so no part is
  // serialised twice and the estimate is never short.
  const sizes = items.map((item) => Buffer.byteLength(JSON.stringify(item)));
  const around =
    envelopeBytes(action) +
    Buffer.byteLength(JSON.stringify(payload([first], items.length, false))) -
    sizes[0]!;
  const starts = [0];
  let count = 0;
  let bytes = around;
  for (let i = 0; i < items.length; i++) {
    let add = sizes[i]! + (count > 0 ? 1 : 0);
    if (count > 0 && (count >= per || bytes + add > limits.bytes)) {
      starts.push(i);
      count = 0;
      bytes = around;
      add = sizes[i]!;
    }
    count++;
    bytes += add;
  }
  return starts;
}

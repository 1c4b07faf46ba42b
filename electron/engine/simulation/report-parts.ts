import type { JsonObject } from '../../../shared/ocpp/json';
import type { SimCall } from './charger-types';

/**
 * The calls of a report the station sends in parts after accepting a request (NotifyReport, NotifyMonitoringReport,
 * NotifyDisplayMessages): `items` cut into parts of at most `per`, each part's payload made by `payload` with its
 * index and whether more follow (tbc). May go out while the boot is Pending, as the CSMS asked for it.
 */
export function reportParts(
  action: string,
  items: JsonObject[],
  per: number,
  payload: (part: JsonObject[], seqNo: number, tbc: boolean) => JsonObject,
): SimCall[] {
  const size = Math.max(1, per);
  const count = Math.max(1, Math.ceil(items.length / size));
  const calls: SimCall[] = [];
  for (let i = 0; i < count; i++) {
    const body = payload(items.slice(i * size, (i + 1) * size), i, i < count - 1);
    calls.push({ action, build: () => body, transactional: false, early: 'pending', attempts: 0 });
  }
  return calls;
}

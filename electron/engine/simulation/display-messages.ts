import type { JsonObject, JsonValue } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import type { Answer, SimCall } from './charger-types';
import type { DeviceModel } from './device-model';
import { reportLimits, reportParts } from './report-parts';

/** What the display messages need of their 2.x charger model. */
export interface DisplayContext {
  readonly v21: boolean;
  readonly device: DeviceModel;
  enqueue(call: SimCall): void;
  changed(): void;
  /** Whether a transaction with this id runs now. */
  transactionRuns(id: string): boolean;
}

/** The most messages a station keeps (a CSMS looping SetDisplayMessage with new ids is refused past it). */
export const MAX_DISPLAY_MESSAGES = 32;

/** States a message can be shown in: 2.1's Suspended and Discharging need states this station never has. */
const STATES = ['Charging', 'Faulted', 'Idle', 'Unavailable'];
const PRIORITY_RANK: Record<string, number> = { AlwaysFront: 0, InFront: 1, NormalCycle: 2 };

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

/**
 * Display messages of a 2.0.1 / 2.1 station (functional block O): SetDisplayMessage stores a message with its
 * priority, state, validity window and transaction; GetDisplayMessages answers with the matching ones in
 * NotifyDisplayMessages parts; ClearDisplayMessage removes one. What the station supports is read from
 * DisplayMessageCtrlr (SupportedFormats, SupportedPriorities), so a CSMS sees its answers follow the device model.
 * A message bound to a transaction goes when the transaction ends; one past its end time is dropped.
 */
export class DisplayMessages {
  private messages: Map<number, JsonObject> | undefined;

  constructor(private readonly ctx: DisplayContext) {}

  get count(): number {
    return this.messages?.size ?? 0;
  }

  answer(action: string, p: JsonObject, now: number): Answer {
    switch (action) {
      case 'SetDisplayMessage': {
        const message = isJsonObject(p['message']) ? p['message'] : {};
        const status = this.set(message, now);
        return { payload: { status }, after: () => this.ctx.changed() };
      }
      case 'GetDisplayMessages': {
        this.expire(now);
        const found = this.select(p);
        if (found.length === 0) return { payload: { status: 'Unknown' } };
        const requestId = typeof p['requestId'] === 'number' ? p['requestId'] : 0;
        return {
          payload: { status: 'Accepted' },
          after: () => {
            for (const call of reportParts(
              'NotifyDisplayMessages',
              found,
              reportLimits(this.ctx.device),
              (messageInfo, _n, tbc) => ({
                requestId,
                tbc,
                messageInfo,
              }),
            ))
              this.ctx.enqueue(call);
            this.ctx.changed();
          },
        };
      }
      case 'ClearDisplayMessage': {
        const id = p['id'];
        if (typeof id !== 'number' || !this.messages?.has(id)) return { payload: { status: 'Unknown' } };
        this.messages.delete(id);
        return { payload: { status: 'Accepted' } };
      }
      default:
        return undefined;
    }
  }

  /** SetDisplayMessage's status for `m`; stored (replacing one of the same id) when Accepted. */
  set(m: JsonObject, now: number): string {
    if (this.ctx.device.get('DisplayMessageCtrlr', 'Enabled') === 'false') return 'Rejected';
    const content = isJsonObject(m['message']) ? m['message'] : {};
    const formats = this.ctx.device.list('DisplayMessageCtrlr', 'SupportedFormats');
    const extra = Array.isArray(m['messageExtra']) ? m['messageExtra'].filter(isJsonObject) : [];
    if (![content, ...extra].every((c) => formats.includes(str(c['format']))))
      return 'NotSupportedMessageFormat';
    if (this.ctx.v21 && !this.speaks(str(content['language']))) return 'LanguageNotSupported';
    if (!this.ctx.device.list('DisplayMessageCtrlr', 'SupportedPriorities').includes(str(m['priority'])))
      return 'NotSupportedPriority';
    if (m['state'] !== undefined && !STATES.includes(str(m['state']))) return 'NotSupportedState';
    const txId = m['transactionId'];
    if (txId !== undefined && !this.ctx.transactionRuns(str(txId))) return 'UnknownTransaction';
    const display = m['display'];
    if (display !== undefined && (!isJsonObject(display) || display['name'] !== 'DisplayMessageCtrlr'))
      return 'Rejected';
    const end = Date.parse(str(m['endDateTime']));
    if (!Number.isNaN(end) && end <= now) return 'Rejected';
    const id = typeof m['id'] === 'number' ? m['id'] : -1;
    if (id < 0) return 'Rejected';
    if (!this.messages?.has(id) && this.count >= MAX_DISPLAY_MESSAGES) return 'Rejected';
    (this.messages ??= new Map()).set(id, m);
    return 'Accepted';
  }

  /**
   * 2.1: whether the display can show a message in `language` (none given: its default). The languages are
   * DisplayMessageCtrlr.Language's valuesList; tags compare without case and by primary subtag (en-GB is en).
   */
  private speaks(language: string): boolean {
    if (language === '') return true;
    const def = this.ctx.device.resolve({
      component: { name: 'DisplayMessageCtrlr' },
      variable: { name: 'Language' },
    });
    if (typeof def === 'string' || !def.valuesList) return true;
    const primary = language.toLowerCase().split('-')[0];
    return def.valuesList
      .toLowerCase()
      .split(',')
      .some((l) => l === language.toLowerCase() || l === primary);
  }

  /** The messages GetDisplayMessages asks for: by id, priority and state (all given filters apply). */
  select(p: JsonObject): JsonObject[] {
    const ids = Array.isArray(p['id']) ? p['id'] : undefined;
    return [...(this.messages?.values() ?? [])].filter(
      (m) =>
        (!ids || ids.includes(m['id'] ?? -1)) &&
        (p['priority'] === undefined || m['priority'] === p['priority']) &&
        (p['state'] === undefined || m['state'] === p['state']),
    );
  }

  /** A transaction ended: its messages go. */
  transactionEnded(id: string): void {
    for (const [k, m] of this.messages ?? []) if (m['transactionId'] === id) this.messages?.delete(k);
  }

  /** Drops messages past their end time. */
  expire(now: number): void {
    for (const [k, m] of this.messages ?? []) {
      const end = Date.parse(str(m['endDateTime']));
      if (!Number.isNaN(end) && end <= now) this.messages?.delete(k);
    }
  }

  /**
   * The text the display shows now for a connector in `state` (Idle, Charging, Faulted, Unavailable): the highest
   * priority message valid now for that state (or for any state), the newest first among equals.
   */
  showing(state: string, now: number): string | undefined {
    let best: JsonObject | undefined;
    for (const m of this.messages?.values() ?? []) {
      const start = Date.parse(str(m['startDateTime']));
      const end = Date.parse(str(m['endDateTime']));
      if ((!Number.isNaN(start) && start > now) || (!Number.isNaN(end) && end <= now)) continue;
      if (m['state'] !== undefined && m['state'] !== state) continue;
      if (!best || (PRIORITY_RANK[str(m['priority'])] ?? 3) <= (PRIORITY_RANK[str(best['priority'])] ?? 3))
        best = m;
    }
    const content = best && isJsonObject(best['message']) ? best['message'] : undefined;
    return content ? str(content['content']) : undefined;
  }
}

import type { AutoAnswerPolicy } from '../../shared/api';
import { exampleResponse } from '../../shared/ocpp/examples';
import { buildCallError, buildCallResult } from '../../shared/ocpp/frame';
import type { JsonObject, JsonValue } from '../../shared/ocpp/json';
import { isJsonObject } from '../../shared/ocpp/json';
import { actionInfo } from '../../shared/ocpp/actions';
import { validatePayload } from '../../shared/ocpp/schema-registry';
import type { OcppVersion } from '../../shared/ocpp/versions';

/** What to do with one incoming CALL. */
export type AnswerDecision =
  | { kind: 'send'; text: string; mode: 'auto' | 'payload' | 'callerror' }
  | { kind: 'hold'; suggested: string };

export interface AutoAnswerOptions {
  /** Interval (s) put in BootNotification responses. */
  heartbeatIntervalSec?: number;
  /** Answer frames that do not parse with the CALLERROR the version prescribes (when their id can be read). */
  answerMalformed?: boolean;
  now?: () => Date;
}

const STATUS_KEYS = new Set(['status']);

/**
 * The auto-answer policy per (version, action) and the live values that make example responses realistic: the
 * current time, a heartbeat interval, an incrementing transaction id, Accepted statuses. Policies are matched by
 * exact action first, then by action `*` for the version; with no policy the answer is `auto`.
 */
export class AutoAnswerBook {
  private policies = new Map<string, AutoAnswerPolicy>();
  private nextTransactionId = 1;
  heartbeatIntervalSec: number;
  answerMalformed: boolean;
  private readonly now: () => Date;

  constructor(options: AutoAnswerOptions = {}) {
    this.heartbeatIntervalSec = options.heartbeatIntervalSec ?? 300;
    this.answerMalformed = options.answerMalformed ?? true;
    this.now = options.now ?? (() => new Date());
  }

  setPolicies(list: readonly AutoAnswerPolicy[]): void {
    this.policies = new Map(list.map((p) => [`${p.version} ${p.action}`, p]));
  }

  listPolicies(): AutoAnswerPolicy[] {
    return [...this.policies.values()];
  }

  policyFor(version: OcppVersion, action: string): AutoAnswerPolicy {
    return (
      this.policies.get(`${version} ${action}`) ??
      this.policies.get(`${version} *`) ?? { version, action, mode: 'auto' }
    );
  }

  decide(version: OcppVersion, messageId: string, action: string): AnswerDecision {
    const policy = this.policyFor(version, action);
    switch (policy.mode) {
      case 'hold':
        return { kind: 'hold', suggested: this.autoText(version, messageId, action) };
      case 'payload':
        // The payload is sent exactly as written, even when it is not valid JSON: a diagnostic tool must be able to.
        return {
          kind: 'send',
          mode: 'payload',
          text: `[3,${JSON.stringify(messageId)},${policy.payload ?? '{}'}]`,
        };
      case 'callerror':
        return {
          kind: 'send',
          mode: 'callerror',
          text: buildCallError(
            messageId,
            policy.errorCode ?? (version === '1.6' ? 'GenericError' : 'GenericError'),
            policy.errorDescription ?? '',
          ),
        };
      default:
        return { kind: 'send', mode: 'auto', text: this.autoText(version, messageId, action) };
    }
  }

  /** A CALLRESULT for `action`, or a NotImplemented CALLERROR when the version has no such action. */
  autoText(version: OcppVersion, messageId: string, action: string): string {
    const payload = this.liveResponse(version, action);
    if (payload === undefined)
      return buildCallError(messageId, 'NotImplemented', `Unknown action ${action} for OCPP ${version}`);
    return buildCallResult(messageId, payload);
  }

  /** A schema-valid response payload with live values, or undefined when the action is unknown. */
  liveResponse(version: OcppVersion, action: string): JsonObject | undefined {
    if (!actionInfo(version, action)) return undefined;
    let example: JsonObject;
    try {
      example = exampleResponse(version, action);
    } catch {
      return undefined;
    }
    const live = this.withLiveValues(version, action, structuredClone(example));
    // Live values must never make an answer invalid: fall back to the plain example when they would.
    if (validatePayload(version, action, 'response', live).some((f) => f.severity === 'error'))
      return example;
    return live;
  }

  private withLiveValues(version: OcppVersion, action: string, payload: JsonObject): JsonObject {
    const nowIso = this.now().toISOString();
    const visit = (o: JsonObject): void => {
      for (const [k, v] of Object.entries(o)) {
        if (k === 'currentTime' && typeof v === 'string') o[k] = nowIso;
        else if (k === 'interval' && typeof v === 'number') o[k] = this.heartbeatIntervalSec;
        else if (STATUS_KEYS.has(k) && typeof v === 'string') o[k] = acceptedLike(v);
        else if (isJsonObject(v)) visit(v);
        else if (Array.isArray(v)) for (const item of v as JsonValue[]) if (isJsonObject(item)) visit(item);
      }
    };
    visit(payload);
    if (version === '1.6' && action === 'StartTransaction')
      payload['transactionId'] = this.nextTransactionId++;
    if (version !== '1.6' && action === 'RequestStartTransaction' && 'transactionId' in payload)
      payload['transactionId'] = String(this.nextTransactionId++);
    if (version === '1.6' && action === 'BootNotification') payload['status'] = 'Accepted';
    return payload;
  }
}

/** Example statuses are usually Accepted already; keep their value unless it is plainly a refusal. */
function acceptedLike(v: string): string {
  return /^(Rejected|Blocked|Invalid|Expired|Unknown|Faulted|Failed|Pending)$/.test(v) ? 'Accepted' : v;
}

import type { AutoAnswerPolicy } from '../../../shared/api';
import { exampleResponse } from '../../../shared/ocpp/examples';
import { buildCallError } from '../../../shared/ocpp/frame';
import type { JsonObject, JsonValue } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import { actionInfo } from '../../../shared/ocpp/actions';
import { validatePayload } from '../../../shared/ocpp/schema-registry';
import type { OcppVersion } from '../../../shared/ocpp/versions';

/** What to do with one incoming CALL. */
export type AnswerDecision =
  | {
      kind: 'send';
      text: string;
      mode: 'auto' | 'payload' | 'callerror';
      /** Built by us and valid by construction (checked once per action): no need to parse it again. */
      trusted?: { type: 3 | 4; errorCode?: string };
    }
  | { kind: 'hold'; suggested: string };

const NOW = '@@ocpp-scope-now@@';
const TXID = '@@ocpp-scope-transaction-id@@';
const NOW_QUOTED = `"${NOW}"`;
const TXID_QUOTED = `"${TXID}"`;

/** An answer payload as JSON text with placeholders for the live values, checked once against the schema. */
/** How a canned CALLRESULT is recorded (shared: made once, not per answer). */
const TRUSTED_RESULT: { type: 3 } = Object.freeze({ type: 3 });

interface Template {
  text: string;
  now: boolean;
  txid: 'number' | 'string' | undefined;
  /** The text with the time last filled in, and that time: calls within one millisecond share it. */
  nowText: string;
  nowIso: string;
}

/**
 * What one (scope, action) resolves to: its policy and, once looked up, its answer template (null: none). The only
 * cache of templates: built again after setPolicies (rare), one per role that answers the action.
 */
interface Resolved {
  policy: AutoAnswerPolicy;
  template: Template | null | undefined;
}

export interface AutoAnswerOptions {
  /** Interval (s) put in BootNotification responses. */
  heartbeatIntervalSec?: number;
  /** Answer frames that do not parse with the CALLERROR the version prescribes (when their id can be read). */
  answerMalformed?: boolean;
  now?: () => Date;
}

const STATUS_KEYS = new Set(['status']);

/** The most actions resolved per scope past which only real actions (of the version's schemas) are kept. */
const MAX_RESOLVED = 1024;

/** Which of our roles answers: the endpoint (as a CSMS) or the station (as a charger). */
export type AnswerRole = 'endpoint' | 'station';

/**
 * The auto-answer policy per (role, version, action) and the live values that make example responses realistic: the
 * current time, a heartbeat interval, an incrementing transaction id, Accepted statuses. Policies are matched by
 * exact action first, then by action `*` for the version; with no policy the answer is `auto`. A policy belongs to
 * one role (default endpoint): one set for chargers on the endpoint never changes how our station answers a CSMS.
 */
export class AutoAnswerBook {
  private policies = new Map<string, AutoAnswerPolicy>();
  /**
   * Policy (and, once looked up, answer template) per version and action as resolved on first use (no key building
   * per frame, one lookup for both); cleared by setPolicies.
   */
  private resolved = new Map<string, Map<string, Resolved>>();
  /**
   * The last (version, action, role) resolved and what it resolved to: a fleet of chargers sends mostly the same
   * action (Heartbeat), which then costs three string comparisons instead of two map lookups per call.
   */
  private lastVersion: OcppVersion | undefined;
  private lastAction = '';
  private lastRole: AnswerRole = 'endpoint';
  private last: Resolved | undefined;
  private isoAt = NaN;
  private iso = '';
  private nextTransactionId = 1;
  heartbeatIntervalSec: number;
  answerMalformed: boolean;
  private readonly now: () => Date;

  constructor(options: AutoAnswerOptions = {}) {
    this.heartbeatIntervalSec = options.heartbeatIntervalSec ?? 300;
    this.answerMalformed = options.answerMalformed ?? true;
    this.now = options.now ?? systemNow;
  }

  setPolicies(list: readonly AutoAnswerPolicy[]): void {
    this.policies = new Map(list.map((p) => [`${p.role ?? 'endpoint'} ${p.version} ${p.action}`, p]));
    this.resolved = new Map();
    this.last = undefined;
  }

  listPolicies(): AutoAnswerPolicy[] {
    return [...this.policies.values()];
  }

  policyFor(version: OcppVersion, action: string, role: AnswerRole = 'endpoint'): AutoAnswerPolicy {
    return this.resolve(version, action, role).policy;
  }

  private resolve(version: OcppVersion, action: string, role: AnswerRole): Resolved {
    const last = this.last;
    if (
      last !== undefined &&
      action === this.lastAction &&
      version === this.lastVersion &&
      role === this.lastRole
    )
      return last;
    const r = this.lookUp(version, action, role);
    this.lastVersion = version;
    this.lastAction = action;
    this.lastRole = role;
    this.last = r;
    return r;
  }

  private lookUp(version: OcppVersion, action: string, role: AnswerRole): Resolved {
    const scope = role === 'endpoint' ? version : `${role} ${version}`;
    let byAction = this.resolved.get(scope);
    if (!byAction) this.resolved.set(scope, (byAction = new Map()));
    let r = byAction.get(action);
    if (!r) {
      const policy = this.policies.get(`${role} ${version} ${action}`) ??
        this.policies.get(`${role} ${version} *`) ?? { version, action, mode: 'auto' };
      r = { policy, template: undefined };
      // Bounded: a peer inventing action names must not grow this without end. A real action is always kept (the
      // schemas bound those): its answer template lives here only, and would be built again for every call.
      if (byAction.size < MAX_RESOLVED || actionInfo(version, action) !== undefined) byAction.set(action, r);
    }
    return r;
  }

  decide(
    version: OcppVersion,
    messageId: string,
    action: string,
    role: AnswerRole = 'endpoint',
  ): AnswerDecision {
    const resolved = this.resolve(version, action, role);
    const policy = resolved.policy;
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
            // GenericError is defined by every OCPP version, so it is a safe default for all of them.
            policy.errorCode ?? 'GenericError',
            policy.errorDescription ?? '',
          ),
        };
      default: {
        const payload = this.payloadOf(resolved, version, action);
        if (payload === undefined)
          return {
            kind: 'send',
            mode: 'auto',
            text: notImplemented(version, messageId, action),
            trusted: { type: 4, errorCode: 'NotImplemented' },
          };
        return {
          kind: 'send',
          mode: 'auto',
          text: `[3,${JSON.stringify(messageId)},${payload}]`,
          trusted: TRUSTED_RESULT,
        };
      }
    }
  }

  /** A CALLRESULT for `action`, or a NotImplemented CALLERROR when the version has no such action. */
  autoText(version: OcppVersion, messageId: string, action: string): string {
    const payload = this.payloadText(version, action);
    if (payload === undefined) return notImplemented(version, messageId, action);
    return `[3,${JSON.stringify(messageId)},${payload}]`;
  }

  /** A schema-valid response payload with live values, or undefined when the action is unknown. */
  liveResponse(version: OcppVersion, action: string): JsonObject | undefined {
    const text = this.payloadText(version, action);
    return text === undefined ? undefined : (JSON.parse(text) as JsonObject);
  }

  /** The response payload as JSON text with live values filled in; cheap after the first call per action. */
  payloadText(version: OcppVersion, action: string): string | undefined {
    // A template does not depend on the role: the endpoint's entry holds it for any caller.
    return this.payloadOf(this.lookUp(version, action, 'endpoint'), version, action);
  }

  /** The payload text of `r`'s template with live values, its template built at the first use. */
  private payloadOf(r: Resolved, version: OcppVersion, action: string): string | undefined {
    if (r.template === undefined) r.template = this.buildTemplate(version, action);
    return r.template === null ? undefined : this.filled(r.template);
  }

  /** A template's text with the live values filled in. */
  private filled(t: Template): string {
    let text = t.text;
    if (t.now) {
      const iso = this.nowIso();
      if (t.nowIso !== iso) {
        t.nowText = text.replaceAll(NOW_QUOTED, `"${iso}"`);
        t.nowIso = iso;
      }
      text = t.nowText;
    }
    if (t.txid) {
      const id = this.nextTransactionId++;
      text = text.replaceAll(TXID_QUOTED, t.txid === 'number' ? String(id) : `"${id}"`);
    }
    return text;
  }

  /** The current time in ISO form, formatted at most once per millisecond (auto-answer runs per frame). */
  private nowIso(): string {
    // Without an injected clock, Date.now() avoids a Date object per frame.
    const d = this.now === systemNow ? undefined : this.now();
    const ms = d ? d.getTime() : Date.now();
    if (ms !== this.isoAt) {
      this.isoAt = ms;
      this.iso = (d ?? new Date(ms)).toISOString();
    }
    return this.iso;
  }

  private buildTemplate(version: OcppVersion, action: string): Template | null {
    const info = actionInfo(version, action);
    if (!info || info.sendOnly) return null;
    let example: JsonObject;
    try {
      example = exampleResponse(version, action);
    } catch {
      return null;
    }
    const live = this.withLiveValues(version, action, structuredClone(example));
    // Live values must never make an answer invalid: check one concrete instance, else use the plain example.
    const t: Template = {
      text: JSON.stringify(live.payload),
      now: live.now,
      txid: live.txid,
      nowText: '',
      nowIso: '',
    };
    const sample = JSON.parse(
      t.text
        .split(`"${NOW}"`)
        .join(JSON.stringify(new Date().toISOString()))
        .split(`"${TXID}"`)
        .join(t.txid === 'string' ? '"1"' : '1'),
    ) as JsonObject;
    if (validatePayload(version, action, 'response', sample).some((f) => f.severity === 'error'))
      return { text: JSON.stringify(example), now: false, txid: undefined, nowText: '', nowIso: '' };
    return t;
  }

  private withLiveValues(
    version: OcppVersion,
    action: string,
    payload: JsonObject,
  ): { payload: JsonObject; now: boolean; txid: 'number' | 'string' | undefined } {
    let now = false;
    let txid: 'number' | 'string' | undefined;
    const visit = (o: JsonObject): void => {
      for (const [k, v] of Object.entries(o)) {
        if (k === 'currentTime' && typeof v === 'string') {
          o[k] = NOW;
          now = true;
        } else if (k === 'interval' && typeof v === 'number') o[k] = this.heartbeatIntervalSec;
        else if (STATUS_KEYS.has(k) && typeof v === 'string') o[k] = acceptedLike(v);
        else if (isJsonObject(v)) visit(v);
        else if (Array.isArray(v)) for (const item of v as JsonValue[]) if (isJsonObject(item)) visit(item);
      }
    };
    visit(payload);
    if (version === '1.6' && action === 'StartTransaction') {
      payload['transactionId'] = TXID;
      txid = 'number';
    }
    if (version !== '1.6' && action === 'RequestStartTransaction' && 'transactionId' in payload) {
      payload['transactionId'] = TXID;
      txid = 'string';
    }
    if (version === '1.6' && action === 'BootNotification') payload['status'] = 'Accepted';
    return { payload, now, txid };
  }
}

function systemNow(): Date {
  return new Date();
}

function notImplemented(version: OcppVersion, messageId: string, action: string): string {
  return buildCallError(messageId, 'NotImplemented', `Unknown action ${action} for OCPP ${version}`);
}

/** Example statuses are usually Accepted already; keep their value unless it is plainly a refusal. */
function acceptedLike(v: string): string {
  return /^(Rejected|Blocked|Invalid|Expired|Unknown|Faulted|Failed|Pending)$/.test(v) ? 'Accepted' : v;
}

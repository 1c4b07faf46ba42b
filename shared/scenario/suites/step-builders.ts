import type { JsonObject, JsonValue } from '../../ocpp/json';
import type { ExpectStep, Matcher, MessageTypeName, SendStep, Step } from '../scenario-types';

/** Short builders for the built-in suites: the suites read as a list of exchanges, not as JSON plumbing. */

export function send(
  action: string,
  payload: JsonObject = {},
  extra: { name?: string; messageId?: string } = {},
): SendStep {
  return { step: 'send', action, payload, ...extra };
}

export function sendRaw(raw: string, title?: string): SendStep {
  return { step: 'send', raw, ...(title ? { title } : {}) };
}

export function sendFrame(frame: JsonValue[], name?: string): SendStep {
  return { step: 'send', frame, ...(name ? { name } : {}) };
}

export function is(value: JsonValue): Matcher {
  return { equals: value };
}

export function oneOf(...values: JsonValue[]): Matcher {
  return { oneOf: values };
}

/** The answer to our last call is a CALLRESULT whose payload matches. */
export function result(match: Record<string, Matcher> = {}, extra: Partial<ExpectStep> = {}): ExpectStep {
  return {
    step: 'expect',
    messageType: 'CALLRESULT',
    ...(Object.keys(match).length ? { match } : {}),
    ...extra,
  };
}

/** The answer to our last call is a CALLRESULT with this status. */
export function status(...accepted: string[]): ExpectStep {
  return result({ '/status': accepted.length === 1 ? is(accepted[0]!) : oneOf(...accepted) });
}

/** The answer to our last call is a CALLERROR with one of these codes (any code when none given). */
export function callError(codes: string[] = [], extra: Partial<ExpectStep> = {}): ExpectStep {
  return {
    step: 'expect',
    messageType: 'CALLERROR',
    ...(codes.length ? { errorCode: codes } : {}),
    ...extra,
  };
}

/** Any answer (CALLRESULT or CALLERROR) to a named call, or to the last one. */
export function answered(answering = 'last'): ExpectStep {
  const types: MessageTypeName[] = ['CALLRESULT', 'CALLERROR'];
  return { step: 'expect', messageType: types, answering };
}

/** The peer sends a CALL of this action. */
export function peerCall(
  action: string,
  match: Record<string, Matcher> = {},
  extra: Partial<ExpectStep> = {},
): ExpectStep {
  return {
    step: 'expect',
    messageType: 'CALL',
    action,
    ...(Object.keys(match).length ? { match } : {}),
    ...extra,
  };
}

export function prompt(text: string, timeoutSec = 300): Step {
  return { step: 'prompt', text, timeoutSec };
}

/** An ISO 8601 date-time with at least seconds (the start of one). */
export const ISO_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}';

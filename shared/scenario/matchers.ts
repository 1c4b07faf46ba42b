import type { Frame, MessageTypeId } from '../ocpp/frame-types';
import { MESSAGE_TYPE_NAME } from '../ocpp/frame-types';
import type { JsonValue } from '../ocpp/json';
import { resolvePointer } from '../ocpp/json-pointer';
import type { ExpectNoneStep, ExpectStep, Matcher, MessageTypeName } from './scenario-types';

/**
 * Pure matching of live frames against expect steps: which frames are candidates (type, action, id), and for a
 * candidate which matcher fails and why, in words a report can print. Used by the check runner and by anything else
 * that must say "this frame is (not) what was expected".
 */

export const MESSAGE_TYPE_IDS: Readonly<Record<MessageTypeName, MessageTypeId>> = {
  CALL: 2,
  CALLRESULT: 3,
  CALLERROR: 4,
  CALLRESULTERROR: 5,
  SEND: 6,
};

function list<T>(v: T | T[] | undefined): T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

export function typeIds(types: MessageTypeName | MessageTypeName[] | undefined): MessageTypeId[] | undefined {
  return list(types)?.map((t) => MESSAGE_TYPE_IDS[t]);
}

function kind(v: JsonValue): NonNullable<Matcher['type']> {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as 'string' | 'boolean' | 'object';
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a);
  const ob = b as Record<string, unknown>;
  return (
    ka.length === Object.keys(ob).length &&
    ka.every((k) => Object.hasOwn(ob, k) && deepEqual((a as Record<string, unknown>)[k], ob[k]))
  );
}

function show(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Why `value` (undefined = not there) fails `m`, or undefined when it passes. */
export function matcherFailure(m: Matcher, value: JsonValue | undefined): string | undefined {
  if (m.absent) return value === undefined ? undefined : `is ${show(value)}, expected it absent`;
  if (value === undefined) return 'is absent';
  if (m.exists === false) return `is ${show(value)}, expected it absent`;
  if (m.equals !== undefined && !deepEqual(value, m.equals))
    return `is ${show(value)}, expected ${show(m.equals)}`;
  if (m.oneOf !== undefined && !m.oneOf.some((x) => deepEqual(x, value)))
    return `is ${show(value)}, expected one of ${m.oneOf.map(show).join(', ')}`;
  if (m.type !== undefined) {
    const k = kind(value);
    if (!(k === m.type || (m.type === 'number' && k === 'integer')))
      return `is ${show(value)} (${k}), expected a value of type ${m.type}`;
  }
  if (m.regex !== undefined) {
    if (typeof value !== 'string') return `is ${show(value)}, expected a string matching /${m.regex}/`;
    let re: RegExp;
    try {
      re = new RegExp(m.regex);
    } catch {
      return `cannot be tested: /${m.regex}/ is not a valid regular expression`;
    }
    if (!re.test(value)) return `is ${show(value)}, expected a string matching /${m.regex}/`;
  }
  if (m.min !== undefined || m.max !== undefined) {
    if (typeof value !== 'number') return `is ${show(value)}, expected a number`;
    if (m.min !== undefined && value < m.min) return `is ${value}, expected at least ${m.min}`;
    if (m.max !== undefined && value > m.max) return `is ${value}, expected at most ${m.max}`;
  }
  return undefined;
}

/** The matcher in words: `= "Accepted"`, `one of 1, 2`, `matches /x/`, `in [0, 10]`, `present`, `absent`. */
export function describeMatcher(m: Matcher): string {
  const parts: string[] = [];
  if (m.absent || m.exists === false) return 'absent';
  if (m.equals !== undefined) parts.push(`= ${show(m.equals)}`);
  if (m.oneOf !== undefined) parts.push(`one of ${m.oneOf.map(show).join(', ')}`);
  if (m.type !== undefined) parts.push(`a ${m.type}`);
  if (m.regex !== undefined) parts.push(`matches /${m.regex}/`);
  if (m.min !== undefined && m.max !== undefined) parts.push(`in [${m.min}, ${m.max}]`);
  else if (m.min !== undefined) parts.push(`>= ${m.min}`);
  else if (m.max !== undefined) parts.push(`<= ${m.max}`);
  return parts.length ? parts.join(' and ') : 'present';
}

/** The payload pointers address: the payload for CALL/CALLRESULT/SEND, errorDetails for errors. */
export function payloadOf(frame: Frame): JsonValue {
  return frame.type === 4 || frame.type === 5 ? frame.errorDetails : frame.payload;
}

export function frameLabel(frame: Frame, action?: string): string {
  const name = MESSAGE_TYPE_NAME[frame.type];
  if (frame.type === 2 || frame.type === 6) return `${name} ${frame.action}`;
  const to = action ? ` to ${action}` : '';
  if (frame.type === 4 || frame.type === 5) return `${name} ${frame.errorCode}${to}`;
  return `${name}${to}`;
}

/** What an expect needs to know about the frame besides the frame itself. */
export interface FrameContext {
  /** For answers: the action of our call it answers, when known. */
  answeredAction?: string;
}

/** The id an answer must carry, resolved by the runner from `answering` (undefined = any id). */
export type AnswerIdFilter = string | undefined;

/**
 * Does the frame have the kind the step waits for (type, action, ids)? Frames of another kind are skipped; a frame
 * of the right kind that fails a matcher is a failure (see `contentFailures`).
 */
export function isCandidate(
  step: Pick<ExpectStep, 'messageType' | 'action' | 'messageId'> | ExpectNoneStep,
  frame: Frame,
  context: FrameContext,
  answerId?: AnswerIdFilter,
): boolean {
  const types = typeIds(step.messageType) ?? (step.action !== undefined ? [2, 6, 3, 4] : undefined);
  if (types && !types.includes(frame.type)) return false;
  const actions = list(step.action);
  if (actions) {
    const a = frame.type === 2 || frame.type === 6 ? frame.action : context.answeredAction;
    if (a === undefined || !actions.includes(a)) return false;
  }
  if ('messageId' in step && step.messageId !== undefined && frame.id !== step.messageId) return false;
  if (
    answerId !== undefined &&
    (frame.type === 3 || frame.type === 4 || frame.type === 5) &&
    frame.id !== answerId
  )
    return false;
  return true;
}

/** Every reason the candidate fails the step's content tests (error codes, pointers); empty when it passes. */
export function contentFailures(step: Pick<ExpectStep, 'errorCode' | 'match'>, frame: Frame): string[] {
  const out: string[] = [];
  const codes = list(step.errorCode);
  if (codes) {
    if (frame.type !== 4 && frame.type !== 5)
      out.push(`expected a CALLERROR with ${codes.join(' or ')}, got ${MESSAGE_TYPE_NAME[frame.type]}`);
    else if (!codes.includes(frame.errorCode))
      out.push(`errorCode is "${frame.errorCode}", expected ${codes.map((c) => `"${c}"`).join(' or ')}`);
  }
  const payload = payloadOf(frame);
  for (const [pointer, m] of Object.entries(step.match ?? {})) {
    const r = resolvePointer(payload, pointer);
    const why = matcherFailure(m, r.found ? r.value : undefined);
    if (why) out.push(`${pointer || '(payload)'} ${why}`);
  }
  return out;
}

/** The expect step in words, for progress lines and reports. */
export function describeExpect(step: ExpectStep | ExpectNoneStep, timeoutSec: number): string {
  const types = list(step.messageType)?.join(' or ') ?? (step.action ? '' : 'any frame');
  const actions = list(step.action);
  const isAnswer = list(step.messageType)?.every((t) => t !== 'CALL' && t !== 'SEND') ?? false;
  const what = [types, actions ? `${isAnswer ? 'to ' : ''}${actions.join(' or ')}` : '']
    .filter(Boolean)
    .join(' ');
  const within = `within ${step.within ?? timeoutSec} s`;
  if (step.step === 'expect-none') return `no ${what} ${within}`;
  const tests: string[] = [];
  const codes = list(step.errorCode);
  if (codes) tests.push(`errorCode ${codes.join(' or ')}`);
  for (const [p, m] of Object.entries(step.match ?? {})) tests.push(`${p} ${describeMatcher(m)}`);
  return `${what}${tests.length ? ` with ${tests.join(', ')}` : ''} ${within}`;
}

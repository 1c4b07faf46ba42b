import { stringifyJson } from './json-deep';
import { randomUuid } from './random-uuid';
import { formatViolationCode, messageTypeNotSupportedCode, rpcFrameworkErrorCode } from './error-codes';
import type { Frame, FrameProblem, FrameProblemCode, MessageTypeId, ParseResult } from './frame-types';
import { MESSAGE_TYPE_NAME } from './frame-types';
import { jsonErrorPosition } from './json-error-position';
import type { JsonObject, JsonValue } from './json';
import { isJsonObject } from './json';
import type { OcppVersion } from './versions';

/** OCPP-J: a message id is a string of at most 36 characters. */
export const MAX_MESSAGE_ID_LENGTH = 36;

/** Message types each version defines. 5 (CALLRESULTERROR) and 6 (SEND) arrived with 2.1. */
export const MESSAGE_TYPES_OF: Readonly<Record<OcppVersion, readonly MessageTypeId[]>> = {
  '1.6': [2, 3, 4],
  '2.0.1': [2, 3, 4],
  '2.1': [2, 3, 4, 5, 6],
};

/** Elements in a well-formed frame of each type. */
export const ELEMENT_COUNT: Readonly<Record<MessageTypeId, number>> = { 2: 4, 3: 3, 4: 5, 5: 5, 6: 4 };

/** With no version known every type 2-6 is accepted, so a frame is never rejected for a version we guessed. */
export function isMessageTypeAllowed(version: OcppVersion | undefined, type: number): boolean {
  if (version === undefined) return type >= 2 && type <= 6 && Number.isInteger(type);
  return (MESSAGE_TYPES_OF[version] as readonly number[]).includes(type);
}

/**
 * The CALLERROR code a version prescribes for each frame problem. Without a version the 2.x codes are used: they
 * distinguish frame, type and payload problems, where 1.6 only has FormationViolation.
 */
export function frameProblemErrorCode(version: OcppVersion | undefined, code: FrameProblemCode): string {
  switch (code) {
    case 'unknown-message-type':
    case 'message-type-not-supported':
      return messageTypeNotSupportedCode(version);
    case 'payload-not-object':
      return formatViolationCode(version);
    default:
      return rpcFrameworkErrorCode(version);
  }
}

const describeValue = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  if (v === undefined) return 'nothing';
  return `${typeof v} ${String(v)}`;
};

/** Best-effort id from text that is not JSON: `[2, "abc", ...` still tells us whom to answer. */
const ID_IN_BROKEN_TEXT = /^\s*\[\s*\d\s*,\s*"([^"\\]{1,36})"/;

function lineAndColumn(text: string, pos: number): string {
  let line = 1;
  let col = 1;
  for (let k = 0; k < pos && k < text.length; k++) {
    if (text.charCodeAt(k) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return line === 1 ? `character ${pos + 1}` : `line ${line}, column ${col}`;
}

function notJson(text: string, version: OcppVersion | undefined): FrameProblem {
  let pos = jsonErrorPosition(text);
  if (pos < 0) pos = text.length;
  let message: string;
  if (text.trim() === '') message = 'The frame is empty: an OCPP-J frame is a JSON array.';
  else if (text.charCodeAt(0) === 0xfeff)
    message = 'The frame starts with a byte order mark (U+FEFF): not JSON.';
  else if (pos >= text.length) message = `The JSON text ends too early (at ${lineAndColumn(text, pos)}).`;
  else {
    const ch = text.codePointAt(pos) ?? 0;
    const shown =
      ch < 0x20 ? `control character U+${ch.toString(16).padStart(4, '0')}` : `'${String.fromCodePoint(ch)}'`;
    message = `Not JSON: unexpected ${shown} at ${lineAndColumn(text, pos)}.`;
  }
  const problem: FrameProblem = {
    code: 'not-json',
    message,
    errorCode: frameProblemErrorCode(version, 'not-json'),
    position: pos,
  };
  const m = ID_IN_BROKEN_TEXT.exec(text);
  if (m?.[1] !== undefined) problem.messageId = m[1];
  return problem;
}

function problemOf(
  version: OcppVersion | undefined,
  code: FrameProblemCode,
  message: string,
  value: JsonValue,
  messageId?: string,
): ParseResult {
  const problem: FrameProblem = { code, message, errorCode: frameProblemErrorCode(version, code), value };
  if (messageId !== undefined) problem.messageId = messageId;
  return { ok: false, problem };
}

/** Counts code points, not UTF-16 units, so an id of 36 emoji is still 36 characters. */
function charLength(s: string): number {
  if (s.length <= MAX_MESSAGE_ID_LENGTH) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * The problem as an event stores it: without the parsed value. The event's text is the truth, and a hostile value
 * can be nested deeper than JSON.stringify or a structured clone (IPC) can handle.
 */
export function problemForEvent(p: FrameProblem): FrameProblem {
  if (p.value === undefined) return p;
  const out: FrameProblem = { code: p.code, message: p.message, errorCode: p.errorCode };
  if (p.position !== undefined) out.position = p.position;
  if (p.messageId !== undefined) out.messageId = p.messageId;
  return out;
}

/**
 * Parses one OCPP-J frame. Never throws: any input gives either the typed frame or a precise problem with the error
 * code the version prescribes. The text stays the truth; the frame is a view of it.
 */
export function parseFrame(text: string, version?: OcppVersion): ParseResult {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return { ok: false, problem: notJson(typeof text === 'string' ? text : String(text), version) };
  }
  return frameFromValue(value, version);
}

/** The second half of parseFrame, for values already parsed (captures, tests). Never throws. */
export function frameFromValue(value: JsonValue, version?: OcppVersion): ParseResult {
  if (!Array.isArray(value)) {
    return problemOf(
      version,
      'not-array',
      `An OCPP-J frame is a JSON array, but this is ${describeValue(value)}.`,
      value,
    );
  }
  if (value.length === 0) return problemOf(version, 'empty-array', 'The frame is an empty array.', value);
  const type = value[0];
  const rawId = value[1];
  // Keep a readable id for every later problem so the peer can still be answered.
  const readableId =
    typeof rawId === 'string' && rawId !== '' && charLength(rawId) <= MAX_MESSAGE_ID_LENGTH
      ? rawId
      : undefined;
  if (typeof type !== 'number') {
    return problemOf(
      version,
      'message-type-not-number',
      `The message type (first element) must be a number, but is ${describeValue(type)}.`,
      value,
      readableId,
    );
  }
  if (!(Number.isInteger(type) && type >= 2 && type <= 6)) {
    return problemOf(
      version,
      'unknown-message-type',
      `Unknown message type ${type}: OCPP-J knows ${
        version === '2.1' || version === undefined
          ? '2 (CALL), 3 (CALLRESULT), 4 (CALLERROR), 5 (CALLRESULTERROR) and 6 (SEND)'
          : '2 (CALL), 3 (CALLRESULT) and 4 (CALLERROR)'
      }.`,
      value,
      readableId,
    );
  }
  const t = type as MessageTypeId;
  if (!isMessageTypeAllowed(version, t)) {
    return problemOf(
      version,
      'message-type-not-supported',
      `Message type ${t} (${MESSAGE_TYPE_NAME[t]}) exists only in OCPP 2.1, not in ${version}.`,
      value,
      readableId,
    );
  }
  const name = MESSAGE_TYPE_NAME[t];
  if (value.length >= 2) {
    if (typeof rawId !== 'string') {
      return problemOf(
        version,
        'message-id-not-string',
        `The message id (second element) must be a string, but is ${describeValue(rawId)}.`,
        value,
      );
    }
    if (rawId === '') return problemOf(version, 'message-id-empty', 'The message id is empty.', value);
    const len = charLength(rawId);
    if (len > MAX_MESSAGE_ID_LENGTH) {
      return problemOf(
        version,
        'message-id-too-long',
        `The message id is ${len} characters long; at most ${MAX_MESSAGE_ID_LENGTH} are allowed.`,
        value,
        // Still readable: kept so the frame can be answered and paired.
        rawId,
      );
    }
  }
  const expected = ELEMENT_COUNT[t];
  if (value.length !== expected) {
    return problemOf(
      version,
      'wrong-element-count',
      `A ${name} has ${expected} elements, but this one has ${value.length}.`,
      value,
      readableId,
    );
  }
  const id = rawId as string;
  switch (t) {
    case 2:
    case 6: {
      const action = value[2];
      const payload = value[3];
      if (typeof action !== 'string') {
        return problemOf(
          version,
          'action-not-string',
          `The action (third element) must be a string, but is ${describeValue(action)}.`,
          value,
          id,
        );
      }
      if (action === '') return problemOf(version, 'action-empty', 'The action name is empty.', value, id);
      if (!isJsonObject(payload)) {
        return problemOf(
          version,
          'payload-not-object',
          `The ${action} payload must be a JSON object, but is ${describeValue(payload)}.`,
          value,
          id,
        );
      }
      return { ok: true, frame: { type: t, id, action, payload } };
    }
    case 3: {
      const payload = value[2];
      if (!isJsonObject(payload)) {
        return problemOf(
          version,
          'payload-not-object',
          `The CALLRESULT payload must be a JSON object, but is ${describeValue(payload)}.`,
          value,
          id,
        );
      }
      return { ok: true, frame: { type: 3, id, payload } };
    }
    case 4:
    case 5: {
      const [, , errorCode, errorDescription, errorDetails] = value;
      if (typeof errorCode !== 'string') {
        return problemOf(
          version,
          'error-code-not-string',
          `The error code (third element) must be a string, but is ${describeValue(errorCode)}.`,
          value,
          id,
        );
      }
      if (typeof errorDescription !== 'string') {
        return problemOf(
          version,
          'error-description-not-string',
          `The error description (fourth element) must be a string, but is ${describeValue(errorDescription)}.`,
          value,
          id,
        );
      }
      if (!isJsonObject(errorDetails)) {
        return problemOf(
          version,
          'error-details-not-object',
          `The error details (fifth element) must be a JSON object, but are ${describeValue(errorDetails)}.`,
          value,
          id,
        );
      }
      return { ok: true, frame: { type: t, id, errorCode, errorDescription, errorDetails } };
    }
  }
}

/** The JSON array of a frame, in wire order. */
export function frameToArray(frame: Frame): JsonValue[] {
  switch (frame.type) {
    case 2:
    case 6:
      return [frame.type, frame.id, frame.action, frame.payload];
    case 3:
      return [3, frame.id, frame.payload];
    case 4:
    case 5:
      return [frame.type, frame.id, frame.errorCode, frame.errorDescription, frame.errorDetails];
  }
}

/** Compact JSON text of a frame, as most peers send it. */
export function serializeFrame(frame: Frame): string {
  return stringifyJson(frameToArray(frame));
}

// The builders take any values on purpose: a diagnostic tool must be able to build frames that are wrong.
export function buildCall(id: string, action: string, payload: JsonObject = {}): string {
  return stringifyJson([2, id, action, payload]);
}

export function buildCallResult(id: string, payload: JsonObject = {}): string {
  return stringifyJson([3, id, payload]);
}

export function buildCallError(id: string, code: string, description = '', details: JsonObject = {}): string {
  return stringifyJson([4, id, code, description, details]);
}

/** 2.1 only: the receiver of a CALLRESULT could not process it. */
export function buildCallResultError(
  id: string,
  code: string,
  description = '',
  details: JsonObject = {},
): string {
  return stringifyJson([5, id, code, description, details]);
}

/** 2.1 only: an unconfirmed message that is never answered. */
export function buildSend(id: string, action: string, payload: JsonObject = {}): string {
  return stringifyJson([6, id, action, payload]);
}

/** A fresh message id: a random UUID, exactly 36 characters, unique per sender as OCPP-J asks. */
export function newMessageId(): string {
  return randomUuid();
}

import type { JsonObject, JsonValue } from './json';

/** OCPP-J message type ids. 5 (CALLRESULTERROR) and 6 (SEND) exist only in 2.1. */
export const MessageType = {
  Call: 2,
  CallResult: 3,
  CallError: 4,
  CallResultError: 5,
  Send: 6,
} as const;
export type MessageTypeId = (typeof MessageType)[keyof typeof MessageType];

export const MESSAGE_TYPE_NAME: Readonly<Record<MessageTypeId, string>> = {
  2: 'CALL',
  3: 'CALLRESULT',
  4: 'CALLERROR',
  5: 'CALLRESULTERROR',
  6: 'SEND',
};

export interface CallFrame {
  type: 2;
  id: string;
  action: string;
  payload: JsonObject;
}
export interface CallResultFrame {
  type: 3;
  id: string;
  payload: JsonObject;
}
export interface CallErrorFrame {
  type: 4;
  id: string;
  errorCode: string;
  errorDescription: string;
  errorDetails: JsonObject;
}
export interface CallResultErrorFrame {
  type: 5;
  id: string;
  errorCode: string;
  errorDescription: string;
  errorDetails: JsonObject;
}
export interface SendFrame {
  type: 6;
  id: string;
  action: string;
  payload: JsonObject;
}
export type Frame = CallFrame | CallResultFrame | CallErrorFrame | CallResultErrorFrame | SendFrame;

/** Stable codes for why a text is not a well-formed OCPP-J frame. */
export type FrameProblemCode =
  | 'not-json'
  | 'not-array'
  | 'empty-array'
  | 'message-type-not-number'
  | 'unknown-message-type'
  | 'message-type-not-supported'
  | 'wrong-element-count'
  | 'message-id-not-string'
  | 'message-id-empty'
  | 'message-id-too-long'
  | 'action-not-string'
  | 'action-empty'
  | 'payload-not-object'
  | 'error-code-not-string'
  | 'error-description-not-string'
  | 'error-details-not-object';

export interface FrameProblem {
  code: FrameProblemCode;
  /** One sentence a person understands. */
  message: string;
  /** The CALLERROR code that the version prescribes as the answer to this problem. */
  errorCode: string;
  /** Character offset in the text, for not-json. */
  position?: number;
  /** The message id, when it could be read despite the problem (so a CALLERROR can be addressed). */
  messageId?: string;
  /** The JSON value, when the text was JSON but not a valid frame. */
  value?: JsonValue;
}

export type ParseResult = { ok: true; frame: Frame } | { ok: false; problem: FrameProblem };

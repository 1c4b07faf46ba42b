import type { ApiMethod, EngineNotice } from './api';

/**
 * The wire format of the contract, shared by the Electron IPC handlers and the serve-mode WebSocket bridge: a call
 * is answered by one reply carrying either the result or an error with a stable code; notices are pushed in batches.
 */

/** Every error code a call can fail with, carried unchanged from where it is raised to the UI and the CLI. */
export const API_ERROR_CODES = [
  /** The method name is not part of the contract. */
  'unknown-method',
  /** An argument failed validation; nothing reached the engine. */
  'bad-arguments',
  /** The caller is not our window (IPC) or lacks the token (bridge). */
  'forbidden',
  /** A feature this build or mode does not have (a native dialog in serve mode). */
  'not-available',
  /** The engine tried and failed; the message says why. */
  'failed',
  /** The bridge connection closed before the answer came. */
  'disconnected',
  /** Opening a file: it is not there, cannot be read, is of no format we read, is too big, or is empty. */
  'not-found',
  'unreadable',
  'unknown-format',
  'too-large',
  'empty',
  /** Sending on a connection that is not open (closing, closed, failed). */
  'not-open',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

const isApiErrorCode = (code: unknown): code is ApiErrorCode =>
  typeof code === 'string' && (API_ERROR_CODES as readonly string[]).includes(code);

export interface ApiFailure {
  code: ApiErrorCode;
  message: string;
}

export type ApiReply = { ok: true; result: unknown } | { ok: false; error: ApiFailure };

export interface BridgeCall {
  type: 'call';
  id: number;
  method: ApiMethod;
  args: unknown[];
}

export type BridgeServerMessage =
  { type: 'reply'; id: number; reply: ApiReply } | { type: 'notices'; notices: EngineNotice[] };

/** An error thrown to the renderer's caller, with the stable code kept. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Turns anything thrown by the engine into a failure a person can read. */
export function failureOf(error: unknown): ApiFailure {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (error instanceof Error) {
    // An engine error's own code travels as is; anything else (a Node error's ENOENT, a bug) is 'failed'.
    const code = (error as { code?: unknown }).code;
    return { code: isApiErrorCode(code) ? code : 'failed', message: error.message };
  }
  return { code: 'failed', message: String(error) };
}

/** Unpacks a reply: the result, or a thrown ApiError. */
export function unwrapReply(reply: ApiReply): unknown {
  if (reply.ok) return reply.result;
  throw new ApiError(reply.error.code, reply.error.message);
}

/** Parses one message from the server; undefined when it is not one of ours. */
export function parseServerMessage(text: string): BridgeServerMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  if (m.type === 'reply' && typeof m.id === 'number' && typeof m.reply === 'object' && m.reply !== null) {
    return m as unknown as BridgeServerMessage;
  }
  if (m.type === 'notices' && Array.isArray(m.notices)) return m as unknown as BridgeServerMessage;
  return undefined;
}

/** Parses one call from a client: the id is kept even when the rest is wrong, so the error can be answered. */
export function parseClientCall(text: string): { id: number; method: unknown; args: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const m = value as Record<string, unknown>;
  if (m.type !== 'call' || typeof m.id !== 'number' || !Number.isSafeInteger(m.id)) return undefined;
  return { id: m.id, method: m.method, args: m.args };
}

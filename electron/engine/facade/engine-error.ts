import type { ApiErrorCode } from '../../../shared/api-bridge';
import { failureOf } from '../../../shared/api-bridge';

/** An error the UI shows as is; `code` survives the IPC and bridge replies (see shared/api-bridge.ts). */
export class EngineError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Keeps the code of an engine error (OpenError's unknown-format, too-large, ...) so the UI and CLI can act on it. */
export function asEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  const f = failureOf(error);
  return new EngineError(f.code, f.message);
}

/** Runs one facade call, turning whatever it throws into an EngineError that keeps its code. */
export async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asEngineError(error);
  }
}

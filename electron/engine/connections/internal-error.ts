import type { EventStream } from './event-stream';

/**
 * Records a bug of the engine as an `error` event (code internal-error) instead of letting it end the process as an
 * uncaught exception or an unhandled rejection. `context`: what it was handling, said after the error (a frame the
 * fault kept out of the record).
 */
export function internalError(stream: EventStream, conn: string, error: unknown, context?: string): void {
  try {
    stream.emit({
      kind: 'error',
      conn,
      code: 'internal-error',
      message: `Internal error: ${error instanceof Error ? error.message : String(error)}${context === undefined ? '' : `; ${context}`}`,
    });
  } catch {
    // The stream itself failed: nothing left to record with.
  }
}

import type { Finding } from '../../../shared/capture/events';
import { HarEntryScanner } from '../../../shared/capture/har-entry-scanner';

/**
 * A HAR's entries from its bytes as they arrive: one entry (one WebSocket connection) parsed at a time, never the
 * whole document. `problem`, asked once the bytes have ended, says why the file ended before its entries did.
 */
export class HarEntryParser {
  private readonly scanner = new HarEntryScanner();
  private readonly decoder = new TextDecoder();
  private unreadable = 0;

  /** The entries this piece of the file completes. */
  push(chunk: Uint8Array): unknown[] {
    return this.scanner.push(this.decoder.decode(chunk, { stream: true })).map(this.parse);
  }

  /** The entries the end of the file completes. */
  end(): unknown[] {
    return this.scanner.push(this.decoder.decode()).map(this.parse);
  }

  private readonly parse = (text: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      this.unreadable++;
      return undefined;
    }
  };

  problem(): Finding | undefined {
    const p = this.scanner.problem();
    if (p) return { code: p.code, severity: 'error', message: p.message };
    if (this.unreadable > 0)
      return {
        code: 'har-not-json',
        severity: 'error',
        message: `Not a HAR file: ${this.unreadable} of its entries are not JSON.`,
      };
    return undefined;
  }
}

/** HarEntryParser over a file's chunks, as a generator of entries. */
export function harFileEntries(chunks: Iterable<Uint8Array>): {
  entries: Generator<unknown>;
  problem: () => Finding | undefined;
} {
  const parser = new HarEntryParser();
  function* entries(): Generator<unknown> {
    for (const chunk of chunks) yield* parser.push(chunk);
    yield* parser.end();
  }
  return { entries: entries(), problem: () => parser.problem() };
}

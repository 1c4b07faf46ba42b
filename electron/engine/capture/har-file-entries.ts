import type { Finding } from '../../../shared/capture/events';
import { HarEntryScanner } from '../../../shared/capture/har-entry-scanner';

/**
 * A HAR's entries from its bytes read chunk by chunk: one entry (one WebSocket connection) parsed at a time, never
 * the whole document. `problem`, asked once the entries are read, says why the file ended before its entries did.
 */
export function harFileEntries(chunks: Iterable<Uint8Array>): {
  entries: Generator<unknown>;
  problem: () => Finding | undefined;
} {
  const scanner = new HarEntryScanner();
  const decoder = new TextDecoder();
  let unreadable = 0;
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      unreadable++;
      return undefined;
    }
  };
  function* entries(): Generator<unknown> {
    for (const chunk of chunks)
      for (const text of scanner.push(decoder.decode(chunk, { stream: true }))) yield parse(text);
    for (const text of scanner.push(decoder.decode())) yield parse(text);
  }
  const problem = (): Finding | undefined => {
    const p = scanner.problem();
    if (p) return { code: p.code, severity: 'error', message: p.message };
    if (unreadable > 0)
      return {
        code: 'har-not-json',
        severity: 'error',
        message: `Not a HAR file: ${unreadable} of its entries are not JSON.`,
      };
    return undefined;
  };
  return { entries: entries(), problem };
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HarEntryScanner } from '../../../shared/capture/har-entry-scanner';

/** A HAR with keys that look like ours in the wrong places, strings with escapes and brackets, nested entries. */
const har = {
  entries: ['not these'],
  log: {
    version: '1.2',
    creator: { name: 'x', entries: [{ no: 1 }] },
    pages: [{ log: { entries: [{ no: 2 }] } }],
    entries: [
      { _resourceType: 'document', request: { url: 'https://a.test/"{[' } },
      {
        _resourceType: 'websocket',
        request: { url: 'ws://127.0.0.1/ocpp/CP\\1', headers: [{ name: 'a', value: '}]\\"' }] },
        _webSocketMessages: [{ type: 'send', time: 1, opcode: 1, data: '[2,"1","Heartbeat",{}]' }],
      },
      null,
      { é: 'ünï', emoji: '😀' },
    ],
    comment: '{"entries":[]}',
  },
};

function scan(pieces: string[]): { entries: unknown[]; scanner: HarEntryScanner } {
  const scanner = new HarEntryScanner();
  const entries: unknown[] = [];
  for (const p of pieces) for (const text of scanner.push(p)) entries.push(JSON.parse(text));
  return { entries, scanner };
}

describe('HarEntryScanner (HAR entries from text in pieces)', () => {
  it('finds exactly the log.entries objects, wherever the text is cut', () => {
    const text = JSON.stringify(har, null, 1);
    const want = har.log.entries.filter((e) => e !== null);
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(text.length), { maxLength: 12 }), (cuts) => {
        const at = [0, ...[...cuts].sort((a, b) => a - b), text.length];
        const { entries, scanner } = scan(at.slice(1).map((end, i) => text.slice(at[i], end)));
        expect(entries).toEqual(want);
        expect(scanner.problem()).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('says what is wrong: not JSON, no log.entries, cut short', () => {
    expect(scan(['<html>']).scanner.problem()?.code).toBe('har-not-json');
    expect(scan(['']).scanner.problem()?.code).toBe('har-not-json');
    expect(scan(['{"log":{"pages":[]}}']).scanner.problem()?.code).toBe('har-no-entries');
    const cut = scan(['{"log":{"entries":[{"a":1},{"b":']);
    expect(cut.entries).toEqual([{ a: 1 }]);
    expect(cut.scanner.problem()?.code).toBe('har-not-json');
    expect(scan(['{"log":{"entries":[]}}]']).scanner.problem()?.code).toBe('har-not-json');
  });
});

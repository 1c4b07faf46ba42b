import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HarEntryScanner } from '../../../shared/capture/har-entry-scanner';
import type { HarListSink } from '../../../shared/capture/har-entry-scanner';
import { mutateText, Rng, seedHar } from '../../fuzz/corpus';

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

/** Entry texts as a scanner with a list sink hands them over, with their lists put back where they were taken. */
function scanApart(pieces: string[]): {
  texts: string[];
  lists: { text: string; elements: string[]; clean: boolean }[];
} {
  const lists = new Map<number, { at: number; text: string; marks: number[]; clean: boolean }>();
  let open: { at: number; text: string; marks: number[]; clean: boolean } | undefined;
  const sink: HarListSink = {
    open: (entry, at) => lists.set(entry, (open = { at, text: '', marks: [], clean: false })),
    text: (piece) => (open!.text += piece),
    element: () => open!.marks.push(open!.text.length),
    close: (clean) => {
      open!.clean = clean;
      open = undefined;
    },
    spoil: (entry) => (lists.get(entry)!.clean = false),
  };
  const scanner = new HarEntryScanner(sink);
  const heads: string[] = [];
  for (const p of pieces) heads.push(...scanner.push(p));
  const texts = heads.map((head, k) => {
    const l = lists.get(k);
    return l ? head.slice(0, l.at) + l.text + head.slice(l.at) : head;
  });
  const out = [...lists.values()].map((l) => ({
    text: l.text,
    clean: l.clean,
    elements: l.marks.flatMap((m, i) => (i % 2 === 0 ? [l.text.slice(m, l.marks[i + 1])] : [])),
  }));
  return { texts, lists: out };
}

const cutAt = (text: string, cuts: number[]): string[] => {
  const at = [0, ...[...cuts].sort((a, b) => a - b), text.length];
  return at.slice(1).map((end, i) => text.slice(at[i], end));
};

describe('HarEntryScanner handing the _webSocketMessages lists apart (a long session is not held as one string)', () => {
  it('hands each list over exactly as written, element by element, wherever the text is cut', () => {
    const text = JSON.stringify(har, null, 1);
    const whole = new HarEntryScanner().push(text);
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(text.length), { maxLength: 12 }), (cuts) => {
        const r = scanApart(cutAt(text, cuts));
        expect(r.texts).toEqual(whole);
        expect(r.lists).toHaveLength(1);
        expect(r.lists[0]!.clean).toBe(true);
        expect(r.lists[0]!.elements.map((e) => JSON.parse(e) as unknown)).toEqual(
          har.log.entries[1]!._webSocketMessages,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('lists JSON would not read as they are split are not clean, and every entry still reads back exactly (damaged HARs too)', () => {
    const msg = '{"data":"]}\\\\\\""}';
    for (const list of [
      `[${msg},]`,
      `[${msg} ${msg}]`,
      `[${msg},7]`,
      `[${msg}}`,
      `[\u0001${msg}]`,
      `["a"]`,
    ]) {
      const text = `{"log":{"entries":[{"_webSocketMessages":${list},"b":[1]},{"_webSocketMessages":[${msg}]}]}}`;
      const r = scanApart([text]);
      expect(r.texts).toEqual(new HarEntryScanner().push(text));
      expect(r.lists[0]?.clean ?? false).toBe(false);
    }
    const seed = seedHar();
    for (let s = 1; s <= 200; s++) {
      const text = new TextDecoder().decode(mutateText(seed, new Rng(s)));
      const whole = new HarEntryScanner().push(text);
      expect(scanApart(cutAt(text, [s * 7, s * 31, s * 101])).texts).toEqual(whole);
    }
  });

  it('a list is not clean when the entry has another key JSON.parse could take for it, before or after the list', () => {
    const list = '"_webSocketMessages":[{"type":"send","data":"a"}]';
    const entry = (e: string): string => `{"log":{"entries":[${e},{${list}}]}}`;
    for (const other of [
      '"_webSocketMessages":[]',
      '"_webSocketMessages":5',
      '"_webSocket\\u004dessages":[]',
      `"${'k'.repeat(300)}":1`,
    ]) {
      for (const e of [`{${list},${other}}`, `{${other},${list}}`]) {
        const { texts, lists } = scanApart(cutAt(entry(e), [7, 40]));
        expect(texts[0]).toBe(e);
        // The first entry's list is not clean (but for a non-list value of the key before it: the list, last, counts); the
        // next entry's, with nothing else, is.
        const lastCounts = other === '"_webSocketMessages":5' && e.startsWith(`{${other}`);
        expect(lists.map((l) => l.clean)).toEqual([lastCounts, true]);
      }
    }
  });

  it('a long key of the entry (up to 256 characters) leaves its list clean', () => {
    const list = '"_webSocketMessages":[{"type":"send","data":"a"}]';
    for (const key of ['k'.repeat(40), 'k'.repeat(200), 'k'.repeat(256)]) {
      const text = `{"log":{"entries":[{"${key}":1,${list}}]}}`;
      expect(scanApart(cutAt(text, [9, 60])).lists.map((l) => l.clean)).toEqual([true]);
    }
  });
});

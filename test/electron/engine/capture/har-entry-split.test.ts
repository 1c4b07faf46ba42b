import { describe, expect, it } from 'vitest';
import { HarEntryParser } from '../../../../electron/engine/capture/har-file-entries';
import { splitEntry } from '../../../../electron/engine/capture/har-entry-split';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { eventsToHar, harEventReader } from '../../../../shared/capture/har';
import { mutateText, Rng, seedHar } from '../../../fuzz/corpus';
import { session } from './fixtures';

/** What a HAR reads as: its events, connections and findings, with entries parsed whole or split (splitAbove). */
function read(text: string, splitAbove: number): unknown {
  const parser = new HarEntryParser(splitAbove);
  const events: ScopeEvent[] = [];
  const reader = harEventReader((e) => events.push(e));
  const bytes = new TextEncoder().encode(text);
  // Pieces of uneven size, as a file arrives.
  for (let at = 0; at < bytes.length; at += 777)
    for (const r of parser.push(bytes.subarray(at, at + 777))) reader.take(r.entry, r.messages);
  for (const r of parser.end()) reader.take(r.entry, r.messages);
  const h = reader.end(() => parser.problem());
  return JSON.parse(JSON.stringify({ events, connections: h.connections, findings: h.findings })) as unknown;
}

const expectSameSplit = (text: string): void => expect(read(text, 0)).toEqual(read(text, Infinity));

describe('a big HAR entry read one message at a time', () => {
  it('reads exactly what parsing the entry whole reads: a long session, and several connections', () => {
    const long = eventsToHar(session('c1', 'CP-1', 12_000));
    expect(long.length).toBeGreaterThan(1 << 20);
    const whole = read(long, Infinity) as { events: unknown[] };
    expect(whole.events).toHaveLength(12_000);
    // The shipped threshold (1 MiB) splits this entry.
    expect(read(long, 1 << 20)).toEqual(whole);
    expectSameSplit(eventsToHar([...session('c1', 'CP-1', 40), ...session('c2', 'CP-2', 40, 40)]));
  });

  it('messages before the upgrade in the entry, spaces and newlines between them', () => {
    const entry = {
      _webSocketMessages: [
        { type: 'send', time: 1_700_000_000.5, opcode: 1, data: '[2,"1","Heartbeat",{}]' },
        { type: 'receive', time: 1_700_000_000.6, opcode: 1, data: '[3,"1",{"currentTime":"x"}]' },
      ],
      _resourceType: 'websocket',
      request: {
        method: 'GET',
        url: 'ws://h/ocpp/CP-9',
        headers: [{ name: 'Sec-WebSocket-Protocol', value: 'ocpp1.6' }],
      },
      response: { status: 101, headers: [{ name: 'Sec-WebSocket-Protocol', value: 'ocpp1.6' }] },
    };
    expectSameSplit(JSON.stringify({ log: { entries: [entry] } }, null, 3));
    expect(splitEntry(JSON.stringify(entry, null, 2))?.spans).toHaveLength(4);
  });

  it('is not split where a split could read differently, and reads as whole then', () => {
    const msg = '{"type":"send","time":1,"opcode":1,"data":"[2,\\"1\\",\\"Heartbeat\\",{}]"}';
    const head = '"_resourceType":"websocket","request":{"url":"ws://h/CP"},"response":{"status":101}';
    const cases = [
      `{${head},"_webSocketMessages":[${msg}],"_webSocketMessages":[]}`, // the key twice: the last counts
      `{${head},"_webSocket\\u004dessages":[${msg}]}`, // the key written with an escape
      `{${head},"_webSocketMessages":[${msg},]}`, // a trailing comma: not JSON
      `{${head},"_webSocketMessages":[${msg} ${msg}]}`, // a missing comma: not JSON
      `{${head},"_webSocketMessages":[${msg},7,null]}`, // not objects
      `{${head},"_webSocketMessages":[${msg},{"type":}]}`, // a message that is not JSON
    ];
    expect(splitEntry(cases[0]!)).toBeUndefined();
    expect(splitEntry(cases[1]!)).toBeUndefined();
    for (const c of cases) expectSameSplit(`{"log":{"entries":[${c}]}}`);
  });

  it('damaged HARs (the fuzz corpus mutations) read the same split or whole', () => {
    const seed = seedHar();
    for (let s = 1; s <= 300; s++) expectSameSplit(new TextDecoder().decode(mutateText(seed, new Rng(s))));
  });
});

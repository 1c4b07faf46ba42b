import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarEntryParser } from '../../../../electron/engine/capture/har-file-entries';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { eventsToHar, harEventReader } from '../../../../shared/capture/har';
import { mutateText, Rng, seedHar } from '../../../fuzz/corpus';
import { runGivingTurns } from '../../../../electron/engine/pcap/run-giving-turns';
import { writeBigHar } from './big-import';
import { countTurns } from '../../../support/loop-turns';
import { session } from './fixtures';
import { testTempDir } from '../../../support/temp-dirs';

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
  });

  it('is not split where a split could read differently, and reads as whole then', () => {
    const msg = '{"type":"send","time":1,"opcode":1,"data":"[2,\\"1\\",\\"Heartbeat\\",{}]"}';
    const head = '"_resourceType":"websocket","request":{"url":"ws://h/CP"},"response":{"status":101}';
    const cases = [
      `{${head},"_webSocketMessages":[${msg}],"_webSocketMessages":[]}`, // the key twice: the last counts
      `{${head},"_webSocket\\u004dessages":[${msg}]}`, // the key written with an escape
      `{${head},"_webSocketMessages":[${msg}],"_webSocket\\u004dessages":[]}`, // that one after the list
      `{${head},"_webSocket\\u004dessages":[],"_webSocketMessages":[${msg}]}`, // and before it
      `{${head},"_webSocketMessages":[${msg}],"_webSocketMessages":5}`, // the key again, not a list
      `{${head},"_webSocketMessages":[${msg},]}`, // a trailing comma: not JSON
      `{${head},"_webSocketMessages":[${msg} ${msg}]}`, // a missing comma: not JSON
      `{${head},"_webSocketMessages":[${msg},7,null]}`, // not objects
      `{${head},"_webSocketMessages":[${msg},{"type":}]}`, // a message that is not JSON
    ];
    for (const c of cases) expectSameSplit(`{"log":{"entries":[${c}]}}`);
  });

  it('damaged HARs (the fuzz corpus mutations) read the same split or whole', () => {
    const seed = seedHar();
    for (let s = 1; s <= 300; s++) expectSameSplit(new TextDecoder().decode(mutateText(seed, new Rng(s))));
  });
});

describe('the check that every message of a big entry is JSON', () => {
  it('gives the event loop turns within one entry of 100,000 messages, and reads what the check in one go reads', async () => {
    const dir = testTempDir('har-check');
    const path = join(dir, 'one.har');
    writeBigHar(path, 1, 100_000);
    const bytes = readFileSync(path);
    const counter = countTurns();
    // The whole file as one piece: the entry is completed (and checked) by this one push.
    const stepped = new HarEntryParser();
    const reads = await runGivingTurns(stepped.pushSteps(bytes));
    const turns = counter.stop();
    // 50 steps of 2,000 messages: a turn at least every 8. In one go (push) there is none.
    expect(turns).toBeGreaterThanOrEqual(6);
    expect(reads).toHaveLength(1);
    const once = new HarEntryParser().push(bytes);
    expect(once).toHaveLength(1);
    expect(reads[0]!.entry).toEqual(once[0]!.entry);
    expect([...reads[0]!.messages!]).toEqual([...once[0]!.messages!]);
    expect([...once[0]!.messages!]).toHaveLength(100_000);
  }, 60_000);
});

describe('a big entry that must be read whole (its list unsure)', () => {
  it('reads the same events as the plain entry, and gives the event loop turns while it is parsed', async () => {
    const plain = eventsToHar(session('c1', 'CP-1', 24_000));
    // A key written with an escape beside the list: the list handed apart may not be the entry's, read it whole.
    const unsure = plain.replace('"_webSocketMessages"', '"_x\\u0041":1,"_webSocketMessages"');
    expect(unsure.length).toBeGreaterThan(plain.length);
    expect(unsure.length).toBeGreaterThan(2 << 20);
    const bytes = new TextEncoder().encode(unsure);
    const counter = countTurns();
    const parser = new HarEntryParser();
    const reads = [
      ...(await runGivingTurns(parser.pushSteps(bytes))),
      ...(await runGivingTurns(parser.endSteps())),
    ];
    const turns = counter.stop();
    expect(reads).toHaveLength(1);
    // Read whole (no messages apart), as JSON.parse reads it.
    expect(reads[0]!.messages).toBeUndefined();
    const entries = (JSON.parse(unsure) as { log: { entries: unknown[] } }).log.entries;
    expect(reads[0]!.entry).toStrictEqual(entries[0]);
    expect(parser.problem()).toBeUndefined();
    // The parse of 2 MB paused: other work (a charger's frames) ran in more than one turn meanwhile.
    expect(turns).toBeGreaterThanOrEqual(2);
    // The frames imported are those of the same HAR without that key, read as usual.
    const events = (h: unknown): unknown => (h as { events: unknown[] }).events;
    const whole = read(unsure, 0);
    expect(events(whole)).toEqual(events(read(plain, 0)));
    expect((events(whole) as unknown[]).length).toBe(24_000);
  }, 60_000);
});

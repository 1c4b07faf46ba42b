import { describe, expect, it } from 'vitest';
import type { FrameEvent, NoteEvent } from '../../../shared/capture/events';
import { harToEvents } from '../../../shared/capture/har';

type Message = [type: 'send' | 'receive', time: number, data: string, opcode?: number];

/** One WebSocket entry of a Chrome-style HAR for station `id` (1.6, `send` is the charger), times in seconds. */
function harEntry(id: string, start: number, messages: Message[]) {
  return {
    _resourceType: 'websocket',
    startedDateTime: new Date(start * 1000).toISOString(),
    time: 10,
    request: {
      method: 'GET',
      url: `ws://127.0.0.1:9000/ocpp/${id}`,
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Sec-WebSocket-Protocol', value: 'ocpp1.6' }],
    },
    response: {
      status: 101,
      statusText: 'Switching Protocols',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Sec-WebSocket-Protocol', value: 'ocpp1.6' }],
    },
    _webSocketMessages: messages.map(([type, time, data, opcode = 1]) => ({ type, time, opcode, data })),
  };
}

function harOf(...entries: ReturnType<typeof harEntry>[]): string {
  return JSON.stringify({
    log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, entries },
  });
}

/** A HAR of one 1.6 WebSocket of station CP7. */
function har(messages: Message[]): string {
  return harOf(harEntry('CP7', T0, messages));
}

const T0 = 1740823200;
const BOOT_ANSWER = '[3,"b",{"status":"Accepted","currentTime":"2025-03-01T10:00:00Z","interval":300}]';
const BOOT = '[2,"b","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]';
const frames = (text: string) => harToEvents(text).events.filter((e): e is FrameEvent => e.kind === 'frame');
const notes = (text: string) => harToEvents(text).events.filter((e): e is NoteEvent => e.kind === 'note');

/** CP7 boots, accepts a Reset and closes its connection at 2.5 s. */
const resetThenGone = harEntry('CP7', T0, [
  ['send', T0 + 1, BOOT],
  ['receive', T0 + 1.1, BOOT_ANSWER],
  ['receive', T0 + 2, '[2,"r","Reset",{"type":"Soft"}]'],
  ['send', T0 + 2.1, '[3,"r",{"status":"Accepted"}]'],
  ['send', T0 + 2.5, '', 8],
]);

describe('behaviour findings of imported traffic (HAR, pcap)', () => {
  it('a second StopTransaction is flagged and linked to the first', () => {
    const stop = '{"transactionId":5,"meterStop":20,"timestamp":"2025-03-01T10:00:05Z"}';
    const fs = frames(
      har([
        ['send', T0 + 1, `[2,"1","StopTransaction",${stop}]`],
        ['receive', T0 + 1.1, '[3,"1",{}]'],
        ['send', T0 + 2, `[2,"2","StopTransaction",${stop}]`],
      ]),
    );
    expect(fs[0]!.findings).toEqual([]);
    expect(fs[2]!.findings).toEqual([
      expect.objectContaining({ code: 'transaction-stopped-twice', related: [fs[0]!.seq] }),
    ]);
  });

  it('a trigger never honoured becomes a note at the time the window ended, linked to the TriggerMessage', () => {
    const text = har([
      ['receive', T0 + 1, '[2,"a","TriggerMessage",{"requestedMessage":"StatusNotification"}]'],
      ['send', T0 + 1.1, '[3,"a",{"status":"Accepted"}]'],
      ['send', T0 + 60, '[2,"h","Heartbeat",{}]'],
      ['receive', T0 + 60.1, '[3,"h",{"currentTime":"2025-03-01T10:01:00Z"}]'],
      ['receive', T0 + 61, '[2,"b","TriggerMessage",{"requestedMessage":"Heartbeat"}]'],
      ['send', T0 + 61.1, '[3,"b",{"status":"Accepted"}]'],
      ['send', T0 + 62, '[2,"h2","Heartbeat",{}]'],
    ]);
    const fs = frames(text);
    expect(fs.flatMap((e) => e.findings)).toEqual([]);
    const ns = notes(text);
    expect(ns.map((n) => n.findings)).toEqual([
      [expect.objectContaining({ code: 'trigger-not-sent', related: [fs[0]!.seq], spec: 'OCPP 1.6 5.17' })],
    ]);
    // Placed where the rule concluded: before the next frame (the heartbeat at 60 s).
    expect(ns[0]!.seq).toBe(fs[2]!.seq - 1);
  });

  it('a Reset accepted, then the station never came back: a note on its connection once the window passed', () => {
    // CP7 accepts a Reset and its connection ends; the file goes on with CP8 for 200 s more (past the 180 s window).
    const text = harOf(
      resetThenGone,
      harEntry('CP8', T0 + 3, [
        ['send', T0 + 100, '[2,"h1","Heartbeat",{}]'],
        ['receive', T0 + 100.1, '[3,"h1",{"currentTime":"2025-03-01T10:01:40Z"}]'],
        ['send', T0 + 300, '[2,"h2","Heartbeat",{}]'],
        ['receive', T0 + 300.1, '[3,"h2",{"currentTime":"2025-03-01T10:05:00Z"}]'],
      ]),
    );
    const { events } = harToEvents(text);
    const reset = events.find((e) => e.kind === 'frame' && e.msg?.action === 'Reset')!;
    const ns = events.filter((e): e is NoteEvent => e.kind === 'note');
    expect(ns.map((n) => n.findings?.map((f) => f.code))).toEqual([['reset-no-reboot']]);
    expect(ns[0]!.conn).toBe(reset.conn);
    expect(ns[0]!.findings?.[0]?.related).toEqual([reset.seq]);
    // Placed where the rule concluded: just before CP8's heartbeat at 300 s.
    const h2 = events.find((e) => e.kind === 'frame' && e.text.includes('"h2","Heartbeat"'))!;
    expect(ns[0]!.seq).toBe(h2.seq - 1);
  });

  it('a file that ends before the Reset window does is not judged: no finding (as a live connection that closes)', () => {
    const text = harOf(
      resetThenGone,
      harEntry('CP8', T0 + 3, [['send', T0 + 170, '[2,"h1","Heartbeat",{}]']]),
    );
    expect(notes(text)).toEqual([]);
  });

  it('a station that reconnects and boots within the window honours the Reset', () => {
    const text = harOf(
      resetThenGone,
      harEntry('CP7', T0 + 30, [
        ['send', T0 + 31, BOOT],
        ['receive', T0 + 31.1, BOOT_ANSWER],
        ['send', T0 + 400, '[2,"h1","Heartbeat",{}]'],
      ]),
    );
    expect(
      notes(text)
        .flatMap((n) => n.findings ?? [])
        .map((f) => f.code),
    ).not.toContain('reset-no-reboot');
  });
});

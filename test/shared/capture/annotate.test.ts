import { describe, expect, it } from 'vitest';
import type { FrameEvent, NoteEvent } from '../../../shared/capture/events';
import { harToEvents } from '../../../shared/capture/har';

/** A Chrome-style HAR of one 1.6 WebSocket: `send` is the charger (the page is the station), times in seconds. */
function har(messages: [type: 'send' | 'receive', time: number, data: string][]): string {
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      entries: [
        {
          _resourceType: 'websocket',
          startedDateTime: '2025-03-01T10:00:00.000Z',
          time: 10,
          request: {
            method: 'GET',
            url: 'ws://127.0.0.1:9000/ocpp/CP7',
            httpVersion: 'HTTP/1.1',
            headers: [{ name: 'Sec-WebSocket-Protocol', value: 'ocpp1.6' }],
          },
          response: {
            status: 101,
            statusText: 'Switching Protocols',
            httpVersion: 'HTTP/1.1',
            headers: [{ name: 'Sec-WebSocket-Protocol', value: 'ocpp1.6' }],
          },
          _webSocketMessages: messages.map(([type, time, data]) => ({ type, time, opcode: 1, data })),
        },
      ],
    },
  });
}

const T0 = 1740823200;
const frames = (text: string) => harToEvents(text).events.filter((e): e is FrameEvent => e.kind === 'frame');
const notes = (text: string) => harToEvents(text).events.filter((e): e is NoteEvent => e.kind === 'note');

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
});

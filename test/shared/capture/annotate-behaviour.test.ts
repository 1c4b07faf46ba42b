import { describe, expect, it } from 'vitest';
import type { FrameEvent } from '../../../shared/capture/events';
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

  it('a trigger never honoured is put on the TriggerMessage it is about; honoured, nothing', () => {
    const fs = frames(
      har([
        ['receive', T0 + 1, '[2,"a","TriggerMessage",{"requestedMessage":"StatusNotification"}]'],
        ['send', T0 + 1.1, '[3,"a",{"status":"Accepted"}]'],
        ['send', T0 + 60, '[2,"h","Heartbeat",{}]'],
        ['receive', T0 + 61, '[2,"b","TriggerMessage",{"requestedMessage":"Heartbeat"}]'],
        ['send', T0 + 61.1, '[3,"b",{"status":"Accepted"}]'],
        ['send', T0 + 62, '[2,"h2","Heartbeat",{}]'],
      ]),
    );
    expect(fs[0]!.findings).toEqual([
      expect.objectContaining({ code: 'trigger-not-sent', related: [fs[0]!.seq], spec: 'OCPP 1.6 5.17' }),
    ]);
    expect(fs.slice(1).flatMap((e) => e.findings)).toEqual([]);
  });
});

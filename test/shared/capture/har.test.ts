import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eventsToHar, harToEvents } from '../../../shared/capture/har';
import type { ScopeEvent } from '../../../shared/capture/events';

/** Shaped like a Chrome DevTools export of one OCPP WebSocket. */
const chromeHar = {
  log: {
    version: '1.2',
    creator: { name: 'WebInspector', version: '537.36' },
    pages: [],
    entries: [
      {
        _resourceType: 'document',
        request: { method: 'GET', url: 'https://example.test/' },
        response: { status: 200 },
      },
      {
        _resourceType: 'websocket',
        startedDateTime: '2025-03-01T10:00:00.000Z',
        time: 12.5,
        request: {
          method: 'GET',
          url: 'ws://127.0.0.1:9000/ocpp/CP%2042',
          httpVersion: 'HTTP/1.1',
          headers: [
            { name: 'Sec-WebSocket-Protocol', value: 'ocpp2.0.1' },
            { name: 'Authorization', value: 'Basic Q1AgNDI6c2VjcmV0' },
          ],
        },
        response: {
          status: 101,
          statusText: 'Switching Protocols',
          httpVersion: 'HTTP/1.1',
          headers: [{ name: 'Sec-WebSocket-Protocol', value: 'ocpp2.0.1' }],
        },
        serverIPAddress: '127.0.0.1',
        connection: '9000',
        _webSocketMessages: [
          { type: 'send', time: 1740823200.1, opcode: 1, data: '[2,"1","Heartbeat",{}]' },
          {
            type: 'receive',
            time: 1740823200.125,
            opcode: 1,
            data: '[3,"1",{"currentTime":"2025-03-01T10:00:00Z"}]',
          },
          { type: 'receive', time: 1740823201, opcode: 2, data: 'AAEC' },
        ],
      },
    ],
  },
};

describe('HAR', () => {
  it('imports Chrome WebSocket entries: the upgrade becomes opened, messages keep their times and senders', () => {
    const r = harToEvents(JSON.stringify(chromeHar));
    expect(r.findings).toEqual([]);
    expect(r.connections).toEqual([
      {
        id: 'har-1',
        role: 'station',
        identity: 'CP 42',
        url: 'ws://127.0.0.1:9000/ocpp/CP%2042',
        version: '2.0.1',
      },
    ]);
    const [opened, call, result, bin] = r.events;
    expect(opened).toMatchObject({
      kind: 'opened',
      ok: true,
      t: Date.parse('2025-03-01T10:00:00.000Z'),
      handshake: { chosenProtocol: 'ocpp2.0.1', request: { startLine: 'GET /ocpp/CP%2042 HTTP/1.1' } },
    });
    expect(call).toMatchObject({
      kind: 'frame',
      sender: 'station',
      t: 1740823200100,
      msg: { type: 2, action: 'Heartbeat' },
    });
    expect(result).toMatchObject({
      kind: 'frame',
      sender: 'csms',
      msg: { type: 3, action: 'Heartbeat' },
      pair: { partnerSeq: 1, rttMs: 25 },
    });
    expect(bin).toMatchObject({ kind: 'frame', binary: true, text: 'AAEC' });
  });

  it('exports what it imports (round trip keeps headers, times, opcodes and data)', () => {
    const r = harToEvents(JSON.stringify(chromeHar));
    const again = harToEvents(eventsToHar(r.events));
    expect(again.events.map((e) => ({ ...e, conn: '' }))).toEqual(r.events.map((e) => ({ ...e, conn: '' })));
    const doc = JSON.parse(eventsToHar(r.events)) as typeof chromeHar;
    const entry = doc.log.entries[0]!;
    expect(entry._resourceType).toBe('websocket');
    expect(entry._webSocketMessages).toEqual(chromeHar.log.entries[1]!._webSocketMessages);
  });

  it('exports frames of a connection whose upgrade was not recorded', () => {
    const r = harToEvents(JSON.stringify(chromeHar));
    const again = harToEvents(eventsToHar(r.events.filter((e) => e.kind !== 'opened')));
    expect(again.events.filter((e) => e.kind === 'frame')).toHaveLength(3);
  });

  it('gives a finding, never an exception, for broken or hostile HAR', () => {
    expect(harToEvents('{"log": ').findings[0]!.code).toBe('har-not-json');
    expect(harToEvents('{"x":1}').findings[0]!.code).toBe('har-no-entries');
    expect(harToEvents('{"log":{"entries":[{"_resourceType":"document"}]}}').findings[0]!.code).toBe(
      'har-no-websocket',
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        harToEvents(
          JSON.stringify({
            log: {
              entries: [v, { _resourceType: 'websocket', request: v, response: v, _webSocketMessages: [v] }],
            },
          }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every attempt of a reconnecting station (same connection id) through export and re-import', () => {
    const attempt = (seq: number, t: number, ok: boolean): ScopeEvent => ({
      kind: 'opened',
      seq,
      t,
      mono: t,
      conn: 'c1',
      ok,
      connection: {
        id: 'c1',
        role: 'endpoint',
        identity: 'CP1',
        url: 'ws://127.0.0.1/ocpp/CP1',
        version: '1.6',
      },
      handshake: {
        request: { startLine: 'GET /ocpp/CP1 HTTP/1.1', headers: [] },
        response: ok
          ? { startLine: 'HTTP/1.1 101 Switching Protocols', headers: [], status: 101 }
          : { startLine: 'HTTP/1.1 401 Unauthorized', headers: [], status: 401 },
        offeredProtocols: ['ocpp1.6'],
        findings: [],
      },
    });
    const frame = (seq: number, t: number, id: string): ScopeEvent => ({
      kind: 'frame',
      seq,
      t,
      mono: t,
      conn: 'c1',
      sender: 'station',
      text: `[2,"${id}","Heartbeat",{}]`,
      findings: [],
    });
    const events = [
      attempt(0, 1000, true),
      frame(1, 1100, 'a'),
      attempt(2, 2000, false),
      attempt(3, 3000, true),
      frame(4, 3100, 'b'),
    ];
    const har = JSON.parse(eventsToHar(events)) as { log: { entries: { _webSocketMessages: unknown[] }[] } };
    expect(har.log.entries).toHaveLength(3);
    expect(har.log.entries.map((e) => e._webSocketMessages.length)).toEqual([1, 0, 1]);
    const back = harToEvents(JSON.stringify(har));
    expect(back.events.filter((e) => e.kind === 'opened').map((e) => e.kind === 'opened' && e.ok)).toEqual([
      true,
      false,
      true,
    ]);
    expect(back.events.filter((e) => e.kind === 'frame').map((e) => e.kind === 'frame' && e.text)).toEqual([
      '[2,"a","Heartbeat",{}]',
      '[2,"b","Heartbeat",{}]',
    ]);
  });
});

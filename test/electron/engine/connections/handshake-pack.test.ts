import { describe, expect, it } from 'vitest';
import type { HandshakeRecord } from '../../../../shared/capture/events';
import { packHandshake, unpackHandshake } from '../../../../electron/engine/connections/handshake-pack';

const usual: HandshakeRecord = {
  request: {
    startLine: 'GET /ocpp/CP-0042 HTTP/1.1',
    headers: [
      ['Sec-WebSocket-Version', '13'],
      ['Sec-WebSocket-Key', 'dBZySvIc6aM+Mi2TZKWskg=='],
      ['Connection', 'Upgrade'],
      ['Upgrade', 'websocket'],
      ['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits'],
      ['Sec-WebSocket-Protocol', 'ocpp1.6'],
      ['Host', '127.0.0.1:41917'],
    ],
  },
  offeredProtocols: ['ocpp1.6'],
  findings: [],
  remote: { address: '127.0.0.1', port: 56954, family: 'IPv4' },
  local: { address: '127.0.0.1', port: 41917, family: 'IPv4' },
  chosenProtocol: 'ocpp1.6',
  response: {
    startLine: 'HTTP/1.1 101 Switching Protocols',
    headers: [
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Accept', 'pekvDQ9OpD4VYrz34zQDgOwZJXk='],
      ['Sec-WebSocket-Protocol', 'ocpp1.6'],
    ],
    status: 101,
  },
};

describe('a kept handshake record', () => {
  it('reads back exactly as it was, and a usual one is kept in a fraction of its JSON size', () => {
    const packed = packHandshake(usual);
    expect(unpackHandshake(packed)).toEqual(usual);
    expect(packed.length).toBeLessThan(JSON.stringify(usual).length / 4);
  });

  it('keeps what a check run looks at in an unusual record: Basic auth, TLS, non-ASCII header text, findings', () => {
    const record: HandshakeRecord = {
      ...usual,
      request: {
        startLine: 'GET /ocpp/Ladesäule-Ü%20%E2%82%AC HTTP/1.1',
        headers: [
          ...usual.request.headers,
          ['Authorization', 'Basic Q1AtMDA0Mjpww6Rzc3fDtnJ0IOKCrA=='],
          ['User-Agent', 'Wallbox 😀 \u0000 "quoted" \\ back'],
        ],
      },
      basicAuth: { username: 'CP-0042', password: 'pässwört €', passwordHex: '70c3', printable: true },
      tls: { protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256', peerChain: [], authorized: false },
      findings: [{ code: 'basic-auth-weak', severity: 'warning', message: 'A short password.' }],
    };
    expect(unpackHandshake(packHandshake(record))).toEqual(record);
  });

  it('gives a fresh copy each time: changing one does not change what is kept', () => {
    const packed = packHandshake(usual);
    const first = unpackHandshake(packed);
    first.request.headers.length = 0;
    expect(unpackHandshake(packed).request.headers).toHaveLength(usual.request.headers.length);
  });

  it('keeps a large record whole (far larger than the dictionary)', () => {
    const headers: [string, string][] = Array.from({ length: 300 }, (_, i) => [
      `X-Header-${i}`,
      `value ${i} `.repeat(20),
    ]);
    const record: HandshakeRecord = { ...usual, request: { startLine: usual.request.startLine, headers } };
    expect(unpackHandshake(packHandshake(record))).toEqual(record);
  });
});

import { describe, expect, it } from 'vitest';
import {
  checkAccept,
  expectedAccept,
  headerValue,
  maskSecret,
  offeredProtocols,
} from '../../../../renderer/src/logic/handshake';

const request = {
  startLine: 'GET /ocpp/CP1 HTTP/1.1',
  headers: [
    ['Host', '127.0.0.1'],
    ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
    ['Sec-WebSocket-Protocol', 'ocpp2.0.1, ocpp1.6'],
    ['sec-websocket-protocol', 'ocpp2.1'],
  ] as [string, string][],
};

describe('handshake checks', () => {
  it('computes the Accept of RFC 6455 section 1.3', async () => {
    expect(await expectedAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('ticks a correct Accept and crosses a wrong or missing one', async () => {
    const ok = {
      startLine: 'HTTP/1.1 101',
      headers: [['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=']] as [string, string][],
    };
    const bad = {
      startLine: 'HTTP/1.1 101',
      headers: [['Sec-WebSocket-Accept', 'AAAA']] as [string, string][],
    };
    expect((await checkAccept(request, ok)).state).toBe('ok');
    expect(await checkAccept(request, bad)).toEqual({
      state: 'mismatch',
      expected: 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
      actual: 'AAAA',
    });
    expect((await checkAccept(request, { startLine: 'HTTP/1.1 101', headers: [] })).state).toBe('missing');
    expect((await checkAccept({ startLine: 'GET / HTTP/1.1', headers: [] }, ok)).state).toBe('missing');
  });

  it('reads headers case-insensitively and splits repeated subprotocol headers', () => {
    expect(headerValue(request, 'host')).toBe('127.0.0.1');
    expect(offeredProtocols(request)).toEqual(['ocpp2.0.1', 'ocpp1.6', 'ocpp2.1']);
  });

  it('masks a secret without revealing its exact length', () => {
    expect(maskSecret('ab')).toBe('••••');
    expect(maskSecret('x'.repeat(100))).toHaveLength(24);
  });
});

import { describe, expect, it } from 'vitest';
import {
  decodeBasicAuth,
  identityOfPath,
  offeredProtocols,
  pairRawHeaders,
  parseHeadText,
  socketAddress,
} from '../../../electron/engine/http-head';

const basic = (bytes: Buffer): string => `Basic ${bytes.toString('base64')}`;

describe('http head helpers', () => {
  it('decodes Basic auth; a password that is not printable UTF-8 is shown only in hex', () => {
    expect(decodeBasicAuth(basic(Buffer.from('CP-1:pa:ss')))).toEqual({
      username: 'CP-1',
      password: 'pa:ss',
      passwordHex: Buffer.from('pa:ss').toString('hex'),
      printable: true,
    });
    const raw = Buffer.concat([Buffer.from('CP-2:'), Buffer.from([0x00, 0x9f, 0xff, 0x41])]);
    expect(decodeBasicAuth(basic(raw))).toEqual({
      username: 'CP-2',
      password: '',
      passwordHex: '009fff41',
      printable: false,
    });
    expect(decodeBasicAuth('Bearer abc')).toBeUndefined();
    expect(decodeBasicAuth(undefined)).toBeUndefined();
  });

  it('takes the identity from the last path segment, decoded, ignoring a trailing slash and the query', () => {
    expect(identityOfPath('/ocpp/CP%201')).toBe('CP 1');
    expect(identityOfPath('/ocpp/CP-2/?x=1')).toBe('CP-2');
    expect(identityOfPath('/')).toBe('');
    expect(identityOfPath('/bad/%E0%A4%A')).toBe('%E0%A4%A');
  });

  it('keeps header order, case and duplicates; splits offered subprotocols across repeated headers', () => {
    const head = parseHeadText(
      'GET /x HTTP/1.1\r\nsec-websocket-protocol: ocpp2.0.1, ocpp1.6\r\nSec-WebSocket-Protocol: ocpp2.1\r\n\r\n',
    );
    expect(head.startLine).toBe('GET /x HTTP/1.1');
    expect(offeredProtocols(head)).toEqual(['ocpp2.0.1', 'ocpp1.6', 'ocpp2.1']);
    expect(pairRawHeaders(['A', '1', 'a', '2'])).toEqual([
      ['A', '1'],
      ['a', '2'],
    ]);
  });

  it('shows IPv4-mapped IPv6 peers as the IPv4 address', () => {
    expect(socketAddress('::ffff:127.0.0.1', 5)).toEqual({ address: '127.0.0.1', port: 5, family: 'IPv4' });
    expect(socketAddress('::1', 6)).toEqual({ address: '::1', port: 6, family: 'IPv6' });
  });
});

import { describe, expect, it } from 'vitest';
import {
  basicAuthHeader,
  chosenProtocol,
  decodeBasicAuth,
  headerList,
  headerValue,
  headerValues,
  identityOfPath,
  identityOfUrl,
  offeredProtocols,
  parseHeadText,
  pathOfUrl,
  readUpgradeRequest,
  subprotocolHeaderProblem,
} from '../../../shared/capture/http-upgrade';

const basic = (bytes: Buffer): string => `Basic ${bytes.toString('base64')}`;

describe('the WebSocket upgrade reader', () => {
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
    expect(decodeBasicAuth(basic(Buffer.from('CP-3:pässwörd')))?.password).toBe('pässwörd');
    // Without padding, as some chargers send it.
    expect(decodeBasicAuth('basic Q1AtNDpwdw')?.password).toBe('pw');
    expect(decodeBasicAuth('Bearer abc')).toBeUndefined();
    expect(decodeBasicAuth('Basic a')).toBeUndefined();
    expect(decodeBasicAuth(undefined)).toBeUndefined();
  });

  it('builds the Basic header the decoder reads back, in UTF-8', () => {
    const h = basicAuthHeader('CP-é', 'sécret:1');
    expect(h).toBe(basic(Buffer.from('CP-é:sécret:1')));
    expect(decodeBasicAuth(h)).toMatchObject({ username: 'CP-é', password: 'sécret:1' });
  });

  it('takes the identity from the last path segment, decoded, ignoring a trailing slash and the query', () => {
    expect(identityOfPath('/ocpp/CP%201')).toBe('CP 1');
    expect(identityOfPath('/ocpp/CP-2/?x=1')).toBe('CP-2');
    expect(identityOfPath('/')).toBe('');
    expect(identityOfPath('/bad/%E0%A4%A')).toBe('%E0%A4%A');
    expect(identityOfUrl('wss://host:9000/ocpp/CP%2F7?token=1')).toBe('CP/7');
    expect(identityOfUrl('ws://host')).toBe('');
    expect(pathOfUrl('ws://host:1/a/b?c#d')).toBe('/a/b?c#d');
    expect(pathOfUrl('ws://host:1')).toBe('/');
  });

  it('keeps header order, case and duplicates; looks names up case-insensitively', () => {
    const head = parseHeadText(
      'GET /x HTTP/1.1\r\nsec-websocket-protocol: ocpp2.0.1, ocpp1.6\r\nX-A: 1\r\nSec-WebSocket-Protocol: ocpp2.1\r\nbroken line\r\n\r\n',
    );
    expect(head.startLine).toBe('GET /x HTTP/1.1');
    expect(head.headers).toEqual([
      ['sec-websocket-protocol', 'ocpp2.0.1, ocpp1.6'],
      ['X-A', '1'],
      ['Sec-WebSocket-Protocol', 'ocpp2.1'],
      ['broken line', ''],
    ]);
    expect(headerValue(head, 'x-a')).toBe('1');
    expect(headerValue(undefined, 'x-a')).toBeUndefined();
    expect(headerValues(head, 'SEC-WEBSOCKET-PROTOCOL')).toEqual(['ocpp2.0.1, ocpp1.6', 'ocpp2.1']);
    expect(offeredProtocols(head)).toEqual(['ocpp2.0.1', 'ocpp1.6', 'ocpp2.1']);
    expect(headerList(parseHeadText('GET / HTTP/1.1\r\nA: x,, y ,\r\n'), 'a')).toEqual(['x', 'y']);
  });

  it('names an invalid subprotocol list, and reads what a response chose', () => {
    const req = (v: string): ReturnType<typeof parseHeadText> =>
      parseHeadText(`GET / HTTP/1.1\r\nSec-WebSocket-Protocol: ${v}\r\n`);
    expect(subprotocolHeaderProblem(req('ocpp1.6, ocpp2.0.1'))).toBeUndefined();
    expect(subprotocolHeaderProblem(req('ocpp1.6,'))).toMatch(/empty entry/);
    expect(subprotocolHeaderProblem(req('ocpp1.6, ocpp1.6'))).toMatch(/offered twice/);
    expect(subprotocolHeaderProblem(req('ocpp 1.6'))).toMatch(/not a valid subprotocol name/);
    expect(chosenProtocol(parseHeadText('HTTP/1.1 101 x\r\nsec-websocket-protocol: ocpp1.6 \r\n'))).toBe(
      'ocpp1.6',
    );
    expect(chosenProtocol(parseHeadText('HTTP/1.1 101 x\r\n'))).toBeUndefined();
  });

  it('reads a whole upgrade request once: target, identity, host, offered subprotocols, Basic auth', () => {
    const head = parseHeadText(
      `GET /ocpp/CP%2D9?x=1 HTTP/1.1\r\nHost: csms:9000\r\nSec-WebSocket-Protocol: ocpp1.6\r\nsec-websocket-protocol: ocpp2.0.1\r\nAuthorization: ${basic(Buffer.from('CP-9:pw'))}\r\n`,
    );
    expect(readUpgradeRequest(head)).toEqual({
      target: '/ocpp/CP%2D9?x=1',
      identity: 'CP-9',
      host: 'csms:9000',
      offeredProtocols: ['ocpp1.6', 'ocpp2.0.1'],
      basicAuth: { username: 'CP-9', password: 'pw', passwordHex: '7077', printable: true },
    });
    expect(
      readUpgradeRequest(parseHeadText('GET / HTTP/1.1\r\nSec-WebSocket-Protocol: a,,b\r\n')),
    ).toMatchObject({
      identity: '',
      protocolProblem: 'it has an empty entry (a stray comma)',
    });
  });
});

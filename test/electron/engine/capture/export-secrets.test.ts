import { describe, expect, it } from 'vitest';
import type { FrameEvent, OpenedEvent, ScopeEvent } from '../../../../shared/capture/events';
import { decodeCaptureBytes } from '../../../../electron/engine/capture/event-bytes';
import { harToEvents } from '../../../../shared/capture/har';
import { exportToString } from '../../../../electron/engine/capture/export-source';
import { MemorySource } from '../../../../electron/engine/capture/memory-source';

/**
 * Every place a secret was found to survive redaction, as a table: each row puts a unique secret somewhere a real
 * session can carry one, and no export (capture or HAR) may contain it afterwards.
 */

const PEM_KEY = (s: string): string =>
  `-----BEGIN PRIVATE KEY-----\nMIIEv${s}QIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----`;
const PEM_RSA = (s: string): string =>
  `-----BEGIN RSA PRIVATE KEY-----\nMIIEp${s}AIBAAKCAQEA\n-----END RSA PRIVATE KEY-----`;
const JWT = (s: string): string => `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ${s}In0.c2lnbmF0dXJl${s}`;

interface Row {
  name: string;
  secret: string;
  /** Builds the events that carry the secret. */
  events: (secret: string) => ScopeEvent[];
  /** HAR has no place for it (a refusal's body): nothing to leak there. */
  notInHar?: boolean;
}

function opened(over: {
  url?: string;
  startLine?: string;
  headers?: [string, string][];
  body?: string;
}): OpenedEvent {
  return {
    kind: 'opened',
    seq: 0,
    t: 1_700_000_000_000,
    mono: 0,
    conn: 'c1',
    ok: over.body === undefined,
    connection: {
      id: 'c1',
      role: 'endpoint',
      identity: 'CP1',
      url: over.url ?? 'ws://127.0.0.1/ocpp/CP1',
      version: '2.0.1',
    },
    handshake: {
      request: {
        startLine: over.startLine ?? 'GET /ocpp/CP1 HTTP/1.1',
        headers: over.headers ?? [['Host', 'x']],
      },
      response: {
        startLine: over.body === undefined ? 'HTTP/1.1 101 Switching Protocols' : 'HTTP/1.1 401 Unauthorized',
        headers: [],
        status: over.body === undefined ? 101 : 401,
        ...(over.body !== undefined ? { body: over.body } : {}),
      },
      offeredProtocols: ['ocpp2.0.1'],
      findings: [],
    },
  };
}

function frame(
  text: string,
  sender: 'station' | 'csms' = 'csms',
  findings: FrameEvent['findings'] = [],
): FrameEvent {
  return { kind: 'frame', seq: 1, t: 1_700_000_000_100, mono: 100, conn: 'c1', sender, text, findings };
}

const withFrame = (text: string, sender: 'station' | 'csms' = 'csms'): ScopeEvent[] => [
  opened({}),
  frame(text, sender),
];

const ROWS: Row[] = [
  {
    name: 'token in the URL query string',
    secret: 'QueryTok3n',
    events: (s) => [
      opened({
        url: `wss://csms.test/ocpp/CP1?token=${s}&x=1`,
        startLine: `GET /ocpp/CP1?token=${s}&x=1 HTTP/1.1`,
      }),
    ],
  },
  {
    name: 'password in the URL query string',
    secret: 'QueryPassw0rd',
    events: (s) => [
      opened({
        url: `wss://csms.test/ocpp/CP1?password=${s}`,
        startLine: `GET /ocpp/CP1?password=${s} HTTP/1.1`,
      }),
    ],
  },
  {
    name: 'password in the URL user info',
    secret: 'UserInf0Pass',
    events: (s) => [opened({ url: `wss://CP1:${s}@csms.test/ocpp/CP1` })],
  },
  {
    name: 'X-Api-Key header',
    secret: 'ApiKeyValue42',
    events: (s) => [opened({ headers: [['X-Api-Key', s]] })],
  },
  {
    name: 'any unlisted header',
    secret: 'VendorHeaderVal',
    events: (s) => [opened({ headers: [['X-Vendor-Session', s]] })],
  },
  {
    name: 'Bearer authorization',
    secret: 'BearerTokenVal',
    events: (s) => [opened({ headers: [['Authorization', `Bearer ${s}`]] })],
  },
  {
    name: 'Cookie header',
    secret: 'CookieVal99',
    events: (s) => [opened({ headers: [['Cookie', `session=${s}`]] })],
  },
  {
    name: 'refusal body',
    secret: 'BodyTok3nValue',
    events: (s) => [opened({ body: `bad token=${s}` })],
    notInHar: true,
  },
  {
    name: 'PEM private key in 1.6 InstallCertificate',
    secret: 'Pem16KeyBody',
    events: (s) =>
      withFrame(
        JSON.stringify([
          2,
          '1',
          'InstallCertificate',
          { certificateType: 'CentralSystemRootCertificate', certificate: PEM_KEY(s) },
        ]),
      ),
  },
  {
    name: 'PEM private key in 2.0.1 InstallCertificate',
    secret: 'Pem201KeyBody',
    events: (s) =>
      withFrame(
        JSON.stringify([
          2,
          '1',
          'InstallCertificate',
          { certificateType: 'V2GRootCertificate', certificate: PEM_RSA(s) },
        ]),
      ),
  },
  {
    name: 'PEM private key in SignCertificate',
    secret: 'PemSignKeyBody',
    events: (s) => withFrame(JSON.stringify([2, '1', 'SignCertificate', { csr: PEM_KEY(s) }]), 'station'),
  },
  {
    name: 'BasicAuthPassword in a 2.0.1 NotifyReport',
    secret: 'NotifyRep0rtPw',
    events: (s) =>
      withFrame(
        JSON.stringify([
          2,
          '1',
          'NotifyReport',
          {
            requestId: 1,
            generatedAt: '2024-01-01T00:00:00Z',
            seqNo: 0,
            reportData: [
              {
                component: { name: 'SecurityCtrlr' },
                variable: { name: 'BasicAuthPassword' },
                variableAttribute: [{ type: 'Actual', value: s }],
              },
            ],
          },
        ]),
        'station',
      ),
  },
  {
    name: 'BasicAuthPassword in SetVariables',
    secret: 'SetVarPassw0rd',
    events: (s) =>
      withFrame(
        JSON.stringify([
          2,
          '1',
          'SetVariables',
          {
            setVariableData: [
              {
                component: { name: 'SecurityCtrlr' },
                variable: { name: 'BasicAuthPassword' },
                attributeValue: s,
              },
            ],
          },
        ]),
      ),
  },
  {
    name: 'AuthorizationKey in 1.6 ChangeConfiguration',
    secret: 'AuthKeyHex00ff',
    events: (s) =>
      withFrame(JSON.stringify([2, '1', 'ChangeConfiguration', { key: 'AuthorizationKey', value: s }])),
  },
  {
    name: 'vpn.key in SetNetworkProfile',
    secret: 'VpnKeyMaterial',
    events: (s) =>
      withFrame(
        JSON.stringify([
          2,
          '1',
          'SetNetworkProfile',
          {
            configurationSlot: 1,
            connectionData: {
              ocppVersion: 'OCPP20',
              ocppTransport: 'JSON',
              ocppCsmsUrl: 'wss://x/',
              messageTimeout: 30,
              securityProfile: 1,
              ocppInterface: 'VPN',
              vpn: { server: 'v', user: 'u', password: 'p4ss-vpn', key: s, type: 'IPSec' },
            },
          },
        ]),
      ),
  },
  {
    name: 'file-server token in a GetDiagnostics location',
    secret: 'Tok3nOfTheFileServer_x',
    events: (s) =>
      withFrame(JSON.stringify([2, '1', 'GetDiagnostics', { location: `http://192.168.1.20:8080/t/${s}/` }])),
  },
  {
    name: 'file-server token in an UpdateFirmware location',
    secret: 'FirmwareTok3n-abcdef',
    events: (s) =>
      withFrame(
        JSON.stringify([
          2,
          '1',
          'UpdateFirmware',
          { location: `https://laptop.local:8443/t/${s}/fw.bin`, retrieveDate: '2026-01-01T00:00:00Z' },
        ]),
      ),
  },
  {
    name: 'password inside ocppCsmsUrl',
    secret: 'CsmsUrlPassw0rd',
    events: (s) =>
      withFrame(
        JSON.stringify([
          2,
          '1',
          'SetNetworkProfile',
          {
            configurationSlot: 1,
            connectionData: {
              ocppVersion: 'OCPP20',
              ocppTransport: 'JSON',
              ocppCsmsUrl: `wss://cp:${s}@csms.test/ocpp`,
              messageTimeout: 30,
              securityProfile: 1,
              ocppInterface: 'Wired0',
            },
          },
        ]),
      ),
  },
  {
    name: 'PEM block in DataTransfer data',
    secret: 'DtPemBlockBody',
    events: (s) =>
      withFrame(
        JSON.stringify([
          2,
          '1',
          'DataTransfer',
          { vendorId: 'v', data: `-----BEGIN CERTIFICATE-----\nMII${s}\n-----END CERTIFICATE-----` },
        ]),
        'station',
      ),
  },
  {
    name: 'password= pair in DataTransfer data',
    secret: 'DtPairPassw0rd',
    events: (s) =>
      withFrame(
        JSON.stringify([2, '1', 'DataTransfer', { vendorId: 'v', data: `user=admin&password=${s}` }]),
        'station',
      ),
  },
  {
    name: 'token= pair in DataTransfer data',
    secret: 'DtPairTok3nValue',
    events: (s) =>
      withFrame(
        JSON.stringify([2, '1', 'DataTransfer', { vendorId: 'v', data: `mode=x token=${s}` }]),
        'station',
      ),
  },
  {
    name: 'JSON inside DataTransfer data',
    secret: 'DtNestedJsonPw',
    events: (s) =>
      withFrame(
        JSON.stringify([2, '1', 'DataTransfer', { vendorId: 'v', data: JSON.stringify({ password: s }) }]),
        'station',
      ),
  },
  {
    name: 'JWT in DataTransfer data',
    secret: 'JwtSignaturePart',
    events: (s) =>
      withFrame(JSON.stringify([2, '1', 'DataTransfer', { vendorId: 'v', data: JWT(s) }]), 'station'),
  },
  {
    name: 'frame that is not JSON, password pair',
    secret: 'BrokenJsonPw1',
    events: (s) => withFrame(`[2,"1","ChangeConfiguration",{"key":"x","password":"${s}"`),
  },
  {
    name: 'frame that is not JSON, PEM private key',
    secret: 'BrokenJsonPem',
    events: (s) =>
      withFrame(`[2,"1","InstallCertificate",{"certificate":"${PEM_KEY(s).replace(/\n/g, '\\n')}"`),
  },
  {
    name: 'a finding quoting the secret',
    secret: 'QuotedInFinding',
    events: (s) => [
      opened({}),
      frame(JSON.stringify([2, '1', 'ChangeConfiguration', { key: 'AuthorizationKey', value: s }]), 'csms', [
        {
          code: 'schema-max-length',
          severity: 'error',
          message: `the string "${s}" is too long`,
          path: '/value',
        },
      ]),
    ],
  },
];

describe('redaction: no secret survives export, wherever it sits', () => {
  for (const format of ['capture', 'har'] as const) {
    it.each(ROWS)(`$name (${format})`, async (row) => {
      const events = row.events(row.secret);
      const source = new MemorySource(
        's',
        'capture',
        'secrets',
        events,
        [],
        [
          events[0]!.kind === 'opened'
            ? events[0]!.connection
            : { id: 'c1', role: 'endpoint', identity: 'CP1', url: 'ws://x' },
        ],
      );
      const plain = await exportToString(source, { format, redact: false, tool: 't' });
      // The row really carries it.
      if (format === 'capture' || !row.notInHar) expect(plain.data).toContain(row.secret.slice(0, 8));
      const out = await exportToString(source, { format, redact: true, tool: 't' });
      expect(out.data).not.toContain(row.secret);
      expect(out.redaction?.reduce((n, i) => n + i.count, 0)).toBeGreaterThan(0);
      // The redacted export still opens.
      if (format === 'har') expect(harToEvents(out.data).events.length).toBe(events.length);
      else expect(decodeCaptureBytes(Buffer.from(out.data)).events.length).toBe(events.length);
    });
  }

  it('keeps what is not a secret: identity, subprotocol, ordinary config values and certificates', async () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIBpublic\n-----END CERTIFICATE-----';
    const events = [
      opened({
        headers: [
          ['Sec-WebSocket-Protocol', 'ocpp2.0.1'],
          ['User-Agent', 'Charger/1.2'],
        ],
      }),
      frame(JSON.stringify([2, '1', 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '300' }])),
      frame(
        JSON.stringify([
          2,
          '2',
          'InstallCertificate',
          { certificateType: 'V2GRootCertificate', certificate: cert },
        ]),
      ),
    ];
    const source = new MemorySource('s', 'capture', 'plain', events, [], []);
    const out = await exportToString(source, { format: 'capture', redact: true, tool: 't' });
    const texts = decodeCaptureBytes(Buffer.from(out.data))
      .events.map((e) => (e.kind === 'frame' ? e.text : ''))
      .join('\n');
    expect(texts).toContain('"value":"300"');
    expect(texts).toContain('MIIBpublic');
    for (const kept of ['ocpp2.0.1', 'Charger/1.2', 'CP1']) expect(out.data).toContain(kept);
    expect(out.redaction).toEqual([]);
  });
});

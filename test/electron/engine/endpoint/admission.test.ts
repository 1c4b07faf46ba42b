import { describe, expect, it } from 'vitest';
import type { EndpointSettings } from '../../../../shared/api';
import { defaultEndpointSettings } from '../../../../shared/api-defaults';
import type { TlsFacts } from '../../../../shared/capture/events';
import { offeredProtocols } from '../../../../shared/capture/http-upgrade';
import type { AdmissionInput } from '../../../../electron/engine/endpoint/admission';
import { admitUpgrade } from '../../../../electron/engine/endpoint/admission';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function input(
  headers: [string, string][],
  settings: Partial<EndpointSettings> = {},
  extra: Partial<AdmissionInput> = {},
): AdmissionInput {
  const request = {
    startLine: 'GET /ocpp/CP-1 HTTP/1.1',
    headers: [
      ['Host', '127.0.0.1:9000'],
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Key', KEY],
      ['Sec-WebSocket-Version', '13'],
      ...headers,
    ] as [string, string][],
  };
  return {
    method: 'GET',
    request,
    identity: 'CP-1',
    offeredProtocols: offeredProtocols(request),
    tls: undefined,
    serving: 0,
    settings: { ...defaultEndpointSettings(), protocols: ['1.6', '2.0.1'], ...settings },
    ...extra,
  };
}

const codes = (a: { findings: { code: string }[] }): string[] => a.findings.map((f) => f.code);
const basic = (user: string, password: string | Uint8Array): [string, string] => [
  'Authorization',
  `Basic ${Buffer.concat([Buffer.from(`${user}:`), Buffer.from(password)]).toString('base64')}`,
];

describe('admitUpgrade', () => {
  it('accepts a charger offering a supported subprotocol and echoes its own spelling', () => {
    const a = admitUpgrade(input([['Sec-WebSocket-Protocol', 'OCPP2.0.1, ocpp1.6']]));
    expect(a).toMatchObject({ kind: 'accept', version: '1.6', chosenProtocol: 'ocpp1.6' });
    const b = admitUpgrade(input([['Sec-WebSocket-Protocol', 'OCPP2.0.1']]));
    expect(b).toMatchObject({ kind: 'accept', version: '2.0.1', chosenProtocol: 'OCPP2.0.1' });
    expect(codes(b)).toEqual([]);
  });

  it('refuses what is not a WebSocket upgrade, or a broken one, with 400 and a finding saying which', () => {
    const post = admitUpgrade(input([['Sec-WebSocket-Protocol', 'ocpp1.6']], {}, { method: 'POST' }));
    expect(post).toMatchObject({ kind: 'refuse', rejection: { status: 400, reason: 'not-websocket' } });
    expect(codes(post)).toEqual(['not-websocket-upgrade']);
    const badKey = input([]);
    badKey.request.headers = badKey.request.headers.map(([n, v]) =>
      n === 'Sec-WebSocket-Key' ? [n, 'short'] : [n, v],
    );
    expect(codes(admitUpgrade(badKey))).toEqual(['bad-websocket-key']);
    const v8 = input([]);
    v8.request.headers = v8.request.headers.map(([n, v]) =>
      n === 'Sec-WebSocket-Version' ? [n, '8'] : [n, v],
    );
    const refused = admitUpgrade(v8);
    expect(codes(refused)).toEqual(['bad-websocket-version']);
    expect(refused).toMatchObject({ rejection: { headers: [['Sec-WebSocket-Version', '13']] } });
    const dup = admitUpgrade(input([['Sec-WebSocket-Protocol', 'ocpp1.6, ocpp1.6']]));
    expect(codes(dup)).toEqual(['bad-subprotocol-header']);
  });

  it('warns about an empty identity but still decides on the rest', () => {
    const a = admitUpgrade(input([['Sec-WebSocket-Protocol', 'ocpp1.6']], {}, { identity: '' }));
    expect(a.kind).toBe('accept');
    expect(codes(a)).toEqual(['no-identity']);
  });

  it('refuses past the connection limit with 503', () => {
    const settings = defaultEndpointSettings();
    const a = admitUpgrade(
      input(
        [['Sec-WebSocket-Protocol', 'ocpp1.6']],
        { limits: { ...settings.limits, maxConnections: 2 } },
        { serving: 2 },
      ),
    );
    expect(a).toMatchObject({ kind: 'refuse', rejection: { status: 503 } });
    expect(codes(a)).toEqual(['too-many-connections']);
  });

  describe('security profiles 1 and 2 (Basic auth)', () => {
    const secured = {
      securityProfile: 1 as const,
      acceptAnyPassword: false,
      passwords: { 'CP-1': 's3cret-password-1' },
    };
    it('accepts the configured password and records the credentials', () => {
      const a = admitUpgrade(
        input([['Sec-WebSocket-Protocol', 'ocpp1.6'], basic('CP-1', 's3cret-password-1')], secured),
      );
      expect(a.kind).toBe('accept');
      expect(a.basicAuth?.username).toBe('CP-1');
    });
    it('answers a wrong password, a missing header and an unknown identity with 401 and a challenge', () => {
      const wrong = admitUpgrade(
        input([['Sec-WebSocket-Protocol', 'ocpp1.6'], basic('CP-1', 'nope')], secured),
      );
      expect(wrong).toMatchObject({ kind: 'refuse', rejection: { status: 401, body: 'Wrong password.\n' } });
      expect(codes(wrong)).toEqual(['auth-wrong-password']);
      expect(wrong.kind === 'refuse' && wrong.rejection.headers?.[0]?.[0]).toBe('WWW-Authenticate');
      const none = admitUpgrade(input([['Sec-WebSocket-Protocol', 'ocpp1.6']], secured));
      expect(codes(none)).toEqual(['auth-missing']);
      const stranger = admitUpgrade(
        input([['Sec-WebSocket-Protocol', 'ocpp1.6'], basic('CP-2', 'x')], secured, { identity: 'CP-2' }),
      );
      expect(codes(stranger)).toEqual(['auth-unknown-identity']);
    });
    it('takes a binary password as its hex spelling, as 1.6 security chargers send it', () => {
      const bytes = new Uint8Array([0x00, 0xff, 0x10, 0x80, 0x7f]);
      const a = admitUpgrade(
        input([['Sec-WebSocket-Protocol', 'ocpp1.6'], basic('CP-1', bytes)], {
          securityProfile: 2,
          acceptAnyPassword: false,
          passwords: { 'CP-1': '00FF10807F' },
        }),
      );
      expect(a.kind).toBe('accept');
    });
    it('with accept-any-password, lets a wrong user through but says so', () => {
      const a = admitUpgrade(
        input([['Sec-WebSocket-Protocol', 'ocpp1.6'], basic('CP-9', 'x')], {
          ...secured,
          acceptAnyPassword: true,
        }),
      );
      expect(a.kind).toBe('accept');
      expect(codes(a)).toEqual(['auth-username-mismatch']);
    });
  });

  describe('security profile 3 (client certificate)', () => {
    const tls = (authorized: boolean, chain: number): TlsFacts =>
      ({
        protocol: 'TLSv1.3',
        cipher: 'TLS_AES_128_GCM_SHA256',
        authorized,
        authorizationError: authorized ? undefined : 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
        peerChain: Array.from({ length: chain }, () => ({})),
      }) as unknown as TlsFacts;
    it('refuses with 403 when no certificate or an untrusted one was presented', () => {
      const missing = admitUpgrade(
        input([['Sec-WebSocket-Protocol', 'ocpp1.6']], { securityProfile: 3 }, { tls: tls(false, 0) }),
      );
      expect(codes(missing)).toEqual(['client-cert-missing']);
      expect(missing).toMatchObject({ rejection: { status: 403 } });
      const untrusted = admitUpgrade(
        input([['Sec-WebSocket-Protocol', 'ocpp1.6']], { securityProfile: 3 }, { tls: tls(false, 1) }),
      );
      expect(codes(untrusted)).toEqual(['client-cert-rejected']);
      expect(untrusted.kind === 'refuse' && untrusted.rejection.body).toMatch(
        /UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
      );
      const trusted = admitUpgrade(
        input([['Sec-WebSocket-Protocol', 'ocpp1.6']], { securityProfile: 3 }, { tls: tls(true, 1) }),
      );
      expect(trusted.kind).toBe('accept');
    });
  });

  describe('no supported subprotocol', () => {
    it('accepts for diagnosis by default, reading frames as the first version, and says so', () => {
      const a = admitUpgrade(input([['Sec-WebSocket-Protocol', 'ocpp1.5']]));
      expect(a).toMatchObject({ kind: 'accept', version: '1.6', chosenProtocol: 'ocpp1.5' });
      expect(codes(a)).toEqual(['no-supported-subprotocol', 'assumed-version']);
      expect(a.findings[0]?.message).toMatch(/older OCPP version/);
      const none = admitUpgrade(input([]));
      expect(codes(none)).toEqual(['no-subprotocol-offered', 'assumed-version']);
      expect(none).toMatchObject({ kind: 'accept', chosenProtocol: undefined });
    });
    it('refuses with 400 when the settings say refuse', () => {
      const a = admitUpgrade(input([['Sec-WebSocket-Protocol', 'ocpp1.5']], { unknownProtocol: 'refuse' }));
      expect(a).toMatchObject({ kind: 'refuse', rejection: { status: 400, reason: 'subprotocol' } });
    });
  });

  it('leaves the subprotocol to the upstream in proxy mode, after its own checks', () => {
    const upstream = { url: 'ws://127.0.0.1:1/ocpp' } as EndpointSettings['upstream'];
    expect(admitUpgrade(input([['Sec-WebSocket-Protocol', 'ocpp1.5']], { upstream })).kind).toBe('proxy');
    expect(admitUpgrade(input([], { upstream }, { method: 'PUT' })).kind).toBe('refuse');
  });
});

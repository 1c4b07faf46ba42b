import { describe, expect, it } from 'vitest';
import { generateCa, issueCertificate } from '../../../../electron/engine/tls/certificates';
import { Harness, tempDir } from '../engine-harness';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

async function files(): Promise<(name: string, text: string) => Promise<string>> {
  const t = await tempDir();
  cleanups.push(t.cleanup);
  return t.write;
}

/** An endpoint on profile 1 that knows CP-1 by the password s3cret, and our station connecting as CP-1 with `password`. */
async function profile1Station(password: string) {
  const h = new Harness();
  cleanups.push(() => h.close());
  const url = await h.listen({
    securityProfile: 1,
    acceptAnyPassword: false,
    passwords: { 'CP-1': 's3cret' },
  });
  const conn = await h.station.connect({
    url: url + 'CP-1',
    protocols: ['1.6'],
    basicAuth: { username: 'CP-1', password },
  });
  return { h, conn };
}

describe('security profiles between our station and our endpoint', () => {
  it('profile 1: Basic auth with the right password opens, and the endpoint shows identity and password', async () => {
    const { h, conn } = await profile1Station('s3cret');
    expect(conn.state).toBe('open');
    const serverSide = h.of('opened').find((e) => e.connection.role === 'endpoint')!;
    expect(serverSide.ok).toBe(true);
    expect(serverSide.handshake.basicAuth).toEqual({
      username: 'CP-1',
      password: 's3cret',
      passwordHex: Buffer.from('s3cret').toString('hex'),
      printable: true,
    });
    const o = await conn.sendCall('Heartbeat', {});
    expect(o.response?.msg?.type).toBe(3);
    // The station records the request it sent, as sent.
    const ours = h.of('opened', conn.id)[0]!.handshake;
    expect(ours.request.startLine).toBe('GET /CP-1 HTTP/1.1');
    expect(ours.request.headers).toContainEqual([
      'Authorization',
      `Basic ${Buffer.from('CP-1:s3cret').toString('base64')}`,
    ]);
    expect(ours.request.headers).toContainEqual(['Sec-WebSocket-Protocol', 'ocpp1.6']);
    expect(ours.response?.startLine).toBe('HTTP/1.1 101 Switching Protocols');
  });

  it('profile 1: a wrong password is refused (auth-failed) and the endpoint names it', async () => {
    const { h, conn } = await profile1Station('guess');
    expect(conn.failure?.code).toBe('auth-failed');
    const serverSide = h.of('opened').find((e) => e.connection.role === 'endpoint')!;
    expect(serverSide.ok).toBe(false);
    expect(serverSide.handshake.findings.map((f) => f.code)).toContain('auth-wrong-password');
    expect(serverSide.handshake.response?.status).toBe(401);
  });

  it('profile 1: a binary AuthorizationKey is shown in hex, and accept-any records it', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ securityProfile: 1, acceptAnyPassword: true });
    const raw = String.fromCharCode(0x01, 0x02, 0xff);
    const conn = await h.station.connect({
      url: url + 'CP-2',
      protocols: ['2.0.1'],
      basicAuth: { username: 'CP-2', password: raw },
    });
    expect(conn.state).toBe('open');
    const auth = h.of('opened').find((e) => e.connection.role === 'endpoint')!.handshake.basicAuth!;
    expect(auth.printable).toBe(false);
    expect(auth.password).toBe('');
    expect(auth.passwordHex).toBe(Buffer.from(raw, 'utf8').toString('hex'));
  });

  it('profile 2: TLS with a generated CA the station trusts, plus Basic auth', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({
      securityProfile: 2,
      acceptAnyPassword: false,
      passwords: { CP3: 'pw' },
      tls: { generateCertificate: true },
    });
    expect(url.startsWith('wss://127.0.0.1:')).toBe(true);
    const caPem = h.endpoint.status().caCertificatePem!;
    expect(caPem).toContain('BEGIN CERTIFICATE');
    const write = await files();
    const caFile = await write('ca.pem', caPem);
    const conn = await h.station.connect({
      url: url + 'CP3',
      protocols: ['2.1'],
      basicAuth: { username: 'CP3', password: 'pw' },
      tls: { caFile },
    });
    expect(conn.state).toBe('open');
    const ours = h.of('opened', conn.id)[0]!;
    expect(ours.handshake.tls).toMatchObject({ authorized: true, insecure: false });
    expect(ours.handshake.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(ours.handshake.tls?.peerChain).toHaveLength(2);
    const o = await conn.sendCall('Heartbeat', {});
    expect(o.response?.findings).toEqual([]);
  });

  it('profile 2: a station that trusts another CA fails with tls-unknown-ca, and the endpoint records the refusal', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ securityProfile: 2, tls: { generateCertificate: true } });
    const other = await generateCa({ commonName: 'Unrelated CA', keyKind: 'ec' });
    const write = await files();
    const conn = await h.station.connect({
      url: url + 'CP4',
      protocols: ['1.6'],
      tls: { caFile: await write('other.pem', other.certPem) },
    });
    expect(conn.failure?.code).toBe('tls-unknown-ca');
    // Node checks the chain after the TLS handshake and then hangs up; a charger's TLS stack sends an alert instead.
    const serverSide = await h.waitFor(
      (e) => e.kind === 'opened' && e.connection.role === 'endpoint',
      5000,
      'endpoint tls record',
    );
    expect(serverSide.kind === 'opened' && serverSide.handshake.failure?.code).toMatch(
      /^tls-peer-(hung-up|rejected-certificate)$/,
    );
  });

  it('profile 3: a client certificate from the trusted CA opens; the endpoint records the chain presented', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ securityProfile: 3, tls: { generateCertificate: true } });
    const client = await h.endpoint.issueClientCertificate('CP5');
    const write = await files();
    const conn = await h.station.connect({
      url: url + 'CP5',
      protocols: ['2.0.1'],
      tls: {
        caFile: await write('ca.pem', h.endpoint.status().caCertificatePem!),
        certFile: await write('c.pem', client.certPem),
        keyFile: await write('c.key', client.keyPem),
      },
    });
    expect(conn.state).toBe('open');
    const serverSide = h.of('opened').find((e) => e.connection.role === 'endpoint')!;
    expect(serverSide.handshake.tls?.authorized).toBe(true);
    expect(serverSide.handshake.tls?.peerChain[0]?.subject).toContain('CN=CP5');
  });

  it('profile 3: a client certificate from another CA is refused (client-cert-rejected) on both sides', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ securityProfile: 3, tls: { generateCertificate: true } });
    const rogueCa = await generateCa({ commonName: 'Rogue CA', keyKind: 'ec' });
    const client = await issueCertificate(rogueCa, { commonName: 'CP6', kind: 'client', keyKind: 'ec' });
    const write = await files();
    const conn = await h.station.connect({
      url: url + 'CP6',
      protocols: ['2.0.1'],
      tls: {
        caFile: await write('ca.pem', h.endpoint.status().caCertificatePem!),
        certFile: await write('c.pem', client.certPem),
        keyFile: await write('c.key', client.keyPem),
      },
    });
    expect(conn.failure?.code).toBe('client-cert-rejected');
    // The station says it got through TLS and was refused in HTTP, what to check, and what the endpoint said.
    expect(conn.failure?.stage).toBe('auth');
    expect(conn.failure?.message).toMatch(
      /completed TLS but then refused our client certificate \(HTTP 403\)/,
    );
    expect(conn.failure?.message).toContain('The server says: "Client certificate not accepted:');
    expect(conn.handshake?.response?.status).toBe(403);
    const serverSide = h.of('opened').find((e) => e.connection.role === 'endpoint')!;
    expect(serverSide.handshake.findings.map((f) => f.code)).toContain('client-cert-rejected');
    expect(serverSide.handshake.tls?.peerChain[0]?.issuer).toContain('Rogue CA');
  });

  it('profile 3: no client certificate at all is refused', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ securityProfile: 3, tls: { generateCertificate: true } });
    const write = await files();
    const conn = await h.station.connect({
      url: url + 'CP7',
      protocols: ['1.6'],
      tls: { caFile: await write('ca.pem', h.endpoint.status().caCertificatePem!) },
    });
    expect(conn.failure?.code).toBe('client-cert-missing');
    expect(conn.failure?.message).toContain('we presented no client certificate');
    expect(conn.handshake?.response?.status).toBe(403);
    expect(conn.handshake?.response?.body).toContain('client certificate is required');
    const serverSide = h.of('opened').find((e) => e.connection.role === 'endpoint')!;
    expect(serverSide.handshake.findings.map((f) => f.code)).toContain('client-cert-missing');
  });
});

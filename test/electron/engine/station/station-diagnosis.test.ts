import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import { connect as netConnect, createServer as createNetServer } from 'node:net';
import type { AddressInfo, LookupFunction, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { OpenedEvent } from '../../../../shared/capture/events';
import { generateCa, issueCertificate } from '../../../../electron/engine/tls/certificates';
import type { CertificateBundle } from '../../../../electron/engine/tls/certificates';
import { Harness, tempDir } from '../engine-harness';
import { nextEvent } from '../../../support/wake';

let cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function listenOn(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

async function failedAttempt(
  h: Harness,
  url: string,
  extra: Parameters<Harness['station']['connect']>[0] extends infer S ? Partial<S> : never = {},
): Promise<OpenedEvent> {
  const conn = await h.station.connect({ url, protocols: ['1.6'], ...extra });
  expect(conn.state).toBe('failed');
  const opened = h.of('opened', conn.id);
  expect(opened).toHaveLength(1);
  expect(opened[0]!.ok).toBe(false);
  return opened[0]!;
}

describe('station handshake diagnoses', () => {
  it('dns-not-found: the host name does not resolve', async () => {
    // Tests may not query real resolvers: this lookup answers exactly as dns.lookup does for an unknown name.
    const lookup: LookupFunction = (hostname, _options, callback) => {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
        hostname,
      });
      process.nextTick(() => (callback as (e: Error) => void)(error));
    };
    const h = new Harness({ station: { lookup } });
    const o = await failedAttempt(h, 'ws://csms.example.invalid:9000/ocpp/CP1');
    expect(o.handshake.failure).toMatchObject({ stage: 'dns', code: 'dns-not-found' });
    expect(o.handshake.failure?.message).toContain('csms.example.invalid');
    expect(o.handshake.request.startLine).toBe('GET /ocpp/CP1 HTTP/1.1');
  });

  it('tcp-refused: nothing listens on the port', async () => {
    const probe = createNetServer();
    const port = await new Promise<number>((r) =>
      probe.listen(0, '127.0.0.1', () => r((probe.address() as AddressInfo).port)),
    );
    await new Promise((r) => probe.close(r));
    const h = new Harness();
    const o = await failedAttempt(h, `ws://127.0.0.1:${port}/CP1`);
    expect(o.handshake.failure).toMatchObject({ stage: 'tcp', code: 'tcp-refused' });
  });

  it('tcp-timeout: the server never completes the TCP handshake', async () => {
    // A listener whose accept queue is full drops new SYNs, as a firewall would: a child process listens with a
    // backlog of 1, prints its port synchronously and blocks its event loop in the same callback (Atomics.wait:
    // asleep, not spinning), so it never accepts anything; two connections then fill the queue.
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '-e',
        "const s=require('net').createServer().listen(0,'127.0.0.1',1,()=>{require('fs').writeSync(1,s.address().port+'\\n');Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0)})",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cleanups.push(() => void child.kill('SIGKILL'));
    const [portText] = await nextEvent<[Buffer]>(
      child.stdout!,
      'data',
      'the blocked listener to print its port',
    );
    const port = Number(String(portText).trim());
    // Linux queues backlog + 1 completed connections; each filler's 'connect' says the kernel took it. Once two are
    // in, the queue is full and every further SYN is dropped.
    const fillers: Socket[] = [];
    cleanups.push(() => fillers.forEach((s) => s.destroy()));
    for (let i = 0; i < 2; i++) {
      const s = netConnect(port, '127.0.0.1');
      s.on('error', () => {});
      fillers.push(s);
      await nextEvent(s, 'connect', `filler ${i + 1} to be queued by the kernel`, 5000);
    }
    const h = new Harness({ station: { handshakeTimeoutSec: 1.5 } });
    const o = await failedAttempt(h, `ws://127.0.0.1:${port}/CP1`);
    expect(o.handshake.failure).toMatchObject({ stage: 'tcp', code: 'tcp-timeout' });
  });

  it('http-timeout: a server that takes the connection and never answers the upgrade is left after the timeout', async () => {
    const held: Socket[] = [];
    let closed = 0;
    const server = createNetServer((s) => {
      held.push(s);
      s.on('error', () => {});
      s.on('close', () => closed++);
      // Read what comes (the upgrade request), so the station's closing is seen as the stream's end.
      s.resume();
    });
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    );
    cleanups.push(() => {
      held.forEach((s) => s.destroy());
      return new Promise((r) => server.close(r));
    });
    const h = new Harness({ station: { handshakeTimeoutSec: 1 } });
    cleanups.push(() => h.close());
    const o = await failedAttempt(h, `ws://127.0.0.1:${port}/CP1`);
    expect(o.handshake.failure).toMatchObject({ stage: 'http', code: 'http-timeout' });
    expect(o.handshake.failure?.message).toContain('did not answer the WebSocket upgrade within 1 s');
    // The station let go of the socket it was waiting on (one attempt: no retry without reconnect asked).
    expect(held).toHaveLength(1);
    if (closed === 0) await nextEvent(held[0]!, 'close', 'the held socket to be closed by the station');
    expect(closed).toBe(1);
  });

  it('http-status: a non-101 answer is recorded with its headers and body', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(500, 'Oops', { 'X-Reason': 'backend down' });
      res.end('The CSMS backend is down for maintenance');
    });
    const port = await listenOn(server);
    cleanups.push(() => new Promise((r) => server.close(r)));
    const h = new Harness();
    const o = await failedAttempt(h, `ws://127.0.0.1:${port}/CP1`);
    expect(o.handshake.failure).toMatchObject({ stage: 'http', code: 'http-status' });
    expect(o.handshake.response?.status).toBe(500);
    expect(o.handshake.response?.startLine).toBe('HTTP/1.1 500 Oops');
    expect(o.handshake.response?.headers).toContainEqual(['X-Reason', 'backend down']);
    expect(o.handshake.response?.body).toBe('The CSMS backend is down for maintenance');
  });

  it('no-subprotocol: a 101 without Sec-WebSocket-Protocol', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server, handleProtocols: () => false });
    const port = await listenOn(server);
    cleanups.push(() => {
      wss.close();
      return new Promise((r) => server.close(r));
    });
    const h = new Harness();
    const o = await failedAttempt(h, `ws://127.0.0.1:${port}/CP1`);
    expect(o.handshake.failure).toMatchObject({ stage: 'subprotocol', code: 'no-subprotocol' });
    expect(o.handshake.response?.status).toBe(101);
    expect(o.handshake.offeredProtocols).toEqual(['ocpp1.6']);
  });

  it('unexpected-subprotocol: the server chose one we did not offer', async () => {
    const server = createServer();
    server.on('upgrade', (req, socket) => {
      const accept = createHash('sha1')
        .update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
        .digest('base64');
      socket.end(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ocpp2.0.1\r\n\r\n`,
      );
    });
    const port = await listenOn(server);
    cleanups.push(() => new Promise((r) => server.close(r)));
    const h = new Harness();
    const o = await failedAttempt(h, `ws://127.0.0.1:${port}/CP1`);
    expect(o.handshake.failure).toMatchObject({ stage: 'subprotocol', code: 'unexpected-subprotocol' });
    expect(o.handshake.response?.headers).toContainEqual(['Sec-WebSocket-Protocol', 'ocpp2.0.1']);
  });

  it('auth-failed: 401 for a wrong password', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ securityProfile: 1, acceptAnyPassword: false, passwords: { CP1: 'right' } });
    const o = await failedAttempt(h, url + 'CP1', { basicAuth: { username: 'CP1', password: 'wrong' } });
    expect(o.handshake.failure).toMatchObject({ stage: 'auth', code: 'auth-failed' });
    expect(o.handshake.response?.headers.map(([n]) => n)).toContain('WWW-Authenticate');
  });

  describe('TLS', () => {
    let ca: CertificateBundle;
    const DAY = 86_400_000;
    async function serveWith(h: Harness, leaf: CertificateBundle): Promise<number> {
      const t = await tempDir();
      cleanups.push(t.cleanup);
      // The server presents its whole chain, leaf first, as a well-configured CSMS does.
      const certFile = await t.write('server.pem', leaf.certPem + ca.certPem);
      const keyFile = await t.write('server.key', leaf.keyPem);
      cleanups.push(() => h.close());
      const url = await h.listen({ securityProfile: 2, tls: { certFile, keyFile } });
      return Number(new URL(url).port);
    }
    async function caFileOf(bundle: CertificateBundle): Promise<string> {
      const t = await tempDir();
      cleanups.push(t.cleanup);
      return t.write('ca.pem', bundle.certPem);
    }
    const leafFor = (o: Partial<Parameters<typeof issueCertificate>[1]>) =>
      issueCertificate(ca, {
        commonName: 'csms',
        kind: 'server',
        keyKind: 'ec',
        ipAddresses: ['127.0.0.1'],
        dnsNames: ['localhost'],
        ...o,
      });

    const cases: [string, Partial<Parameters<typeof issueCertificate>[1]>][] = [
      [
        'tls-expired',
        { notBefore: new Date(Date.now() - 40 * DAY), notAfter: new Date(Date.now() - 10 * DAY) },
      ],
      [
        'tls-not-yet-valid',
        { notBefore: new Date(Date.now() + 10 * DAY), notAfter: new Date(Date.now() + 40 * DAY) },
      ],
      [
        'tls-name-mismatch',
        { ipAddresses: [], dnsNames: ['csms.elsewhere.example'], commonName: 'csms.elsewhere.example' },
      ],
    ];
    it.each(cases)('%s, with the chain as presented', async (code, o) => {
      ca = await generateCa({ commonName: 'Test CA', keyKind: 'ec' });
      const h = new Harness();
      const port = await serveWith(h, await leafFor(o));
      const attempt = await failedAttempt(h, `wss://127.0.0.1:${port}/CP1`, {
        tls: { caFile: await caFileOf(ca) },
      });
      expect(attempt.handshake.failure).toMatchObject({ stage: 'tls', code });
      expect(attempt.handshake.tls?.peerChain[0]?.issuer).toContain('Test CA');
      expect(attempt.handshake.tls?.authorized).toBe(false);
    });

    it('tls-unknown-ca: signed by a CA we do not trust', async () => {
      ca = await generateCa({ commonName: 'Server CA', keyKind: 'ec' });
      const other = await generateCa({ commonName: 'Some other CA', keyKind: 'ec' });
      const h = new Harness();
      const port = await serveWith(h, await leafFor({}));
      const attempt = await failedAttempt(h, `wss://127.0.0.1:${port}/CP1`, {
        tls: { caFile: await caFileOf(other) },
      });
      expect(attempt.handshake.failure).toMatchObject({ stage: 'tls', code: 'tls-unknown-ca' });
      expect(attempt.handshake.tls?.peerChain.map((c) => c.subject)).toEqual([
        expect.stringContaining('CN=csms'),
        expect.stringContaining('CN=Server CA'),
      ]);
    });

    it('tls-client-cert-rejected: a CSMS that checks client certificates in TLS refuses ours, or wants one', async () => {
      ca = await generateCa({ commonName: 'Server CA', keyKind: 'ec' });
      const leaf = await leafFor({});
      const server = createHttpsServer({
        cert: leaf.certPem,
        key: leaf.keyPem,
        ca: ca.certPem,
        requestCert: true,
        rejectUnauthorized: true,
      });
      server.on('upgrade', (_req, socket: Socket) => socket.destroy());
      const port = await listenOn(server as unknown as Server);
      cleanups.push(() => new Promise((r) => server.close(r)));
      const rogue = await generateCa({ commonName: 'Rogue CA', keyKind: 'ec' });
      const client = await issueCertificate(rogue, { commonName: 'CP1', kind: 'client', keyKind: 'ec' });
      const t = await tempDir();
      cleanups.push(t.cleanup);
      const caFile = await t.write('ca.pem', ca.certPem);
      const h = new Harness();
      const refused = await failedAttempt(h, `wss://127.0.0.1:${port}/CP1`, {
        tls: {
          caFile,
          certFile: await t.write('c.pem', client.certPem),
          keyFile: await t.write('c.key', client.keyPem),
        },
      });
      expect(refused.handshake.failure).toMatchObject({ stage: 'tls', code: 'tls-client-cert-rejected' });
      const none = await failedAttempt(h, `wss://127.0.0.1:${port}/CP1`, { tls: { caFile } });
      expect(none.handshake.failure).toMatchObject({ stage: 'tls', code: 'tls-client-cert-rejected' });
      expect(none.handshake.failure?.message).toContain('none is configured');
    });

    it('allow-insecure connects anyway and records that verification was off', async () => {
      ca = await generateCa({ commonName: 'Server CA', keyKind: 'ec' });
      const h = new Harness();
      const port = await serveWith(h, await leafFor({ ipAddresses: [], dnsNames: ['nowhere.example'] }));
      const conn = await h.station.connect({
        url: `wss://127.0.0.1:${port}/CP1`,
        protocols: ['1.6'],
        tls: { allowInsecure: true },
      });
      expect(conn.state).toBe('open');
      const o = h.of('opened', conn.id)[0]!;
      expect(o.handshake.tls).toMatchObject({ insecure: true, authorized: false });
      expect(o.handshake.findings.map((f) => f.code)).toContain('tls-insecure');
    });
  });
});

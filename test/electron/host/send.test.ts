import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { runCli } from '../../../electron/host/cli';
import { EXIT } from '../../../electron/host/exit-codes';
import { memoryIo } from './memory-io';
import { Harness, tempDir } from '../engine/engine-harness';

// ocpp-rpc is CommonJS without types: a strict third-party CSMS.
const { RPCServer, createRPCError } = (await import('ocpp-rpc')).default as unknown as {
  RPCServer: new (o: object) => {
    on(
      e: 'client',
      l: (c: {
        identity: string;
        handle(a: string, f: (x: { params: Record<string, unknown> }) => unknown): void;
      }) => void,
    ): void;
    listen(port: number, host: string): Promise<Server>;
    close(o?: object): Promise<void>;
  };
  createRPCError: (code: string, message?: string) => Error;
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function ocppRpcServer(protocols: string[]) {
  const server = new RPCServer({ protocols, strictMode: true });
  const seen: { identity: string; action: string; params: unknown }[] = [];
  server.on('client', (client) => {
    client.handle('Heartbeat', ({ params }) => {
      seen.push({ identity: client.identity, action: 'Heartbeat', params });
      return { currentTime: new Date().toISOString() };
    });
    client.handle('Authorize', () => {
      throw createRPCError('NotSupported', 'no authorization here');
    });
  });
  const http = await server.listen(0, '127.0.0.1');
  cleanups.push(() => server.close({ force: true }));
  return { port: (http.address() as AddressInfo).port, seen };
}

describe('ocpp-scope send', () => {
  it('sends a CALL built with --action to a strict peer and prints its answer', async () => {
    const { port, seen } = await ocppRpcServer(['ocpp1.6']);
    const m = memoryIo();
    const code = await runCli(
      ['send', `ws://127.0.0.1:${port}/ocpp/CP-7`, '--action', 'Heartbeat', '--protocol', '1.6'],
      m.io,
    );
    expect(m.stderr()).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(seen).toEqual([{ identity: 'CP-7', action: 'Heartbeat', params: {} }]);
    const lines = m.stdout().trim().split('\n');
    expect(lines[0]).toBe(`connected to ws://127.0.0.1:${port}/ocpp/CP-7 (ocpp1.6)`);
    expect(lines[1]).toMatch(/^-> \[2,"[^"]+","Heartbeat",\{\}\]$/);
    expect(lines[2]).toMatch(/^<- \[3,"[^"]+",\{"currentTime":"/);
  });

  it('prints JSON lines with --json and exits 1 when the answer is a CALLERROR', async () => {
    const { port } = await ocppRpcServer(['ocpp1.6']);
    const m = memoryIo();
    const frame = '[2,"abc","Authorize",{"idTag":"TAG1"}]';
    const code = await runCli(['send', `ws://127.0.0.1:${port}/CP1`, frame, '--json'], m.io);
    expect(code).toBe(EXIT.problem);
    const steps = m
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(steps.map((s) => s.step)).toEqual(['opened', 'sent', 'received']);
    expect(steps[1].text).toBe(frame);
    expect(JSON.parse(steps[2].text)).toEqual([4, 'abc', 'NotSupported', 'no authorization here', {}]);
  });

  it('sends an invalid frame exactly as written (validation never blocks)', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'ocpp2.0.1' });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    await new Promise((r) => wss.once('listening', r));
    const received = new Promise<string>((resolve) =>
      wss.on('connection', (ws: WebSocket) => ws.on('message', (d) => resolve(d.toString()))),
    );
    const m = memoryIo('{not json at all\n');
    const code = await runCli(
      ['send', `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/CP1`, '-'],
      m.io,
    );
    expect(await received).toBe('{not json at all');
    expect(code).toBe(EXIT.ok);
  });

  it('says "refused" in one sentence and exits 3 when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const m = memoryIo();
    expect(await runCli(['send', `ws://127.0.0.1:${port}/CP1`, '--action', 'Heartbeat'], m.io)).toBe(
      EXIT.connection,
    );
    expect(m.stderr()).toBe(
      `ocpp-scope send: Nothing accepts connections on 127.0.0.1:${port}: the port is wrong or the server is not running.\n`,
    );
  });

  it('names the HTTP status when the server refuses the upgrade', async () => {
    const server = createServer((_req, res) => res.writeHead(404).end('no such charger'));
    server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const m = memoryIo();
    const code = await runCli(
      ['send', `ws://127.0.0.1:${(server.address() as AddressInfo).port}/CP1`, '--action', 'Heartbeat'],
      m.io,
    );
    expect(code).toBe(EXIT.connection);
    expect(m.stderr()).toContain('(HTTP 404)');
  });

  it('exits 1 when a CALL gets no answer in time', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'ocpp1.6' });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    await new Promise((r) => wss.once('listening', r));
    const m = memoryIo();
    const code = await runCli(
      [
        'send',
        `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/CP1`,
        '--action',
        'Heartbeat',
        '--timeout',
        '0.3',
      ],
      m.io,
    );
    expect(code).toBe(EXIT.problem);
    expect(m.stderr()).toMatch(/no answer to message .* within 0\.3 s/);
  });

  it.each([
    [['send'], 'the URL is missing'],
    [['send', 'http://127.0.0.1:1/CP1', '[]'], 'must start with ws:// or wss://'],
    [['send', 'not a url', '[]'], 'is not a URL'],
    [['send', 'ws://127.0.0.1:1/CP1'], 'the frame is missing'],
    [
      ['send', 'ws://127.0.0.1:1/CP1', '--action', 'Heartbeat', '--payload', '[1]'],
      '--payload must be a JSON object',
    ],
    [['send', 'ws://127.0.0.1:1/CP1', '--action', 'X', '--protocol', '1.7'], 'unknown OCPP version "1.7"'],
  ])('refuses %j with exit 2: %s', async (argv, message) => {
    const m = memoryIo();
    expect(await runCli(argv, m.io)).toBe(EXIT.usage);
    expect(m.stderr()).toContain(message);
    expect(m.stderr().trim().split('\n')).toHaveLength(1);
  });

  it("shares connect's TLS and auth options: --ca verifies a wss endpoint, without it the CA is unknown, --insecure skips", async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({
      securityProfile: 2,
      acceptAnyPassword: false,
      passwords: { 'CP-TLS': 'pw' },
      tls: { generateCertificate: true },
      protocols: ['1.6'],
    });
    const dir = await tempDir();
    cleanups.push(() => dir.cleanup());
    const ca = await dir.write('ca.pem', h.endpoint.status().caCertificatePem!);
    const send = async (...extra: string[]) => {
      const m = memoryIo();
      const code = await runCli(
        ['send', `${url}CP-TLS`, '--action', 'Heartbeat', '--password', 'pw', ...extra],
        m.io,
      );
      return { code, out: m.stdout(), err: m.stderr() };
    };
    const verified = await send('--ca', ca);
    expect(verified.err).toBe('');
    expect(verified.code).toBe(EXIT.ok);
    expect(verified.out).toMatch(/^connected to wss:\/\/127\.0\.0\.1:\d+\/CP-TLS \(ocpp1\.6\)\n/);
    // The user defaults to the identity, as for connect: the endpoint saw CP-TLS's password.
    const opened = h.of('opened').filter((e) => e.connection.role === 'endpoint' && e.ok);
    expect(opened[0]?.handshake.basicAuth).toMatchObject({ username: 'CP-TLS', password: 'pw' });

    const unknown = await send();
    expect(unknown.code).toBe(EXIT.connection);
    expect(unknown.err).toMatch(/^ocpp-scope send: .*certificate/i);

    const insecure = await send('--insecure');
    expect(insecure.code).toBe(EXIT.ok);

    const m = memoryIo();
    expect(await runCli(['send', `${url}CP-TLS`, '--action', 'Heartbeat', '--cert', ca], m.io)).toBe(
      EXIT.usage,
    );
    expect(m.stderr()).toContain('--cert and --key go together');
  });

  it('prints what the analysis pipeline finds in the frame sent (schema of the negotiated version), sent anyway', async () => {
    const { port } = await ocppRpcServer(['ocpp1.6']);
    const m = memoryIo();
    const code = await runCli(
      ['send', `ws://127.0.0.1:${port}/CP1`, '[2,"s1","Authorize",{"idTag":5}]', '--json'],
      m.io,
    );
    const steps = m
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: string; findings?: { code: string; path?: string }[] });
    expect(steps[1]?.findings?.map((f) => [f.code, f.path])).toEqual([['schema-type', '/idTag']]);
    // ocpp-rpc in strict mode refuses it: the CALLERROR is printed and the exit code says so.
    expect(steps[2]?.step).toBe('received');
    expect(code).toBe(EXIT.problem);
  });

  it('exits 4 when the frame file is missing', async () => {
    const m = memoryIo();
    expect(await runCli(['send', 'ws://127.0.0.1:1/CP1', '@/no/such/frame.json'], m.io)).toBe(EXIT.file);
  });
});

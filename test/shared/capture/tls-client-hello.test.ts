import { createServer, type AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { readClientHello } from '../../../shared/capture/tls-client-hello';

/** The first bytes a real TLS client (Node's) sends, caught by a plain TCP server on loopback. */
async function realClientHello(servername?: string): Promise<Uint8Array> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const first = new Promise<Uint8Array>((resolve) =>
    server.once('connection', (s) => s.once('data', (d: Buffer) => resolve(new Uint8Array(d)))),
  );
  const client = connect({
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    ...(servername ? { servername } : {}),
  });
  client.on('error', () => undefined);
  try {
    return await first;
  } finally {
    client.destroy();
    server.close();
  }
}

describe('readClientHello', () => {
  it('reads the SNI host of a real ClientHello, and gives a hello without a name when there is none', async () => {
    expect(readClientHello(await realClientHello('charger-gw.example'))).toEqual({
      serverName: 'charger-gw.example',
    });
    // Node sends no SNI for an IP address.
    expect(readClientHello(await realClientHello())).toEqual({});
  });

  it('is not fooled by HTTP, and never throws on a cut or garbled hello', async () => {
    expect(readClientHello(new TextEncoder().encode('GET /ocpp/CP1 HTTP/1.1\r\n'))).toBeUndefined();
    expect(readClientHello(new Uint8Array([]))).toBeUndefined();
    const hello = await realClientHello('a.example');
    for (let cut = 0; cut < hello.length; cut += 7) {
      const r = readClientHello(hello.slice(0, cut));
      expect(r === undefined || r.serverName === undefined || r.serverName === 'a.example').toBe(true);
    }
    const garbled = hello.slice();
    for (let i = 43; i < garbled.length; i += 3) garbled[i] = 0xff;
    expect(() => readClientHello(garbled)).not.toThrow();
  });
});

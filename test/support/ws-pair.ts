import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { nextEvent } from './wake';

/** A bare ws server on loopback (port 0) and one client connected to it; `cleanups` closes both. */
export async function loopbackWsPair(
  cleanups: (() => Promise<unknown>)[],
): Promise<{ server: WebSocket; client: WebSocket }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => new Promise((r) => wss.close(r)));
  await nextEvent(wss, 'listening', 'the server listening');
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  cleanups.push(async () => client.terminate());
  const [server] = await nextEvent<[WebSocket]>(wss, 'connection', 'the connection');
  await nextEvent(client, 'open', 'the client open');
  return { server, client };
}

import type { AddressInfo } from 'node:net';
import { RPCClient, RPCServer } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Sender } from '../../../shared/capture/events';
import { analyzeFrame } from '../../../shared/ocpp/analyze';
import { exampleRequest, exampleResponse } from '../../../shared/ocpp/examples';
import { parseFrame } from '../../../shared/ocpp/frame';
import type { JsonObject } from '../../../shared/ocpp/json';
import { PairingTracker } from '../../../shared/ocpp/pairing';
import { validatePayload } from '../../../shared/ocpp/schema-registry';
import { SUBPROTOCOL_OF } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';

// ocpp-rpc is a strict third-party OCPP peer. It answers bad frames with CALLERRORs; where its codes are the
// ones OCPP 2.0.1 prescribes, ours must agree. (For 1.6 it answers RpcFrameworkError, which 1.6 does not define,
// so 1.6 is not compared; see error-codes.ts.)

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startServer(version: OcppVersion): Promise<{ url: string; server: RPCServer }> {
  const server = new RPCServer({ protocols: [SUBPROTOCOL_OF[version]], strictMode: true });
  server.on('client', (client) => {
    client.handle(async ({ method }: { method?: string }) => exampleResponse(version, method ?? ''));
  });
  const http = await server.listen(0, '127.0.0.1');
  cleanups.push(() => server.close({ force: true }));
  const port = (http.address() as AddressInfo).port;
  return { url: `ws://127.0.0.1:${port}`, server };
}

function rawClient(url: string, protocol: string): Promise<{ ask: (text: string) => Promise<unknown[]> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/CP-RAW`, [protocol]);
    const waiting: ((m: string) => void)[] = [];
    ws.on('message', (data) => waiting.shift()?.(String(data)));
    ws.on('error', reject);
    cleanups.push(
      () =>
        new Promise<void>((done) => {
          if (ws.readyState === WebSocket.CLOSED) return done();
          ws.once('close', () => done());
          ws.terminate();
        }),
    );
    ws.on('open', () =>
      resolve({
        ask: (text) =>
          new Promise((res, rej) => {
            const timer = setTimeout(() => rej(new Error(`no answer to ${text} within 5 s`)), 5000);
            waiting.push((m) => {
              clearTimeout(timer);
              res(JSON.parse(m) as unknown[]);
            });
            ws.send(text);
          }),
      }),
    );
  });
}

describe('interop with ocpp-rpc (strict peer)', () => {
  it('2.0.1: answers malformed frames with the same error codes we predict', async () => {
    const { url } = await startServer('2.0.1');
    const client = await rawClient(url, 'ocpp2.0.1');
    const frames = [
      'hello',
      '{"a":1}',
      '["2","a","Heartbeat",{}]',
      '[7,"a","Heartbeat",{}]',
      '[5,"a","FormatViolation","",{}]',
      '[6,"a","NotifyPeriodicEventStream",{}]',
      '[2,42,"Heartbeat",{}]',
      '[2,"a",5,{}]',
    ];
    for (const text of frames) {
      const answer = await client.ask(text);
      const ours = parseFrame(text, '2.0.1');
      expect(ours.ok, text).toBe(false);
      if (ours.ok) continue;
      expect(answer[0], text).toBe(4);
      expect([text, answer[2]]).toEqual([text, ours.problem.errorCode]);
    }
  });

  it('2.0.1: a wrong type in a payload gets TypeConstraintViolation from both', async () => {
    const { url } = await startServer('2.0.1');
    const client = await rawClient(url, 'ocpp2.0.1');
    const payload = { reason: 'PowerUp', chargingStation: { model: 5, vendorName: 'V' } };
    const answer = await client.ask(JSON.stringify([2, 't', 'BootNotification', payload]));
    const ours = validatePayload('2.0.1', 'BootNotification', 'request', payload);
    expect(answer.slice(0, 3)).toEqual([4, 't', 'TypeConstraintViolation']);
    expect(ours.map((f) => f.errorCode)).toEqual(['TypeConstraintViolation']);
  });

  for (const version of ['1.6', '2.0.1'] as const) {
    it(`${version}: a whole valid session between two ocpp-rpc peers gets no finding from analyzeFrame`, async () => {
      const { url, server } = await startServer(version);
      const serverSide = new Promise<RPCClient>((resolve) => server.once('client', resolve));
      const client = new RPCClient({
        endpoint: url,
        identity: 'CP-1',
        protocols: [SUBPROTOCOL_OF[version]],
        strictMode: true,
        reconnect: false,
        // ocpp-rpc's typings mark every option as required; the library itself defaults them.
      } as unknown as ConstructorParameters<typeof RPCClient>[0]);
      const wire: { sender: Sender; text: string }[] = [];
      client.on('message', ({ message, outbound }: { message: string; outbound: boolean }) => {
        wire.push({ sender: outbound ? 'station' : 'csms', text: String(message) });
      });
      client.handle(async ({ method }) => exampleResponse(version, method ?? ''));
      await client.connect();
      cleanups.push(async () => {
        await client.close({ force: true });
      });
      const csms = await serverSide;

      const stationCalls =
        version === '1.6'
          ? [
              'BootNotification',
              'Heartbeat',
              'StatusNotification',
              'Authorize',
              'StartTransaction',
              'MeterValues',
              'DataTransfer',
            ]
          : [
              'BootNotification',
              'Heartbeat',
              'StatusNotification',
              'Authorize',
              'TransactionEvent',
              'MeterValues',
              'DataTransfer',
            ];
      for (const action of stationCalls) {
        await client.call(action, exampleRequest(version, action));
      }
      const csmsCalls =
        version === '1.6'
          ? ['GetConfiguration', 'Reset', 'DataTransfer']
          : ['GetVariables', 'Reset', 'DataTransfer'];
      for (const action of csmsCalls) {
        await (csms as unknown as { call: (a: string, p: JsonObject) => Promise<unknown> }).call(
          action,
          exampleRequest(version, action),
        );
      }

      const tracker = new PairingTracker();
      const results = wire.map((w, seq) =>
        analyzeFrame({ text: w.text, sender: w.sender, version, conn: 'c', seq, mono: seq, tracker }),
      );
      expect(wire).toHaveLength(2 * (stationCalls.length + csmsCalls.length));
      expect(results.flatMap((r) => r.findings)).toEqual([]);
      expect(results.filter((r) => r.msg?.type === 3 && r.pair !== undefined)).toHaveLength(
        stationCalls.length + csmsCalls.length,
      );
      expect(tracker.pending()).toEqual([]);
    });
  }
});

import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import type { RPCClient } from 'ocpp-rpc';
import { describe, expect, it } from 'vitest';
import { exampleRequest, exampleResponse } from '../../../shared/ocpp/examples';
import type { JsonObject } from '../../../shared/ocpp/json';
import { SUBPROTOCOL_OF } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { Harness, rpcClient } from './engine-harness';
import { strictModeValidators, transactionEvent } from '../../support/ocpp-rpc-strict';
import { cleanupsAfterEach } from '../../support/cleanups';

const VERSIONS: OcppVersion[] = ['1.6', '2.0.1', '2.1'];

const CSMS_CALLS: Record<OcppVersion, string[]> = {
  '1.6': [
    'RemoteStartTransaction',
    'RemoteStopTransaction',
    'GetConfiguration',
    'ChangeConfiguration',
    'TriggerMessage',
    'Reset',
  ],
  '2.0.1': [
    'RequestStartTransaction',
    'RequestStopTransaction',
    'GetVariables',
    'SetVariables',
    'TriggerMessage',
    'Reset',
  ],
  '2.1': [
    'RequestStartTransaction',
    'RequestStopTransaction',
    'GetVariables',
    'SetVariables',
    'TriggerMessage',
    'Reset',
  ],
};

type Caller = (action: string, payload: JsonObject) => Promise<JsonObject>;

/** The station side of a session: boot, heartbeat, status, authorize and a whole transaction. */
async function stationSession(v: OcppVersion, call: Caller): Promise<string[]> {
  const done: string[] = [];
  const step = async (action: string, payload: JsonObject): Promise<JsonObject> => {
    const r = await call(action, payload);
    done.push(action);
    return r;
  };
  await step('BootNotification', exampleRequest(v, 'BootNotification'));
  await step('Heartbeat', {});
  await step('StatusNotification', exampleRequest(v, 'StatusNotification'));
  await step('Authorize', exampleRequest(v, 'Authorize'));
  if (v === '1.6') {
    const start = await step('StartTransaction', exampleRequest(v, 'StartTransaction'));
    const transactionId = start['transactionId'] as number;
    expect(typeof transactionId).toBe('number');
    await step('MeterValues', { ...exampleRequest(v, 'MeterValues'), transactionId });
    await step('StopTransaction', { ...exampleRequest(v, 'StopTransaction'), transactionId });
  } else {
    const tx = { transactionId: 'TX-interop-1' };
    await step('TransactionEvent', transactionEvent(v, 'Started', 'Authorized', 0, tx));
    await step('TransactionEvent', transactionEvent(v, 'Updated', 'MeterValuePeriodic', 1, tx));
    await step(
      'TransactionEvent',
      transactionEvent(v, 'Ended', 'StopAuthorized', 2, { ...tx, stoppedReason: 'Local' }),
    );
  }
  return done;
}

const cleanups = cleanupsAfterEach();

describe.each(VERSIONS)('interop with ocpp-rpc (strict mode), OCPP %s', (v) => {
  it('its charger boots, runs a transaction and answers CSMS calls on our endpoint, with no strict failure', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen();
    const client = rpcClient({
      endpoint: url + 'ocpp',
      identity: `RPC-${v}`,
      protocols: [SUBPROTOCOL_OF[v]],
      strictMode: true,
      strictModeValidators,
      reconnect: false,
    });
    const failures: unknown[] = [];
    client.on('strictValidationFailure', (e: unknown) => failures.push(e));
    client.on('badMessage', (e: unknown) => failures.push(e));
    const handled: string[] = [];
    client.handle(async ({ method = '' }: { method?: string }) => {
      handled.push(method);
      return exampleResponse(v, method);
    });
    cleanups.push(() => client.close({ force: true }));
    await client.connect();

    const done = await stationSession(
      v,
      (action, payload) => client.call(action, payload) as Promise<JsonObject>,
    );
    expect(done).toContain('Authorize');

    const conn = h.endpoint.connections()[0]!;
    expect(conn.version).toBe(v);
    expect(conn.identity).toBe(`RPC-${v}`);
    for (const action of CSMS_CALLS[v]) {
      const outcome = await conn.sendCall(action, exampleRequest(v, action), 5);
      expect(outcome.timedOut).toBe(false);
      expect(outcome.response?.msg?.type).toBe(3);
      expect(outcome.response?.findings).toEqual([]);
    }
    expect(handled).toEqual(CSMS_CALLS[v]);
    expect(failures).toEqual([]);
    expect(h.findingCodes(conn.id)).toEqual([]);
    const opened = h.of('opened', conn.id)[0]!;
    expect(opened.handshake.chosenProtocol).toBe(SUBPROTOCOL_OF[v]);
    expect(opened.handshake.response?.startLine).toBe('HTTP/1.1 101 Switching Protocols');
  });

  it('our station boots, runs a transaction and answers every CSMS call of its RPCServer, with no strict failure', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const server = new RPCServer({ protocols: [SUBPROTOCOL_OF[v]], strictMode: true, strictModeValidators });
    const failures: unknown[] = [];
    const csmsResults: { action: string; result: unknown }[] = [];
    let serverCalls: Promise<void> | undefined;
    server.on('client', (client: RPCClient) => {
      client.on('strictValidationFailure', (e: unknown) => failures.push(e));
      client.on('badMessage', (e: unknown) => failures.push(e));
      let nextTx = 100;
      client.handle(async ({ method = '' }: { method?: string }) => {
        const r = exampleResponse(v, method);
        if (v === '1.6' && method === 'StartTransaction') r['transactionId'] = nextTx++;
        if (method === 'StopTransaction' || method === 'TransactionEvent') {
          // The transaction is over: now the CSMS drives the station.
          serverCalls ??= (async () => {
            for (const action of CSMS_CALLS[v])
              csmsResults.push({ action, result: await client.call(action, exampleRequest(v, action)) });
          })();
        }
        return r;
      });
    });
    const http = await server.listen(0, '127.0.0.1');
    cleanups.push(() => server.close({ force: true }));
    const port = (http.address() as AddressInfo).port;

    const conn = await h.station.connect({
      url: `ws://127.0.0.1:${port}/ocpp/ST-${v}`,
      protocols: [v],
      callTimeoutSec: 5,
    });
    expect(conn.state).toBe('open');
    const done = await stationSession(v, async (action, payload) => {
      const o = await conn.sendCall(action, payload);
      expect(o.response?.msg?.type, `${action} answered`).toBe(3);
      return JSON.parse(o.response!.text)[2] as JsonObject;
    });
    expect(done.length).toBeGreaterThanOrEqual(7);
    await serverCalls;
    expect(csmsResults.map((r) => r.action)).toEqual(CSMS_CALLS[v]);
    expect(failures).toEqual([]);
    expect(h.findingCodes(conn.id)).toEqual([]);
    // Every CSMS call was answered by the auto-answer with a CALLRESULT.
    const answered = h.of('frame', conn.id).filter((e) => e.sender === 'station' && e.msg?.type === 3);
    expect(answered.map((e) => e.msg?.action)).toEqual(CSMS_CALLS[v]);
  });
});

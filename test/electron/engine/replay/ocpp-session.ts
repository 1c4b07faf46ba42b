import { RPCClient, RPCServer } from 'ocpp-rpc';
import type { AddressInfo } from 'node:net';
import type { AutoAnswerPolicy } from '../../../../shared/api';
import { AutoAnswerBook } from '../../../../electron/engine/station/auto-answer';
import { ConnectionHub } from '../../../../electron/engine/connections/connection-hub';
import { DEFAULT_ENDPOINT_SETTINGS, Endpoint } from '../../../../electron/engine/endpoint/endpoint';
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import { Recorder } from '../../../../electron/engine/capture/recorder';
import { nextCharger } from '../../../../electron/engine/replay/engine-links';

/** Fixed CSMS answers, so a recording and a live ocpp-rpc CSMS can agree (except the transactionId it assigns). */
export const ANSWERS: Record<string, Record<string, unknown>> = {
  BootNotification: { status: 'Accepted', currentTime: '2025-01-01T00:00:00Z', interval: 300 },
  Heartbeat: { currentTime: '2025-01-01T00:00:00Z' },
  Authorize: { idTagInfo: { status: 'Accepted' } },
  StartTransaction: { transactionId: 7, idTagInfo: { status: 'Accepted' } },
  MeterValues: {},
  StopTransaction: { idTagInfo: { status: 'Accepted' } },
};

export const endpointSettings = (port = 0) => ({
  ...DEFAULT_ENDPOINT_SETTINGS,
  host: '127.0.0.1',
  port,
  protocols: ['1.6' as const],
  pingIntervalSec: 0,
  callTimeoutSec: 10,
});

// ocpp-rpc's typings want every option and async handlers; these keep the tests readable.
type Handler = (o: { params: Record<string, unknown> }) => unknown;
function handle(client: RPCClient, action: string, fn: Handler): void {
  client.handle(action, (async (o: { params: Record<string, unknown> }) => fn(o)) as never);
}
function client(options: Record<string, unknown>): RPCClient {
  return new RPCClient(options as never);
}

/** The charger's side of the session, against whatever CSMS is at url. */
export async function runCharger(
  url: string,
  beforeBoot?: Promise<unknown>,
): Promise<{ transactionId: number }> {
  const charger = client({
    endpoint: url,
    identity: 'CP-R',
    protocols: ['ocpp1.6'],
    strictMode: true,
    reconnect: false,
  });
  let availability!: () => void;
  const changed = new Promise<void>((r) => (availability = r));
  handle(charger, 'ChangeAvailability', () => {
    setImmediate(availability);
    return { status: 'Accepted' };
  });
  await charger.connect();
  await beforeBoot;
  const now = new Date().toISOString();
  await charger.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'R1' });
  await changed;
  await charger.call('Heartbeat', {});
  await charger.call('Authorize', { idTag: 'TAG1' });
  const st = (await charger.call('StartTransaction', {
    connectorId: 1,
    idTag: 'TAG1',
    meterStart: 0,
    timestamp: now,
  })) as {
    transactionId: number;
  };
  await charger.call('MeterValues', {
    connectorId: 1,
    transactionId: st.transactionId,
    meterValue: [{ timestamp: now, sampledValue: [{ value: '10' }] }],
  });
  await charger.call('StopTransaction', { transactionId: st.transactionId, meterStop: 100, timestamp: now });
  await charger.close({ code: 1000 });
  return st;
}

/**
 * Records a session between our endpoint and an ocpp-rpc charger into `folder` (the caller's, which it removes);
 * returns the capture file.
 */
export async function recordSession(folder: string): Promise<string> {
  const stream = new EventStream();
  const book = new AutoAnswerBook();
  const policies: AutoAnswerPolicy[] = Object.entries(ANSWERS).map(([action, p]) => ({
    version: '1.6',
    action,
    mode: 'payload',
    payload: JSON.stringify(p),
  }));
  book.setPolicies(policies);
  const hub = new ConnectionHub(stream, book);
  const endpoint = new Endpoint(hub);
  const status = await endpoint.start(endpointSettings());
  const recorder = new Recorder(stream, { folder, tool: 'test' });
  recorder.start();
  const connected = nextCharger(stream, hub);
  const done = runCharger(`ws://127.0.0.1:${status.port}/ocpp`);
  const conn = await connected;
  // The CSMS sends one CALL of its own once the charger has booted.
  await new Promise<void>((resolve) => {
    const off = stream.subscribe((e) => {
      if (
        e.kind === 'frame' &&
        e.conn === conn.id &&
        e.sender === 'csms' &&
        e.msg?.action === 'BootNotification'
      ) {
        off();
        setImmediate(
          () =>
            void conn
              .sendCall('ChangeAvailability', { connectorId: 0, type: 'Operative' })
              .then(() => resolve()),
        );
      }
    });
  });
  await done;
  const file = recorder.stop().file!;
  await endpoint.stop();
  return file;
}

/** A fresh ocpp-rpc CSMS with the same answers, except the transactionId it assigns and any overrides. */
export async function ocppRpcCsms(overrides: Record<string, Record<string, unknown>> = {}): Promise<{
  url: string;
  close: () => Promise<void>;
  stopTransactionIds: number[];
}> {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  const stopTransactionIds: number[] = [];
  server.on('client', (peer: RPCClient) => {
    const answer = (action: string) => ({ ...ANSWERS[action], ...overrides[action] });
    handle(peer, 'BootNotification', () => {
      setTimeout(
        () => void peer.call('ChangeAvailability', { connectorId: 0, type: 'Operative' }).catch(() => {}),
        10,
      );
      return answer('BootNotification');
    });
    for (const action of ['Heartbeat', 'Authorize', 'MeterValues'])
      handle(peer, action, () => answer(action));
    handle(peer, 'StartTransaction', () => ({ ...answer('StartTransaction'), transactionId: 1001 }));
    handle(peer, 'StopTransaction', ({ params }) => {
      stopTransactionIds.push(params.transactionId as number);
      return params.transactionId === 1001 ? answer('StopTransaction') : { idTagInfo: { status: 'Invalid' } };
    });
  });
  const http = await server.listen(0, '127.0.0.1');
  const port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/ocpp/CP-R`,
    close: () => server.close({ force: true }),
    stopTransactionIds,
  };
}

import { afterEach, describe, expect, it } from 'vitest';
import type { FrameEvent } from '../../../shared/capture/events';
import { Harness, rpcClient } from './engine-harness';
import { strictModeValidators } from '../../support/ocpp-rpc-strict';

let cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

describe('behaviour rules on live connections (loopback, ocpp-rpc station in strict mode)', () => {
  it('a second StopTransaction for the same transaction gets a behaviour finding linked to the first', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen();
    const client = rpcClient({
      endpoint: url + 'ocpp',
      identity: 'TWICE',
      protocols: ['ocpp1.6'],
      strictMode: true,
      strictModeValidators,
    });
    cleanups.push(() => client.close({ force: true }));
    await client.connect();
    await client.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    const start = (await client.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TAG',
      meterStart: 100,
      timestamp: new Date().toISOString(),
    })) as { transactionId: number };
    const stop = { transactionId: start.transactionId, meterStop: 200, timestamp: new Date().toISOString() };
    await client.call('StopTransaction', stop);
    await client.call('StopTransaction', stop);

    const stops = h
      .of('frame')
      .filter((e): e is FrameEvent => e.sender === 'station' && e.msg?.action === 'StopTransaction');
    expect(stops).toHaveLength(2);
    expect(stops[0]!.findings).toEqual([]);
    expect(stops[1]!.findings).toEqual([
      expect.objectContaining({
        code: 'transaction-stopped-twice',
        severity: 'error',
        related: [stops[0]!.seq],
        spec: 'OCPP 1.6 4.10',
      }),
    ]);
    // Nothing else on the connection was judged wrong.
    expect(h.findingCodes()).toEqual(['transaction-stopped-twice']);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultStationSettings } from '../../../../shared/api-defaults';
import { ScopeEngine } from '../../../../electron/engine/scope-engine';
import { Wake } from '../../../support/wake';
import { cleanupsAfterEach } from '../../../support/cleanups';
import { testTempDir } from '../../../support/temp-dirs';

const cleanups = cleanupsAfterEach();

describe('simulator controls through the engine facade (the station card and the fleet dialog)', () => {
  it('a station connected with the default settings behaves; the card buttons drive a whole session', async () => {
    const engine = new ScopeEngine({ dataDir: testTempDir('sim-controls') });
    cleanups.push(() => engine.close());
    const wake = new Wake();
    engine.stream.subscribe(() => wake.notify());
    const status = await engine.startEndpoint({
      ...(await engine.getSettings()).endpoint,
      host: '127.0.0.1',
      port: 0,
    });
    const { connectionId } = await engine.connectStation({
      ...defaultStationSettings(),
      url: `ws://127.0.0.1:${status.port}/ocpp/CARD-1`,
      protocols: ['2.0.1'],
    });
    const view = await wake.until('the boot accepted', async () => {
      const [v] = await engine.listSimulators();
      return v?.boot === 'accepted' ? v : undefined;
    });
    expect(view).toMatchObject({ connectionId, identity: 'CARD-1', version: '2.0.1', online: true });
    expect(view.connectors.map((c) => c.status)).toEqual(['Available', 'Available']);

    await engine.simulatorAction(connectionId, { kind: 'plug', connector: 1 });
    await engine.simulatorAction(connectionId, { kind: 'card', connector: 1, idTag: 'CARD-TAG' });
    let v = await wake.until('authorized and charging', async () => {
      const [x] = await engine.listSimulators();
      return x?.connectors[0]?.transaction?.idTag === 'CARD-TAG' && x.connectors[0].powerW > 0
        ? x
        : undefined;
    });
    expect(v.connectors[0]).toMatchObject({ status: 'Occupied', plugged: true });
    const txId = v.connectors[0]!.transaction!.id;
    expect(txId).toBeDefined();
    v = await engine.simulatorAction(connectionId, { kind: 'stop', connector: 1 });
    expect(v.connectors[0]!.transaction).toBeUndefined();
    v = await engine.simulatorAction(connectionId, { kind: 'unplug', connector: 1 });
    expect(v.connectors[0]!.status).toBe('Available');
    v = await engine.simulatorAction(connectionId, { kind: 'fault', connector: 2 });
    expect(v.connectors[1]!.status).toBe('Faulted');
    v = await engine.simulatorAction(connectionId, { kind: 'clearFault', connector: 2 });
    expect(v.connectors[1]!.status).toBe('Available');
    // The endpoint (the CSMS side) saw the whole session as TransactionEvents of one transaction.
    const types = await wake.until('the Ended event on the endpoint', async () => {
      const events = (
        await engine.queryEvents('live', { action: 'TransactionEvent', messageType: 2 }, 0, 100)
      ).events;
      const list = events.map((e) =>
        e.kind === 'frame'
          ? (JSON.parse(e.text) as [number, string, string, { eventType: string }])[3].eventType
          : '',
      );
      return list.includes('Ended') ? list : undefined;
    });
    expect(new Set(types)).toEqual(new Set(['Started', 'Updated', 'Ended']));
    v = await engine.simulatorAction(connectionId, { kind: 'offline' });
    expect(v.offlineOnPurpose).toBe(true);
    await engine.simulatorAction(connectionId, { kind: 'online' });
    await wake.until('back online', async () => (await engine.listSimulators())[0]?.online === true);
    await expect(engine.simulatorAction('c-none', { kind: 'reboot' })).rejects.toThrow(
      /not a simulated station/,
    );
  });

  it('a fleet from the dialog: numbered identities, counted as it boots, stopped on demand', async () => {
    const engine = new ScopeEngine({ dataDir: testTempDir('sim-fleet') });
    cleanups.push(() => engine.close());
    const wake = new Wake();
    engine.stream.subscribe(() => wake.notify());
    const status = await engine.startEndpoint({
      ...(await engine.getSettings()).endpoint,
      host: '127.0.0.1',
      port: 0,
    });
    await engine.startFleet({
      url: `ws://127.0.0.1:${status.port}/ocpp`,
      prefix: 'F',
      count: 5,
      protocol: '1.6',
      connectors: 1,
      autoTransactions: false,
    });
    const f = await wake.until('five booted', async () => {
      const s = await engine.getFleet();
      return s.booted === 5 ? s : undefined;
    });
    expect(f).toMatchObject({ running: true, count: 5, open: 5 });
    // The fleet's stations are summed up, not listed one by one.
    expect(await engine.listSimulators()).toEqual([]);
    const identities = (await engine.listConnections())
      .filter((c) => c.role === 'endpoint')
      .map((c) => c.identity);
    expect(identities.sort()).toEqual(['F-1', 'F-2', 'F-3', 'F-4', 'F-5']);
    expect(await engine.stopFleet()).toMatchObject({ running: false });
  });
});

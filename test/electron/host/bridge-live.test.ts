import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { EngineNotice, ReplayStatus, ScopeApi } from '../../../shared/api';
import { defaultEndpointSettings } from '../../../shared/api-defaults';
import type { FrameEvent, ScopeEvent } from '../../../shared/capture/events';
import { ScopeEngine } from '../../../electron/engine/scope-engine';
import type { ServeHandle } from '../../../electron/host/serve';
import { startServe } from '../../../electron/host/serve';
import type { BridgeClient, SocketFactory } from '../../../renderer/src/api/bridge-client';
import { createBridgeClient } from '../../../renderer/src/api/bridge-client';
import { Wake } from '../../support/wake';
import { suiteTempDir } from '../../support/temp-dirs';

/**
 * The whole contract against a real engine on loopback, through the serve host and the real bridge client: the
 * endpoint, a station connecting to it, frames both ways, a held call answered by hand, recording, a capture of the
 * session opened and replayed against the endpoint, and the notices that tell the UI about all of it.
 */

const wsFactory: SocketFactory = (url) => new WebSocket(url) as unknown as ReturnType<SocketFactory>;

/** Every bridge notice batch re-checks the conditions the test waits on (no polling timer). */
const wake = new Wake();

describe('the contract over the bridge, against a live engine', () => {
  let engine: ScopeEngine;
  let handle: ServeHandle;
  let api: BridgeClient;
  const notices: EngineNotice[] = [];
  const events = (): ScopeEvent[] => notices.flatMap((n) => (n.type === 'events' ? n.events : []));
  const frames = (conn: string): FrameEvent[] =>
    events().filter((e): e is FrameEvent => e.kind === 'frame' && e.conn === conn);

  const dir = suiteTempDir('bridge-live');
  beforeAll(async () => {
    engine = new ScopeEngine({ dataDir: dir });
    handle = await startServe({ engine, rendererRoot: join(dir, 'no-renderer') });
    api = createBridgeClient(handle.bridgeUrl, wsFactory);
    api.subscribe((batch) => {
      notices.push(...batch);
      wake.notify();
    });
  });
  afterAll(async () => {
    api.close();
    await handle.close();
    await engine.close();
  });

  it('runs a session end to end: endpoint, station, frames, held call, recording, replay', async () => {
    const scope: ScopeApi = api;
    const status = await scope.startEndpoint({ ...defaultEndpointSettings(), host: '127.0.0.1', port: 0 });
    expect(status).toMatchObject({ running: true, host: '127.0.0.1' });
    const port = status.port!;
    expect((await scope.getEndpointStatus()).running).toBe(true);
    await wake.until('the endpoint notice', () =>
      notices.find((n) => n.type === 'endpoint' && n.status.running),
    );

    const recording = await scope.setRecording(true);
    expect(recording.on).toBe(true);

    const { connectionId } = await scope.connectStation({
      url: `ws://127.0.0.1:${port}/ocpp/CP-42`,
      protocols: ['2.0.1'],
    });
    const connections = await scope.listConnections();
    expect(connections).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: connectionId,
          role: 'station',
          identity: 'CP-42',
          version: '2.0.1',
          state: 'open',
        }),
        expect.objectContaining({ role: 'endpoint', identity: 'CP-42', version: '2.0.1' }),
      ]),
    );
    const endpointConn = connections.find((c) => c.role === 'endpoint')!.id;

    // A valid CALL from the station is auto-answered by the endpoint, paired, with an RTT.
    const boot = await scope.send(
      connectionId,
      '[2,"boot-1","BootNotification",{"chargingStation":{"model":"M","vendorName":"V"},"reason":"PowerUp"}]',
    );
    expect(boot).toMatchObject({ messageId: 'boot-1', findings: [] });
    const answer = await wake.until('the BootNotification answer', () =>
      frames(connectionId).find((f) => f.sender === 'csms' && f.msg?.id === 'boot-1'),
    );
    expect(answer.msg).toMatchObject({ type: 3, action: 'BootNotification' });
    expect(answer.pair?.rttMs).toBeGreaterThanOrEqual(0);

    // An invalid frame is sent anyway, with findings.
    const bad = await scope.send(connectionId, '[2,"hb-bad","Heartbeat",{"unexpected":1}]');
    expect(bad.findings.length).toBeGreaterThan(0);

    // Hold the endpoint's Heartbeat answers, answer one by hand.
    await scope.setAutoAnswer([{ version: '2.0.1', action: 'Heartbeat', mode: 'hold' }]);
    await scope.send(connectionId, '[2,"hb-1","Heartbeat",{}]');
    const held = await wake.until('the held call', async () =>
      (await scope.listHeld()).find((h) => h.messageId === 'hb-1'),
    );
    expect(held).toMatchObject({ connectionId: endpointConn, action: 'Heartbeat', version: '2.0.1' });
    await wake.until('the held notice', () =>
      notices.find((n) => n.type === 'held' && n.held.some((h) => h.messageId === 'hb-1')),
    );
    const manual = await scope.answerHeld(
      endpointConn,
      'hb-1',
      '[3,"hb-1",{"currentTime":"2026-01-01T00:00:00Z"}]',
    );
    expect(manual.messageId).toBe('hb-1');
    await wake.until('the manual answer at the station', () =>
      frames(connectionId).find((f) => f.sender === 'csms' && f.msg?.id === 'hb-1'),
    );
    expect(await scope.listHeld()).toEqual([]);
    await scope.setAutoAnswer([]);

    // The live source finds the frames; a capture of it opens and replays against the endpoint.
    const live = await scope.queryEvents(
      'live',
      { connection: connectionId, action: 'BootNotification' },
      0,
      10,
    );
    expect(live.events.map((e) => (e.kind === 'frame' ? e.sender : e.kind))).toEqual(['station', 'csms']);
    const stopped = await scope.setRecording(false);
    expect(stopped.events).toBeGreaterThan(0);

    const exported = await scope.exportSource('live', 'capture', true);
    const source = await scope.openContent(exported.name, exported.data, 'utf8');
    const replay = await scope.startReplay({
      sourceId: source.id,
      side: 'station',
      target: `ws://127.0.0.1:${port}/ocpp/CP-42`,
      speed: 0,
      shiftTimestamps: false,
      connection: connectionId,
    });
    expect(['running', 'done']).toContain(replay.state);
    const done = await wake.until<ReplayStatus>(
      'the replay to finish',
      async () => {
        const s = await scope.getReplay();
        return s.state === 'done' || s.state === 'failed' ? s : undefined;
      },
      20_000,
    );
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('done');
    expect(done.report.find((r) => r.action === 'BootNotification')?.outcome).toBe('matched');
    await wake.until('a replay notice', () => notices.find((n) => n.type === 'replay'));

    await scope.disconnect(connectionId);
    await wake.until('the station to close', async () =>
      (await scope.listConnections()).find((c) => c.id === connectionId && c.state === 'closed'),
    );
    await expect(scope.send(connectionId, '[2,"x","Heartbeat",{}]')).rejects.toThrow(/Not sent/);
    expect((await scope.stopEndpoint()).running).toBe(false);
    expect(notices.some((n) => n.type === 'connections')).toBe(true);
  });

  it('explains a refused station connection in words', async () => {
    await expect(api.connectStation({ url: 'ws://127.0.0.1:1/CP1', protocols: ['1.6'] })).rejects.toThrow(
      /Nothing accepts connections on 127\.0\.0\.1:1/,
    );
  });
});

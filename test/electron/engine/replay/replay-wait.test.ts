import { describe, expect, it } from 'vitest';
import type { ReplayStatus } from '../../../../shared/api';
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import { cleanupsAfterEach } from '../../../support/cleanups';
import { CaptureSources } from '../../../../electron/engine/capture/capture-sources';
import { ReplayController } from '../../../../electron/engine/replay/replay-controller';
import { AutoAnswerBook } from '../../../../electron/engine/station/auto-answer';
import { ConnectionHub } from '../../../../electron/engine/connections/connection-hub';
import { Endpoint } from '../../../../electron/engine/endpoint/endpoint';
import { endpointSettings, recordSession, runCharger } from './ocpp-session';
import { testTempDir } from '../../../support/temp-dirs';

/** Statuses as the controller publishes them, and a promise for the first one in `state`. */
function statuses(): {
  onStatus: (s: ReplayStatus) => void;
  reach: (state: ReplayStatus['state']) => Promise<ReplayStatus>;
} {
  const seen: ReplayStatus[] = [];
  const waiters: { state: ReplayStatus['state']; resolve: (s: ReplayStatus) => void }[] = [];
  return {
    onStatus: (s) => {
      seen.push(s);
      for (const w of waiters.filter((x) => x.state === s.state)) w.resolve(s);
    },
    reach: (state) =>
      new Promise((resolve) => {
        const hit = seen.find((s) => s.state === state);
        if (hit) resolve(hit);
        else waiters.push({ state, resolve });
      }),
  };
}

const cleanups = cleanupsAfterEach();

async function setUp(running = true) {
  const file = await recordSession(testTempDir('replay-rec'));
  const stream = new EventStream();
  const hub = new ConnectionHub(stream, new AutoAnswerBook());
  hub.answers.setPolicies([{ version: '1.6', action: 'Heartbeat', mode: 'payload', payload: '{}' }]);
  const endpoint = new Endpoint(hub);
  const st = running ? await endpoint.start(endpointSettings()) : undefined;
  const sources = new CaptureSources(stream, { tool: 't' });
  cleanups.push(() => sources.closeAll());
  const info = await sources.openFile(file);
  const s = statuses();
  const controller = new ReplayController({
    stream,
    source: (id) => sources.get(id),
    hub,
    endpointUrls: () => (endpoint.status().running ? endpoint.status().urls : undefined),
    onStatus: s.onStatus,
    timeoutMs: 5000,
  });
  return { stream, hub, endpoint, port: st?.port, info, controller, ...s };
}

describe('CSMS-side replay that waits for a fresh charger (as replay --listen)', () => {
  it('says it is waiting, with the endpoint URLs and a deadline, then plays against the charger that connects', async () => {
    const { endpoint, port, info, controller, reach, hub } = await setUp();
    const first = await controller.start({
      sourceId: info.id,
      side: 'csms',
      target: '',
      waitForCharger: true,
      timeoutSec: 10,
      speed: 0,
      shiftTimestamps: true,
      label: 'session.ocppcap.jsonl',
    });
    expect(first.state).toBe('waiting');
    expect(first.waiting!.urls.length).toBeGreaterThan(0);
    expect(first.waiting!.until - first.waiting!.since).toBe(10_000);
    expect(first.label).toMatchObject({ kind: 'replay', capture: 'session.ocppcap.jsonl', side: 'csms' });
    // While waiting, the endpoint holds every CALL: the replay, not auto-answer, answers the fresh charger's boot.
    expect(hub.answers.listPolicies().every((p) => p.mode === 'hold')).toBe(true);
    const heldSeen: number[] = [];
    hub.on('held', (held: unknown[]) => heldSeen.push(held.length));
    const charger = runCharger(`ws://127.0.0.1:${port}/ocpp`);
    const { transactionId } = await charger;
    const done = await reach('done');
    expect(transactionId).toBe(7);
    expect(done.report.length).toBeGreaterThan(5);
    expect(done.report.every((i) => i.outcome === 'matched')).toBe(true);
    expect(done.label!.target).toContain('CP-R');
    expect(done.label!.finishedAt).toBeGreaterThanOrEqual(done.label!.startedAt);
    expect(done.label!.ignore).toContain('currentTime');
    expect(hub.answers.listPolicies()).toEqual([
      { version: '1.6', action: 'Heartbeat', mode: 'payload', payload: '{}' },
    ]);
    // No CALL the replay answered ever showed as held (a held call pops up in the UI's composer).
    expect(heldSeen.filter((n) => n > 0)).toEqual([]);
    // The report stays after the run, for a UI that comes back to it.
    expect(controller.get()).toMatchObject({ state: 'done', label: { capture: 'session.ocppcap.jsonl' } });
    await endpoint.stop();
  });

  it('gives up at the timeout with a sentence to act on, and restores the answer policies', async () => {
    const { endpoint, info, controller, reach, hub } = await setUp();
    await controller.start({
      sourceId: info.id,
      side: 'csms',
      target: '',
      waitForCharger: true,
      timeoutSec: 0.2,
      speed: 0,
      shiftTimestamps: true,
    });
    const failed = await reach('failed');
    expect(failed.error).toMatch(/No charger connected within 0\.2 s/);
    expect(hub.answers.listPolicies()).toHaveLength(1);
    await endpoint.stop();
  });

  it('can be stopped while waiting, and refuses to wait without a running endpoint', async () => {
    const { endpoint, info, controller, reach } = await setUp();
    const settings = {
      sourceId: info.id,
      side: 'csms' as const,
      target: '',
      waitForCharger: true,
      speed: 0,
      shiftTimestamps: true,
    };
    await controller.start(settings);
    await reach('waiting');
    // A second start is refused and leaves the waiting replay as it is.
    expect(await controller.start(settings)).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/already running/),
    });
    expect(controller.get().state).toBe('waiting');
    await controller.stop();
    expect((await reach('failed')).error).toMatch(/Stopped while waiting/);
    await endpoint.stop();
    const again = await controller.start(settings);
    expect(again).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/Start the endpoint first/),
    });
  });

  it('refuses ignore rules that do not parse', async () => {
    const { endpoint, info, controller } = await setUp();
    const r = await controller.start({
      sourceId: info.id,
      side: 'csms',
      target: '',
      waitForCharger: true,
      speed: 0,
      shiftTimestamps: true,
      ignore: ['/bad~x'],
    });
    expect(r).toMatchObject({ state: 'failed', error: expect.stringContaining('Ignore rules') });
    await endpoint.stop();
  });
});

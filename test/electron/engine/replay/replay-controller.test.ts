import { describe, expect, it } from 'vitest';
import type { ReplayStatus } from '../../../../shared/api';
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import { cleanupsAfterEach } from '../../../support/cleanups';
import { CaptureSources } from '../../../../electron/engine/capture/capture-sources';
import { ReplayController } from '../../../../electron/engine/replay/replay-controller';
import { AutoAnswerBook } from '../../../../electron/engine/station/auto-answer';
import { ConnectionHub } from '../../../../electron/engine/connections/connection-hub';
import { Endpoint } from '../../../../electron/engine/endpoint/endpoint';
import { nextCharger } from '../../../../electron/engine/replay/engine-links';
import { endpointSettings, ocppRpcCsms, recordSession, runCharger } from './ocpp-session';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { testTempDir } from '../../../support/temp-dirs';

/** Resolves with the first final status (done or failed) that onStatus reports. */
function finalStatus(): {
  onStatus: (s: ReplayStatus) => void;
  statuses: ReplayStatus[];
  final: Promise<ReplayStatus>;
} {
  const statuses: ReplayStatus[] = [];
  let resolve!: (s: ReplayStatus) => void;
  const final = new Promise<ReplayStatus>((r) => (resolve = r));
  return {
    statuses,
    final,
    onStatus: (s) => {
      statuses.push(s);
      if (s.state === 'done' || s.state === 'failed') resolve(s);
    },
  };
}

/** Resolves with the replay's summary note, which the controller emits after the link has closed. */
function replayNote(stream: EventStream): Promise<ScopeEvent> {
  return new Promise((resolve) => {
    const off = stream.subscribe((e) => {
      if (e.kind === 'note' && e.source === 'replay') {
        off();
        resolve(e);
      }
    });
  });
}

describe('ReplayController (the facade part of EngineApi)', () => {
  const cleanups = cleanupsAfterEach();
  it('starts a station-side replay of an opened capture, reports progress and notes the result on the stream', async () => {
    const file = await recordSession(testTempDir('replay-rec'));
    const stream = new EventStream();
    const sources = new CaptureSources(stream, { tool: 't' });
    cleanups.push(() => sources.closeAll());
    const info = await sources.openFile(file);
    const csms = await ocppRpcCsms({ Authorize: { idTagInfo: { status: 'Expired' } } });
    const { statuses, final: finished, onStatus } = finalStatus();
    const noted = replayNote(stream);
    const controller = new ReplayController({
      stream,
      source: (id) => sources.get(id),
      onStatus,
      timeoutMs: 5000,
    });
    const first = await controller.start({
      sourceId: info.id,
      side: 'station',
      target: csms.url,
      speed: 0,
      shiftTimestamps: true,
    });
    expect(first.state).toBe('running');
    expect(first.total).toBe(7);
    const final = await finished;
    expect(final.state).toBe('done');
    expect(final.report.find((i) => i.action === 'Authorize')).toMatchObject({
      outcome: 'differed',
      diffs: [{ path: '/idTagInfo/status', recorded: 'Accepted', live: 'Expired' }],
    });
    // The live sources saw the replay's own connection, and the summary note.
    await noted;
    const notes = await sources.query('live', { text: 'Replay finished' }, 0, 10);
    expect(notes.total).toBe(1);
    expect(statuses.length).toBeGreaterThan(3);
    const frames = await sources.query('live', { action: 'StopTransaction', sender: 'station' }, 0, 10);
    expect(frames.total).toBe(1);
    await csms.close();
    const bad = await controller.start({
      sourceId: 'nope',
      side: 'station',
      target: csms.url,
      speed: 0,
      shiftTimestamps: false,
    });
    expect(bad).toMatchObject({ state: 'failed', error: expect.stringContaining('no open source') });
  });

  it('CSMS side on the engine endpoint: the replay, not the auto-answer policy, answers the charger (once)', async () => {
    const file = await recordSession(testTempDir('replay-rec'));
    const stream = new EventStream();
    const hub = new ConnectionHub(stream, new AutoAnswerBook());
    const endpoint = new Endpoint(hub);
    const st = await endpoint.start(endpointSettings());
    const sources = new CaptureSources(stream, { tool: 't' });
    cleanups.push(() => sources.closeAll());
    const info = await sources.openFile(file);
    const { final: finished, onStatus } = finalStatus();
    const noted = replayNote(stream);
    const controller = new ReplayController({
      stream,
      source: (id) => sources.get(id),
      hub,
      onStatus,
      timeoutMs: 5000,
    });
    let go!: () => void;
    const gate = new Promise<void>((r) => (go = r));
    const connected = nextCharger(stream, hub);
    const charger = runCharger(`ws://127.0.0.1:${st.port}/ocpp`, gate);
    const conn = await connected;
    const started = await controller.start({
      sourceId: info.id,
      side: 'csms',
      target: conn.id,
      speed: 0,
      shiftTimestamps: false,
    });
    expect(started.state).toBe('running');
    go();
    const { transactionId } = await charger;
    const final = await finished;
    await noted;
    expect(transactionId).toBe(7); // the recorded answer, not the auto-answer's own id
    expect(final.report.every((i) => i.outcome === 'matched')).toBe(true);
    const answers = await sources.query(
      'live',
      { connection: conn.id, sender: 'csms', messageType: 3 },
      0,
      100,
    );
    // Six CALLs from the charger, six answers: the endpoint's auto-answer stayed out of it.
    expect(answers.total).toBe(6);
    expect(answers.events.some((e) => e.kind === 'frame' && e.text.includes('"transactionId":7'))).toBe(true);
    expect(hub.answers.listPolicies()).toEqual([]); // restored after the replay
    await endpoint.stop();
  });
});

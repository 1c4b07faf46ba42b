import { beforeAll, describe, expect, it } from 'vitest';
import { CaptureFile, readAllEvents } from '../../../../electron/engine/capture/capture-file';
import { ConnectionHub } from '../../../../electron/engine/connections/connection-hub';
import { Endpoint } from '../../../../electron/engine/endpoint/endpoint';
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import { AutoAnswerBook } from '../../../../electron/engine/station/auto-answer';
import {
  connectionLink,
  fallbackFrom,
  holdEverythingBook,
  nextCharger,
  openStationLink,
} from '../../../../electron/engine/replay/engine-links';
import { buildPlan } from '../../../../electron/engine/replay/replay-plan';
import type { ReplayPlan } from '../../../../electron/engine/replay/replay-plan';
import { ReplayRun } from '../../../../electron/engine/replay/replay-engine';
import type { ScopeEvent } from '../../../../shared/capture/events';
import type { ReplayStatus } from '../../../../shared/api';
import { endpointSettings, ocppRpcCsms, recordSession, runCharger } from './ocpp-session';
import { Wake } from '../../../support/wake';
import { suiteTempDir } from '../../../support/temp-dirs';

let events: ScopeEvent[];
const recordings = suiteTempDir('replay-rec');

beforeAll(async () => {
  const file = await recordSession(recordings);
  const f = await CaptureFile.open(file);
  events = await readAllEvents(f);
  await f.close();
}, 30_000);

function plan(side: 'station' | 'csms'): ReplayPlan {
  const p = buildPlan(events, side);
  if ('error' in p) throw new Error(p.error);
  return p;
}

async function replayAgainstCsms(overrides: Record<string, Record<string, unknown>> = {}) {
  const csms = await ocppRpcCsms(overrides);
  const stream = new EventStream();
  const { link } = await openStationLink(stream, { url: csms.url, protocols: ['1.6'] });
  const p = plan('station');
  const run = new ReplayRun(p, link, { speed: 0, shiftTimestamps: true, timeoutMs: 5000, tailWaitMs: 2000 });
  const status = await run.start();
  await link.close();
  await csms.close();
  return { status, csms };
}

describe('replay against ocpp-rpc peers', () => {
  it('plans the recorded session: our CALLs with their answers, the peer CALLs with ours', () => {
    const p = plan('station');
    expect(p.identity).toBe('CP-R');
    expect(p.version).toBe('1.6');
    expect(p.outgoing.map((s) => s.action)).toEqual([
      'BootNotification',
      'Heartbeat',
      'Authorize',
      'StartTransaction',
      'MeterValues',
      'StopTransaction',
    ]);
    expect(p.incoming.map((s) => s.action)).toEqual(['ChangeAvailability']);
    expect(p.total).toBe(7);
  });

  it('station side against a fresh ocpp-rpc CSMS: everything matches, and the live transactionId is carried', async () => {
    const { status, csms } = await replayAgainstCsms();
    expect(status.error).toBeUndefined();
    expect(status.report.map((i) => `${i.action}:${i.outcome}`)).toEqual([
      'BootNotification:matched',
      'ChangeAvailability:matched',
      'Heartbeat:matched',
      'Authorize:matched',
      'StartTransaction:matched',
      'MeterValues:matched',
      'StopTransaction:matched',
    ]);
    expect(status.state).toBe('done');
    // Recorded transactionId 7, live 1001: the later frames used the live one.
    expect(csms.stopTransactionIds).toEqual([1001]);
  });

  it('names the field when the live CSMS answers differently', async () => {
    const { status } = await replayAgainstCsms({
      BootNotification: { interval: 60 },
      Authorize: { idTagInfo: { status: 'Blocked' } },
    });
    const boot = status.report.find((i) => i.action === 'BootNotification')!;
    expect(boot.outcome).toBe('differed');
    expect(boot.diffs).toEqual([{ path: '/interval', recorded: 300, live: 60 }]);
    const auth = status.report.find((i) => i.action === 'Authorize')!;
    expect(auth.diffs).toEqual([{ path: '/idTagInfo/status', recorded: 'Accepted', live: 'Blocked' }]);
    expect(status.report.find((i) => i.action === 'Heartbeat')!.outcome).toBe('matched');
  });

  it('CSMS side against a fresh ocpp-rpc charger: answers its CALLs with the recorded answers; all matched', async () => {
    const stream = new EventStream();
    const hub = new ConnectionHub(stream, holdEverythingBook());
    const endpoint = new Endpoint(hub);
    const st = await endpoint.start(endpointSettings());
    const connected = nextCharger(stream, hub);
    const charger = runCharger(`ws://127.0.0.1:${st.port}/ocpp`);
    const conn = await connected;
    const statuses: ReplayStatus[] = [];
    const run = new ReplayRun(plan('csms'), connectionLink(conn, stream, false), {
      speed: 0,
      shiftTimestamps: false,
      timeoutMs: 5000,
      fallbackAnswer: fallbackFrom(new AutoAnswerBook(), '1.6'),
      onStatus: (s) => statuses.push(s),
    });
    const status = await run.start();
    const { transactionId } = await charger;
    await endpoint.stop();
    expect(transactionId).toBe(7);
    expect(status.report.map((i) => `${i.action}:${i.outcome}`)).toEqual([
      'BootNotification:matched',
      'ChangeAvailability:matched',
      'Heartbeat:matched',
      'Authorize:matched',
      'StartTransaction:matched',
      'MeterValues:matched',
      'StopTransaction:matched',
    ]);
    expect(statuses.some((s) => s.state === 'running')).toBe(true);
  });

  it('pauses, steps one frame at a time and resumes', async () => {
    const csms = await ocppRpcCsms();
    const stream = new EventStream();
    const { link, connection } = await openStationLink(stream, { url: csms.url, protocols: ['1.6'] });
    const wake = new Wake();
    const sent: string[] = [];
    stream.subscribe((e) => {
      if (
        e.kind === 'frame' &&
        e.sender === 'station' &&
        e.msg?.type === 2 &&
        !e.msg.id.startsWith('marker-')
      )
        sent.push(e.msg.action!);
    });
    let reported = 0;
    const run = new ReplayRun(plan('station'), link, {
      speed: 0,
      shiftTimestamps: false,
      timeoutMs: 5000,
      tailWaitMs: 500,
      onStatus: (s) => {
        reported = s.report.length;
        wake.notify();
      },
    });
    // With speed 0 every path to a send is promise continuations; a round trip on the same socket resolves on a
    // later turn of the event loop, so whatever the run would send on its own has been sent once the answer is in.
    let markers = 0;
    const roundTrip = async (): Promise<void> => {
      const outcome = await connection.sendAndWait(`[2,"marker-${++markers}","Heartbeat",{}]`);
      expect(outcome.response?.msg?.type).toBe(3);
    };
    run.pause(); // paused before it starts: nothing goes out
    const runP = run.start();
    expect(run.status().state).toBe('paused');
    await roundTrip();
    expect(sent).toEqual([]);
    expect(run.status().state).toBe('paused');
    run.step();
    // The stepped CALL is answered and reported; the run is then back at the gate.
    await wake.until('the stepped BootNotification to be reported', () => reported >= 1);
    await roundTrip();
    expect(sent).toEqual(['BootNotification']);
    expect(run.status().state).toBe('paused');
    run.resume();
    const status = await runP;
    expect(sent).toHaveLength(6);
    expect(status.state).toBe('done');
    await link.close();
    await csms.close();
  });
});

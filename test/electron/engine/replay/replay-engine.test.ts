import { describe, expect, it } from 'vitest';
import type { FrameEvent, ScopeEvent } from '../../../../shared/capture/events';
import { buildPlan } from '../../../../electron/engine/replay/replay-plan';
import type { ReplayPlan } from '../../../../electron/engine/replay/replay-plan';
import type { ReplayLink } from '../../../../electron/engine/replay/replay-link';
import { ReplayRun } from '../../../../electron/engine/replay/replay-engine';
import { formatReport } from '../../../../shared/capture/replay-report';

const T0 = Date.parse('2020-06-01T12:00:00.000Z');
let seq = 0;
function f(sender: 'station' | 'csms', text: string, dt: number): FrameEvent {
  const v = JSON.parse(text) as [number, string, string?];
  return {
    kind: 'frame',
    seq: seq++,
    t: T0 + dt,
    mono: dt,
    conn: 'c1',
    sender,
    text,
    msg: { type: v[0] as 2, id: v[1], ...(v[0] === 2 ? { action: v[2] } : {}) },
    findings: [],
  };
}

const recorded: ScopeEvent[] = [
  f(
    'station',
    '[2,"a","StartTransaction",{"connectorId":1,"idTag":"T","meterStart":0,"timestamp":"2020-06-01T12:00:00.000Z"}]',
    0,
  ),
  f('csms', '[3,"a",{"transactionId":5,"idTagInfo":{"status":"Accepted"}}]', 10),
  f('csms', '[2,"r1","TriggerMessage",{"requestedMessage":"Heartbeat"}]', 20),
  f('station', '[3,"r1",{"status":"Accepted"}]', 25),
  f(
    'station',
    '[2,"b","StopTransaction",{"transactionId":5,"meterStop":10,"timestamp":"2020-06-01T12:00:00.500Z"}]',
    500,
  ),
  f('csms', '[3,"b",{}]', 510),
  f('csms', '[2,"r2","Reset",{"type":"Soft"}]', 600),
];

/** A scripted CSMS: answers our CALLs, sends its own CALLs when told, records everything. */
function fakeCsms(script: (text: string, link: { push: (t: string) => void }) => void): {
  link: ReplayLink;
  sent: string[];
  times: number[];
} {
  const listeners = new Set<(t: string) => void>();
  const sent: string[] = [];
  const times: number[] = [];
  const push = (t: string): void => void setImmediate(() => listeners.forEach((l) => l(t)));
  return {
    sent,
    times,
    link: {
      version: '1.6',
      open: true,
      send: (text) => {
        sent.push(text);
        times.push(Date.now());
        script(text, { push });
      },
      onMessage: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      onClose: () => () => {},
      close: async () => {},
    },
  };
}

function plan(): ReplayPlan {
  const p = buildPlan(recorded, 'station');
  if ('error' in p) throw new Error(p.error);
  return p;
}

describe('ReplayRun', () => {
  it('sends fresh ids, moves every timestamp to the send time of its frame, carries the live transactionId, keeps scaled timing', async () => {
    let triggered = false;
    const csms = fakeCsms((text, { push }) => {
      const v = JSON.parse(text) as [number, string, string, Record<string, unknown>];
      if (v[0] !== 2) return;
      if (v[2] === 'StartTransaction') {
        push(JSON.stringify([3, v[1], { transactionId: 77, idTagInfo: { status: 'Accepted' } }]));
        if (!triggered) {
          triggered = true;
          push('[2,"live-1","TriggerMessage",{"requestedMessage":"Heartbeat"}]');
        }
      } else push(JSON.stringify([3, v[1], {}]));
    });
    const run = new ReplayRun(plan(), csms.link, {
      speed: 5,
      shiftTimestamps: true,
      timeoutMs: 2000,
      tailWaitMs: 100,
      fallbackAnswer: (id) => `[3,"${id}",{"fallback":true}]`,
    });
    const started = Date.now();
    const status = await run.start();
    const [start, answer, stop] = csms.sent.map((t) => JSON.parse(t) as unknown[]);
    expect(start![1]).not.toBe('a');
    expect(String(start![1])).toHaveLength(36);
    // Each frame's times move to when that frame is sent (the recorded timestamp was the frame's own time), not by
    // one offset fixed at the replay's start: the stop's timestamp is its send time, not start + 500 ms recorded.
    const ts = Date.parse((start![3] as { timestamp: string }).timestamp);
    expect(ts).toBeGreaterThanOrEqual(started);
    expect(ts).toBeLessThanOrEqual(csms.times[0]!);
    expect(answer).toEqual([3, 'live-1', { status: 'Accepted' }]);
    expect((stop![3] as { transactionId: number }).transactionId).toBe(77);
    const stopTs = Date.parse((stop![3] as { timestamp: string }).timestamp);
    expect(stopTs).toBeGreaterThanOrEqual(csms.times[0]!);
    expect(stopTs).toBeLessThanOrEqual(csms.times[2]!);
    // 500 ms recorded between the two CALLs, at speed 5: about 100 ms.
    const gap = csms.times[2]! - csms.times[0]!;
    expect(gap).toBeGreaterThanOrEqual(80);
    expect(gap).toBeLessThan(1000);
    expect(status.report.map((i) => `${i.action}:${i.outcome}`)).toEqual([
      'StartTransaction:matched',
      'TriggerMessage:matched',
      'StopTransaction:matched',
      'Reset:missing',
    ]);
    expect(formatReport(status).pop()).toBe('3 matched, 0 differed, 1 missing, 0 unexpected, 0 timed out');
  });

  it('reports a CALL the recording does not have as unexpected and answers it by the fallback; a silent peer times out', async () => {
    const csms = fakeCsms((text, { push }) => {
      const v = JSON.parse(text) as [number, string, string];
      if (v[0] === 2 && v[2] === 'StartTransaction') push('[2,"x1","GetDiagnostics",{"location":"ftp://x"}]');
    });
    const run = new ReplayRun(plan(), csms.link, {
      speed: 0,
      shiftTimestamps: false,
      timeoutMs: 150,
      tailWaitMs: 50,
      fallbackAnswer: (id) => `[3,"${id}",{"fallback":true}]`,
    });
    const status = await run.start();
    expect(csms.sent).toContain('[3,"x1",{"fallback":true}]');
    const outcomes = status.report.map((i) => `${i.action}:${i.outcome}`);
    expect(outcomes).toContain('GetDiagnostics:unexpected');
    expect(outcomes).toContain('StartTransaction:timed-out');
    expect(outcomes).toContain('TriggerMessage:missing');
  });

  it('accounts for every recorded exchange when stopped early', async () => {
    // Never answers; tells us when the run's first CALL went out, so we stop it while it waits for the answer.
    let firstSent!: () => void;
    const waiting = new Promise<void>((r) => (firstSent = r));
    const csms = fakeCsms(() => firstSent());
    const run = new ReplayRun(plan(), csms.link, { speed: 0, shiftTimestamps: false, timeoutMs: 5000 });
    const done = run.start();
    await waiting;
    run.stop();
    const status = await done;
    expect(status.state).toBe('done');
    expect(csms.sent.map((t) => JSON.parse(t)[2])).toEqual(['StartTransaction']);
    expect(status.report.map((i) => `${i.action}:${i.outcome}`)).toEqual([
      'StartTransaction:missing',
      'TriggerMessage:missing',
      'StopTransaction:missing',
      'Reset:missing',
    ]);
  });
});

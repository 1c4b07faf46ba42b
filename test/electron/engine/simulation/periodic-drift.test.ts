import { describe, expect, it } from 'vitest';
import { createModel } from '../../../../electron/engine/simulation/create-model';
import type { ModelHost } from '../../../../electron/engine/simulation/charger-types';
import { nextPeriod } from '../../../../electron/engine/simulation/wake-scheduler';

const host: ModelHost = {
  identity: 'CP1',
  changed: () => undefined,
  reboot: () => undefined,
  transfer: () => undefined,
  note: () => undefined,
};

/** Sends and answers every call the model has ready at `now`; returns their actions. */
function exchange(
  m: ReturnType<typeof createModel>,
  now: number,
  answer: (action: string) => object,
): string[] {
  const actions: string[] = [];
  for (let call = m.takeCall(now); call; call = m.takeCall(now)) {
    actions.push(call.action);
    m.callDone(call, answer(call.action) as never, now);
  }
  return actions;
}

describe('periodic work of a simulated charger woken late', () => {
  it('keeps its heartbeats one interval apart however late each wake-up comes (a fleet gathers wake-ups by 100 ms)', () => {
    const m = createModel('1.6', {}, host, 0);
    const start = 1_000_000;
    m.connected(start);
    const iso = (t: number): string => new Date(t).toISOString();
    expect(
      exchange(m, start, (a) =>
        a === 'BootNotification' ? { status: 'Accepted', interval: 10, currentTime: iso(start) } : {},
      ),
    ).toContain('BootNotification');
    const dues: number[] = [];
    const sent: string[] = [];
    for (let k = 0; k < 6; k++) {
      const due = m.nextWake()!;
      dues.push(due);
      // Every wake-up a gather late, as a fleet's scheduler may bring it.
      const now = due + 100;
      m.wake(now);
      sent.push(...exchange(m, now, () => ({ currentTime: iso(now), status: 'Accepted' })));
    }
    expect(sent.filter((a) => a === 'Heartbeat')).toHaveLength(6);
    expect(dues.slice(1).map((d, i) => d - dues[i]!)).toEqual([10_000, 10_000, 10_000, 10_000, 10_000]);
  });
  it('keeps its meter samples one sample interval apart however late each wake-up comes', () => {
    const m = createModel('1.6', {}, host, 0);
    const start = 1_000_000;
    const iso = (t: number): string => new Date(t).toISOString();
    const answer = (now: number) => (a: string) =>
      a === 'BootNotification'
        ? { status: 'Accepted', interval: 0, currentTime: iso(now) }
        : a === 'StartTransaction'
          ? { transactionId: 7, idTagInfo: { status: 'Accepted' } }
          : a === 'Authorize'
            ? { idTagInfo: { status: 'Accepted' } }
            : {};
    m.connected(start);
    exchange(m, start, answer(start));
    const c = m.connectors[0]!;
    m.plug(c, start);
    m.presentCard(c, 'TAG1', start);
    expect(exchange(m, start, answer(start))).toContain('StartTransaction');
    const samples: number[] = [];
    for (let k = 0; k < 8 && samples.length < 5; k++) {
      const due = m.nextWake()!;
      const now = due + 100;
      m.wake(now);
      if (exchange(m, now, answer(now)).includes('MeterValues')) samples.push(due);
    }
    expect(samples).toHaveLength(5);
    expect(samples.slice(1).map((d, i) => d - samples[i]!)).toEqual([60_000, 60_000, 60_000, 60_000]);
  });
});

describe('nextPeriod', () => {
  it('counts from the due time, and after a stall of a period or more starts again from now (no burst)', () => {
    expect(nextPeriod(10_000, 1000, 10_100)).toBe(11_000);
    expect(nextPeriod(10_000, 1000, 10_999)).toBe(11_000);
    expect(nextPeriod(10_000, 1000, 11_000)).toBe(12_000);
    expect(nextPeriod(10_000, 1000, 15_500)).toBe(16_500);
    expect(nextPeriod(undefined, 1000, 5000)).toBe(6000);
  });
});

/** The answers a CSMS that accepts everything gives (both versions' shapes). */
const accepting = (now: number) => (a: string) =>
  a === 'BootNotification'
    ? { status: 'Accepted', interval: 0, currentTime: new Date(now).toISOString() }
    : a === 'StartTransaction'
      ? { transactionId: 7, idTagInfo: { status: 'Accepted' } }
      : a === 'Authorize'
        ? { idTagInfo: { status: 'Accepted' }, idTokenInfo: { status: 'Accepted' } }
        : a === 'TransactionEvent'
          ? { idTokenInfo: { status: 'Accepted' } }
          : {};

/** A model with a transaction running on connector 1 since `start` (no heartbeats). */
function charging(version: '1.6' | '2.0.1', start: number): ReturnType<typeof createModel> {
  const m = createModel(version, {}, host, start);
  m.connected(start);
  exchange(m, start, accepting(start));
  const c = m.connectors[0]!;
  m.plug(c, start);
  m.presentCard(c, 'TAG1', start);
  exchange(m, start, accepting(start));
  expect(c.tx).toBeDefined();
  return m;
}

/** Applies the CSMS's request `action` at `now` as the connection does: answer, then its effect. */
function request(m: ReturnType<typeof createModel>, action: string, payload: object, now: number): unknown {
  const a = m.answer(action, payload as never, now);
  if (a && 'payload' in a) a.after?.(now);
  return a && 'payload' in a ? a.payload : a;
}

/** The times at which `action` was sent over the wake-ups (each on time) due up to `until`. */
function samplesUntil(m: ReturnType<typeof createModel>, until: number, action: string): number[] {
  const at: number[] = [];
  for (let k = 0; k < 100; k++) {
    const due = m.nextWake();
    if (due === undefined || due > until) break;
    m.wake(due);
    if (exchange(m, due, accepting(due)).includes(action)) at.push(due);
  }
  return at;
}

describe('a sample interval changed during a transaction', () => {
  const start = 1_000_000;
  const change16 = (m: ReturnType<typeof createModel>, sec: number, now: number): void => {
    expect(
      request(m, 'ChangeConfiguration', { key: 'MeterValueSampleInterval', value: String(sec) }, now),
    ).toEqual({
      status: 'Accepted',
    });
  };
  const change2x = (m: ReturnType<typeof createModel>, sec: number, now: number): void => {
    const item = {
      component: { name: 'SampledDataCtrlr' },
      variable: { name: 'TxUpdatedInterval' },
      attributeValue: String(sec),
    };
    expect(request(m, 'SetVariables', { setVariableData: [item] }, now)).toMatchObject({
      setVariableResult: [{ attributeStatus: 'Accepted' }],
    });
  };

  it('1.6: from 3600 s to 10 s, the next sample is 10 s after the change, not an hour after the start', () => {
    const running = charging('1.6', start);
    change16(running, 3600, start);
    change16(running, 10, start + 5_000);
    expect(samplesUntil(running, start + 40_000, 'MeterValues')).toEqual([
      start + 15_000,
      start + 25_000,
      start + 35_000,
    ]);
  });

  it('1.6: from 0 (none) to 10 s, samples start; back to 0, they stop', () => {
    const m = charging('1.6', start);
    change16(m, 0, start + 1_000);
    expect(samplesUntil(m, start + 100_000, 'MeterValues')).toEqual([]);
    change16(m, 10, start + 100_000);
    expect(samplesUntil(m, start + 120_000, 'MeterValues')).toEqual([start + 110_000, start + 120_000]);
    change16(m, 0, start + 125_000);
    expect(samplesUntil(m, start + 1_000_000, 'MeterValues')).toEqual([]);
  });

  it('2.0.1: SampledDataCtrlr.TxUpdatedInterval from 3600 s to 10 s, then 0', () => {
    const m = charging('2.0.1', start);
    change2x(m, 3600, start + 1_000);
    change2x(m, 10, start + 5_000);
    expect(samplesUntil(m, start + 30_000, 'TransactionEvent')).toEqual([start + 15_000, start + 25_000]);
    change2x(m, 0, start + 30_000);
    expect(samplesUntil(m, start + 1_000_000, 'TransactionEvent')).toEqual([]);
  });
});

describe('heartbeats a CSMS does not answer', () => {
  it('keeps one in the queue or in flight at most, and sends no burst when the CSMS answers again', () => {
    const start = 1_000_000;
    const m = createModel('1.6', {}, host, start);
    m.connected(start);
    exchange(m, start, (a) =>
      a === 'BootNotification'
        ? { status: 'Accepted', interval: 10, currentTime: new Date(start).toISOString() }
        : {},
    );
    // 10 minutes of a silent CSMS: each call fails at its 30 s timeout (as the connection reports it).
    let inFlight: ReturnType<typeof m.takeCall>;
    let takenAt = 0;
    let sent = 0;
    let most = 0;
    for (let t = start; t <= start + 600_000; t += 1_000) {
      if (inFlight && t - takenAt >= 30_000) {
        m.callFailed(inFlight, t);
        inFlight = undefined;
      }
      if ((m.nextWake() ?? Infinity) <= t) m.wake(t);
      if (!inFlight) {
        inFlight = m.takeCall(t);
        takenAt = t;
        if (inFlight) sent++;
      }
      most = Math.max(most, m.queued);
    }
    expect(most).toBe(1);
    expect(sent).toBeGreaterThanOrEqual(15);
    // The CSMS answers again: the call in flight, then whatever waits; one heartbeat at most, not a burst.
    const now = start + 600_500;
    m.callDone(inFlight!, { currentTime: new Date(now).toISOString() }, now);
    const c = m.connectors[0]!;
    m.plug(c, now);
    m.presentCard(c, 'TAG1', now);
    const actions = exchange(m, now, (a) =>
      a === 'StartTransaction'
        ? { transactionId: 7, idTagInfo: { status: 'Accepted' } }
        : { idTagInfo: { status: 'Accepted' } },
    );
    expect(actions).toContain('StartTransaction');
    expect(actions.filter((a) => a === 'Heartbeat').length).toBeLessThanOrEqual(1);
  });
});

describe('a heartbeat interval of 0', () => {
  it('sends no heartbeat at all, on a reconnect neither', () => {
    const start = 1_000_000;
    const m = createModel('1.6', {}, host, start);
    m.connected(start);
    exchange(m, start, accepting(start));
    expect(request(m, 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '0' }, start)).toEqual({
      status: 'Accepted',
    });
    const sent: string[] = [];
    for (let k = 0; k < 3; k++) {
      const t = start + (k + 1) * 60_000;
      m.disconnected(t);
      m.connected(t + 1_000);
      for (let w = 0; w < 10; w++) {
        const due = m.nextWake();
        if (due === undefined) break;
        m.wake(due);
        sent.push(...exchange(m, due, accepting(due)));
      }
      sent.push(...exchange(m, t + 1_000, accepting(t + 1_000)));
    }
    expect(sent).not.toContain('Heartbeat');
  });
});

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

import { describe, expect, it, vi } from 'vitest';
import { AutoAnswerBook } from '../../../../electron/engine/station/auto-answer';
import { actionsOf } from '../../../../shared/ocpp/actions';
import { validatePayload } from '../../../../shared/ocpp/schema-registry';
import { OCPP_VERSIONS } from '../../../../shared/ocpp/versions';

describe('auto-answer', () => {
  it.each(OCPP_VERSIONS)('answers every request action of OCPP %s with a schema-valid CALLRESULT', (v) => {
    const book = new AutoAnswerBook();
    const actions = actionsOf(v).filter((a) => !a.sendOnly);
    expect(actions.length).toBeGreaterThan(20);
    for (const a of actions) {
      const d = book.decide(v, 'id-1', a.name);
      expect(d.kind).toBe('send');
      if (d.kind !== 'send') continue;
      const frame = JSON.parse(d.text) as [number, string, Record<string, unknown>];
      expect(frame.slice(0, 2), a.name).toEqual([3, 'id-1']);
      expect(validatePayload(v, a.name, 'response', frame[2] as never), a.name).toEqual([]);
    }
  });

  it('gives every answer the time it was made, to the millisecond, per action', () => {
    let at = new Date('2030-01-02T03:04:05.678Z');
    const book = new AutoAnswerBook({ now: () => at });
    const time = (action: string): unknown => book.liveResponse('1.6', action)?.['currentTime'];
    expect(time('Heartbeat')).toBe('2030-01-02T03:04:05.678Z');
    expect(time('Heartbeat')).toBe('2030-01-02T03:04:05.678Z');
    at = new Date('2030-01-02T03:04:05.679Z');
    expect(time('BootNotification')).toBe('2030-01-02T03:04:05.679Z');
    expect(time('Heartbeat')).toBe('2030-01-02T03:04:05.679Z');
    at = new Date('2031-07-08T09:10:11.000Z');
    expect(time('Heartbeat')).toBe('2031-07-08T09:10:11.000Z');
  });

  it('fills live values: the current time, the heartbeat interval, Accepted, an incrementing transaction id', () => {
    const at = new Date('2030-01-02T03:04:05.678Z');
    const book = new AutoAnswerBook({ now: () => at, heartbeatIntervalSec: 42 });
    expect(book.liveResponse('1.6', 'BootNotification')).toEqual({
      status: 'Accepted',
      currentTime: at.toISOString(),
      interval: 42,
    });
    expect(book.liveResponse('2.0.1', 'Heartbeat')).toEqual({ currentTime: at.toISOString() });
    const t1 = book.liveResponse('1.6', 'StartTransaction');
    const t2 = book.liveResponse('1.6', 'StartTransaction');
    expect(t1?.['transactionId']).toBe(1);
    expect(t2?.['transactionId']).toBe(2);
    expect(t1?.['idTagInfo']).toEqual({ status: 'Accepted' });
  });

  it('unknown actions get NotImplemented; policies match exact action, then *, else auto', () => {
    const book = new AutoAnswerBook();
    expect(JSON.parse(book.autoText('2.1', 'x', 'BrewCoffee')).slice(0, 3)).toEqual([
      4,
      'x',
      'NotImplemented',
    ]);
    book.setPolicies([
      { version: '2.0.1', action: '*', mode: 'hold' },
      { version: '2.0.1', action: 'Heartbeat', mode: 'auto' },
    ]);
    expect(book.decide('2.0.1', 'a', 'Authorize').kind).toBe('hold');
    expect(book.decide('2.0.1', 'b', 'Heartbeat').kind).toBe('send');
    expect(book.decide('1.6', 'c', 'Authorize').kind).toBe('send');
  });
});

describe('auto-answer policies per role', () => {
  it('a policy for chargers on the endpoint never changes how the station answers, and the other way round', () => {
    const book = new AutoAnswerBook();
    book.setPolicies([
      { version: '1.6', action: 'DataTransfer', mode: 'callerror', errorCode: 'GenericError' },
      { version: '1.6', action: '*', mode: 'hold', role: 'station' },
    ]);
    expect(book.decide('1.6', 'a', 'DataTransfer')).toMatchObject({ kind: 'send', mode: 'callerror' });
    expect(book.decide('1.6', 'b', 'DataTransfer', 'endpoint')).toMatchObject({
      kind: 'send',
      mode: 'callerror',
    });
    expect(book.decide('1.6', 'c', 'DataTransfer', 'station').kind).toBe('hold');
    expect(book.decide('1.6', 'd', 'Heartbeat', 'endpoint')).toMatchObject({ kind: 'send', mode: 'auto' });
    book.setPolicies([{ version: '1.6', action: 'DataTransfer', mode: 'callerror' }]);
    expect(book.decide('1.6', 'e', 'DataTransfer', 'station')).toMatchObject({ kind: 'send', mode: 'auto' });
  });
});

describe('auto-answer: the same action again', () => {
  it('a run of one action keeps its policy, and a change of policy, version, role or action is taken at once', () => {
    const book = new AutoAnswerBook();
    for (let i = 0; i < 3; i++)
      expect(book.decide('1.6', `h${i}`, 'Heartbeat')).toMatchObject({ mode: 'auto' });
    book.setPolicies([{ version: '1.6', action: 'Heartbeat', mode: 'callerror' }]);
    expect(book.decide('1.6', 'a', 'Heartbeat')).toMatchObject({ kind: 'send', mode: 'callerror' });
    expect(book.decide('2.0.1', 'b', 'Heartbeat')).toMatchObject({ kind: 'send', mode: 'auto' });
    expect(book.decide('1.6', 'c', 'Heartbeat', 'station')).toMatchObject({ kind: 'send', mode: 'auto' });
    expect(book.decide('1.6', 'd', 'Heartbeat')).toMatchObject({ kind: 'send', mode: 'callerror' });
    expect(book.decide('1.6', 'e', 'Authorize')).toMatchObject({ kind: 'send', mode: 'auto' });
    book.setPolicies([]);
    const d = book.decide('1.6', 'f', 'Heartbeat');
    expect(d).toMatchObject({ kind: 'send', mode: 'auto' });
    // Each answer carries its own call's id.
    if (d.kind === 'send') expect(JSON.parse(d.text)[1]).toBe('f');
  });
});

describe('auto-answer templates', () => {
  it('are built once per real action, also after a peer sent more than 1,024 made-up action names', () => {
    const book = new AutoAnswerBook();
    for (let i = 0; i < 1_100; i++) book.decide('1.6', `m${i}`, `MadeUp${i}`);
    const builds = vi.spyOn(
      AutoAnswerBook.prototype as unknown as { buildTemplate(): unknown },
      'buildTemplate',
    );
    try {
      // Two actions in turn: neither is the last one resolved when it comes again.
      for (let i = 0; i < 10; i++) {
        expect(book.decide('1.6', `h${i}`, 'Heartbeat')).toMatchObject({ kind: 'send', mode: 'auto' });
        expect(book.decide('1.6', `s${i}`, 'StatusNotification')).toMatchObject({
          kind: 'send',
          mode: 'auto',
        });
      }
      expect(builds).toHaveBeenCalledTimes(2);
      // Made-up names are still not kept past the cap: the real actions at most come on top of it.
      for (let i = 0; i < 3_000; i++) book.decide('1.6', `n${i}`, `Invented${i}`);
      const resolved = Reflect.get(book, 'resolved') as Map<string, Map<string, unknown>>;
      expect(resolved.get('1.6')!.size).toBeLessThanOrEqual(1_024 + actionsOf('1.6').length);
    } finally {
      builds.mockRestore();
    }
  });
});

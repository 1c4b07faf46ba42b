import { describe, expect, it } from 'vitest';
import type { FrameEvent } from '../../../shared/capture/events';
import { diffExchanges, exchangesOf, LOOKAHEAD } from '../../../shared/capture/capture-diff';
import { DEFAULT_IGNORE_RULES, parseIgnoreRules } from '../../../shared/capture/ignore-rules';

let seq = 0;
function f(sender: 'station' | 'csms', value: unknown[]): FrameEvent {
  const text = JSON.stringify(value);
  return { kind: 'frame', seq: seq++, t: seq, mono: seq, conn: 'c1', sender, text, findings: [] };
}
const call = (id: string, action: string, payload: object = {}) => f('station', [2, id, action, payload]);
const result = (id: string, payload: object = {}) => f('csms', [3, id, payload]);

describe('offline diff of two recorded connections', () => {
  it('pairs exchanges by sender and action in order and compares requests and answers under the rules', () => {
    const a = exchangesOf([
      call('1', 'BootNotification', { chargePointModel: 'X' }),
      result('1', { status: 'Accepted', interval: 300, currentTime: '2020-01-01T00:00:00Z' }),
      call('2', 'Heartbeat'),
      result('2', { currentTime: '2020-01-01T00:00:05Z' }),
    ]);
    const b = exchangesOf([
      call('a', 'BootNotification', { chargePointModel: 'Y' }),
      result('a', { status: 'Accepted', interval: 60, currentTime: '2026-12-06T06:00:00Z' }),
      call('b', 'Heartbeat'),
      result('b', { currentTime: '2026-12-06T06:00:05Z' }),
    ]);
    const items = diffExchanges(a, b);
    expect(items.map((i) => [i.action, i.outcome])).toEqual([
      ['BootNotification (charger)', 'differed'],
      ['Heartbeat (charger)', 'matched'],
    ]);
    expect(items[0]!.diffs).toEqual([
      { path: '/request/chargePointModel', recorded: 'X', live: 'Y' },
      { path: '/answer/interval', recorded: 300, live: 60 },
    ]);
    const r = parseIgnoreRules(['chargePointModel', 'interval', ...DEFAULT_IGNORE_RULES]);
    expect(diffExchanges(a, b, r.ok ? r.rules : undefined)[0]!.outcome).toBe('matched');
  });

  it('reports what only one side has, and a CALL answered on one side only', () => {
    const a = exchangesOf([
      call('1', 'Authorize'),
      result('1'),
      call('2', 'StatusNotification'),
      result('2'),
    ]);
    const b = exchangesOf([call('x', 'DataTransfer'), result('x'), call('y', 'StatusNotification')]);
    expect(diffExchanges(a, b).map((i) => `${i.action}:${i.outcome}`)).toEqual([
      'Authorize (charger):missing',
      'DataTransfer (charger):unexpected',
      'StatusNotification (charger):timed-out',
    ]);
  });

  it('looks a bounded distance ahead for a counterpart', () => {
    const filler = Array.from({ length: LOOKAHEAD + 5 }, (_, i) => call(`f${i}`, 'MeterValues'));
    const a = exchangesOf([call('1', 'Heartbeat')]);
    const b = exchangesOf([...filler, call('h', 'Heartbeat')]);
    const items = diffExchanges(a, b);
    expect(items[0]).toMatchObject({ action: 'Heartbeat (charger)', outcome: 'missing' });
    expect(items.filter((i) => i.outcome === 'unexpected')).toHaveLength(LOOKAHEAD + 6);
  });

  it('skips frames that do not parse and binary frames', () => {
    const broken: FrameEvent = { ...call('1', 'Heartbeat'), text: '[2,"1",' };
    expect(exchangesOf([broken, { ...call('2', 'Heartbeat'), binary: true }])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import type { SimCall } from '../../../../electron/engine/simulation/charger-types';
import { DeviceModel } from '../../../../electron/engine/simulation/device-model';
import {
  DisplayMessages,
  MAX_DISPLAY_MESSAGES,
} from '../../../../electron/engine/simulation/display-messages';

function displays(running: string[] = []): { d: DisplayMessages; device: DeviceModel; sent: SimCall[] } {
  const device = new DeviceModel(1);
  const sent: SimCall[] = [];
  const d = new DisplayMessages({
    v21: true,
    device,
    enqueue: (c) => sent.push(c),
    changed: () => undefined,
    transactionRuns: (id) => running.includes(id),
  });
  return { d, device, sent };
}

const T = Date.parse('2026-01-01T12:00:00Z');
const at = (ms: number): string => new Date(T + ms).toISOString();
const msg = (id: number, more: JsonObject = {}): JsonObject => ({
  id,
  priority: 'NormalCycle',
  message: { format: 'ASCII', content: `m${id}` },
  ...more,
});

describe('DisplayMessages', () => {
  it('shows the highest priority message valid now for the state; a window that has not begun or has passed hides it', () => {
    const { d } = displays();
    expect(d.set(msg(1), T)).toBe('Accepted');
    expect(d.set(msg(2, { priority: 'InFront', state: 'Charging' }), T)).toBe('Accepted');
    expect(
      d.set(msg(3, { priority: 'AlwaysFront', startDateTime: at(60_000), endDateTime: at(120_000) }), T),
    ).toBe('Accepted');
    expect(d.showing('Idle', T)).toBe('m1');
    expect(d.showing('Charging', T)).toBe('m2');
    expect(d.showing('Charging', T + 90_000)).toBe('m3');
    expect(d.showing('Charging', T + 120_000)).toBe('m2');
    d.expire(T + 120_000);
    expect(d.count).toBe(2);
  });

  it('follows the device model: a format or priority it does not list is refused, a switched-off display refuses all', () => {
    const { d, device } = displays(['TX-1']);
    expect(d.set(msg(1, { message: { format: 'QRCODE', content: 'x' } }), T)).toBe(
      'NotSupportedMessageFormat',
    );
    expect(d.set(msg(1, { messageExtra: [{ format: 'HTML', content: 'x' }] }), T)).toBe(
      'NotSupportedMessageFormat',
    );
    expect(d.set(msg(1, { priority: 'Sometimes' }), T)).toBe('NotSupportedPriority');
    expect(d.set(msg(1, { display: { name: 'SomethingElse' } }), T)).toBe('Rejected');
    expect(d.set(msg(1, { transactionId: 'TX-1' }), T)).toBe('Accepted');
    d.transactionEnded('TX-1');
    expect(d.count).toBe(0);
    device.setInternal('DisplayMessageCtrlr', 'Enabled', 'false');
    expect(d.set(msg(2), T)).toBe('Rejected');
  });

  it('keeps at most its limit: a new id past it is refused, the same id replaces', () => {
    const { d } = displays();
    for (let i = 0; i < MAX_DISPLAY_MESSAGES; i++) expect(d.set(msg(i), T)).toBe('Accepted');
    expect(d.set(msg(MAX_DISPLAY_MESSAGES), T)).toBe('Rejected');
    expect(d.set(msg(0, { priority: 'AlwaysFront' }), T)).toBe('Accepted');
    expect(d.count).toBe(MAX_DISPLAY_MESSAGES);
  });

  it('sends what GetDisplayMessages asks for in parts of ItemsPerMessage, the last with tbc false', () => {
    const { d, sent } = displays();
    for (let i = 0; i < 3; i++) d.set(msg(i, { state: i === 1 ? 'Faulted' : 'Idle' }), T);
    const a = d.answer('GetDisplayMessages', { requestId: 4, state: 'Idle' }, T);
    expect(a && 'payload' in a && a.payload).toEqual({ status: 'Accepted' });
    if (a && 'after' in a) a.after?.(T);
    expect(sent.map((c) => c.build())).toEqual([
      { requestId: 4, tbc: false, messageInfo: [msg(0, { state: 'Idle' }), msg(2, { state: 'Idle' })] },
    ]);
    expect(d.answer('ClearDisplayMessage', { id: 9 }, T)).toEqual({ payload: { status: 'Unknown' } });
  });
});

import { describe, expect, it } from 'vitest';
import type { EngineApi } from '../../shared/api';
import { ApiError, parseClientCall, parseServerMessage, unwrapReply } from '../../shared/api-bridge';
import { dispatchCall } from '../../shared/api-dispatch';

/** Records what reached the engine: the point is that bad calls never do. */
function recordingEngine(): { engine: EngineApi; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const engine = new Proxy({} as EngineApi, {
    get:
      (_t, name) =>
      async (...args: unknown[]) => {
        calls.push([name, ...args]);
        if (name === 'disconnect') return undefined;
        if (name === 'send' && args[1] === 'boom') throw new Error('the socket is closed');
        if (name === 'startReplay')
          throw Object.assign(new Error('Replay is not available in this build yet.'), {
            code: 'not-available',
          });
        return { seq: 1, findings: [] };
      },
  });
  return { engine, calls };
}

describe('dispatchCall', () => {
  it('passes a valid call through and maps undefined to null', async () => {
    const { engine, calls } = recordingEngine();
    expect(await dispatchCall(engine, 'send', ['c1', 'x'])).toEqual({
      ok: true,
      result: { seq: 1, findings: [] },
    });
    expect(await dispatchCall(engine, 'disconnect', ['c1'])).toEqual({ ok: true, result: null });
    expect(calls).toEqual([
      ['send', 'c1', 'x'],
      ['disconnect', 'c1'],
    ]);
  });

  it('stops unknown methods and bad arguments before the engine', async () => {
    const { engine, calls } = recordingEngine();
    expect(await dispatchCall(engine, 'constructor', [])).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
    expect(await dispatchCall(engine, 'send', ['c1'])).toMatchObject({
      ok: false,
      error: { code: 'bad-arguments' },
    });
    expect(calls).toEqual([]);
  });

  it('turns engine errors into failures with their message and code', async () => {
    const { engine } = recordingEngine();
    expect(await dispatchCall(engine, 'send', ['c1', 'boom'])).toEqual({
      ok: false,
      error: { code: 'failed', message: 'the socket is closed' },
    });
    expect(
      await dispatchCall(engine, 'startReplay', [
        { sourceId: 's', side: 'csms', target: 'c', speed: 1, shiftTimestamps: false },
      ]),
    ).toMatchObject({
      ok: false,
      error: { code: 'not-available' },
    });
  });
});

describe('bridge wire format', () => {
  it('unwraps replies into results or ApiErrors with the code kept', () => {
    expect(unwrapReply({ ok: true, result: 5 })).toBe(5);
    try {
      unwrapReply({ ok: false, error: { code: 'forbidden', message: 'no' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('forbidden');
    }
  });

  it('parses only well-formed messages', () => {
    expect(parseClientCall('{"type":"call","id":3,"method":"x","args":[]}')).toEqual({
      id: 3,
      method: 'x',
      args: [],
    });
    for (const bad of ['', 'nope', '[]', '{"type":"call","id":"3"}', '{"type":"call","id":1.5}']) {
      expect(parseClientCall(bad)).toBeUndefined();
    }
    expect(parseServerMessage('{"type":"notices","notices":[]}')).toEqual({ type: 'notices', notices: [] });
    expect(parseServerMessage('{"type":"reply","id":1}')).toBeUndefined();
  });
});

import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ErrorEvent, FrameEvent, NoteEvent, ScopeEvent } from '../../../../shared/capture/events';
import type { FrameObserverFactory } from '../../../../shared/ocpp/frame-observer';
import { Harness } from '../engine-harness';

/**
 * A fault of ours while handling one frame: recorded (a rule's as a finding on the frame, any other as an
 * internal-error event), and the connection goes on with the next frame.
 */

let h: Harness | undefined;
afterEach(async () => h?.close());

/** A charger on the endpoint (whose connections run `observers`), and every frame it receives. */
async function charger(
  identity: string,
  observers: FrameObserverFactory[] = [],
): Promise<{ ws: WebSocket; got: string[] }> {
  h = new Harness();
  h.hub.observers = observers;
  const url = await h.listen({ protocols: ['1.6'] });
  const ws = new WebSocket(`${url}${identity}`, ['ocpp1.6']);
  const got: string[] = [];
  ws.on('message', (d) => got.push(String(d)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, got };
}

/** Sends a Heartbeat and waits for the endpoint's answer to reach the charger. */
async function heartbeat(ws: WebSocket, id: string): Promise<string> {
  const answer = new Promise<string>((resolve) => {
    const on = (d: unknown): void => {
      const text = String(d);
      if (text.includes(`"${id}"`)) {
        ws.off('message', on);
        resolve(text);
      }
    };
    ws.on('message', on);
  });
  ws.send(`[2,"${id}","Heartbeat",{}]`);
  return answer;
}

const internal = (e: ScopeEvent): boolean => e.kind === 'error' && e.code === 'internal-error';

describe('a fault while a frame is handled', () => {
  it('a rule that throws on a frame: a rule-failed finding on it, the frame and its answer recorded, the connection goes on', async () => {
    let advanced = 0;
    const buggy: FrameObserverFactory = () => ({
      observe(f) {
        if (f.frame.type === 2 && f.frame.id === 'boom') throw new Error('rule bug on a hostile frame');
        return [];
      },
      advance: () => {
        advanced++;
        return [];
      },
      closed: () => {
        throw new Error('rule bug at the close');
      },
    });
    const { ws, got } = await charger('CP-RULE-BUG', [buggy]);
    expect(await heartbeat(ws, 'boom')).toMatch(/^\[3,"boom",\{"currentTime":"/);
    const boom = await h!.waitFor<FrameEvent>(
      (e) => e.kind === 'frame' && e.msg?.id === 'boom' && e.sender === 'station',
      15_000,
      'the frame the rule failed on',
    );
    const failed = boom.findings.filter((f) => f.code === 'rule-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toContain('rule bug on a hostile frame');
    // Its answer is recorded and paired as any other.
    await h!.waitFor((e) => e.kind === 'frame' && e.msg?.id === 'boom' && e.sender === 'csms');
    expect(await heartbeat(ws, 'after')).toMatch(/^\[3,"after",/);
    const conn = h!.hub.list()[0]!;
    expect(conn.state).toBe('open');
    expect(got.map((t) => t.slice(0, 10))).toEqual(['[3,"boom",', '[3,"after"']);
    expect(h!.of('error').filter(internal)).toEqual([]);
    expect(advanced).toBeGreaterThan(0);
    // The rule's failure at the close is a note like any conclusion of the rules, after the close.
    ws.close(1000);
    const note = await h!.waitFor<NoteEvent>(
      (e) => e.kind === 'note' && (e.findings ?? []).some((f) => f.code === 'rule-failed'),
      15_000,
      'the note of the close',
    );
    expect(note.findings?.[0]?.message).toContain('rule bug at the close');
  });

  it("a rule scope that throws on the clock's tick: an internal-error event, and the connections' rules still hear the time", async () => {
    let advanced = 0;
    let scopeTicks = 0;
    const scoped: FrameObserverFactory = Object.assign(
      () => ({
        observe: () => [],
        advance: () => {
          advanced++;
          return [];
        },
        closed: () => [],
      }),
      {
        scope: {
          advance: () => {
            scopeTicks++;
            throw new Error('scope bug on the tick');
          },
          nextDeadline: () => Number.POSITIVE_INFINITY,
        },
      },
    );
    const { ws } = await charger('CP-SCOPE-BUG', [scoped]);
    // A first frame makes the connection's rules (an idle connection has none to advance).
    expect(await heartbeat(ws, 'h1')).toMatch(/^\[3,"h1",/);
    const fault = await h!.waitFor<ErrorEvent>(internal, 15_000, 'internal-error');
    expect(fault.message).toContain('scope bug on the tick');
    // The clock ticked on after the fault (the scope fails again at the next tick), and the connection's rule heard
    // the time at that tick too.
    const seen = advanced;
    await h!.waitFor(
      (e) => internal(e) && h!.of('error').filter(internal).length >= 2,
      15_000,
      'the next tick',
    );
    expect(scopeTicks).toBeGreaterThanOrEqual(2);
    expect(h!.of('error').filter(internal)[1]!.message).toContain('failure 2 of these');
    expect(advanced).toBeGreaterThan(seen);
    expect(h!.hub.list()[0]!.state).toBe('open');
  });

  it('a socket write that throws while answering a call: recorded, and its answer is never sent for a later frame', async () => {
    const { ws, got } = await charger('CP-WRITE-BUG');
    const conn = h!.hub.list()[0]!;
    const socket = (conn as unknown as { ws: { _socket: Socket } }).ws._socket;
    const write = socket.write;
    let thrown = 0;
    socket.write = ((...args: Parameters<Socket['write']>) => {
      if (thrown === 0) {
        thrown++;
        throw new Error('write failed in the middle of an answer');
      }
      return write.apply(socket, args);
    }) as Socket['write'];
    ws.send('[2,"first","Heartbeat",{}]');
    const fault = await h!.waitFor<ErrorEvent>(internal, 15_000, 'internal-error');
    // The fault came before the call was recorded: the error quotes it, so the evidence is not lost.
    expect(fault.message).toContain('write failed in the middle of an answer');
    expect(fault.message).toContain(
      'the frame from the charging station (26 bytes) was not recorded: [2,"first","Heartbeat",{}]',
    );
    expect(h!.of('frame').some((e) => e.msg?.id === 'first')).toBe(false);
    // A frame that is not a CALL decides no answer: the one decided for "first" must not go out for it.
    ws.send('[3,"nobody-asked",{}]');
    await h!.waitFor(
      (e) => e.kind === 'frame' && e.msg?.id === 'nobody-asked',
      15_000,
      'the stray answer recorded',
    );
    await heartbeat(ws, 'second');
    expect(thrown).toBe(1);
    expect(got.map((t) => t.slice(0, 12))).toEqual(['[3,"second",']);
    expect(conn.state).toBe('open');
  });
});

import { describe, expect, it } from 'vitest';
import type { FrameEvent } from '../../../../shared/capture/events';
import type { JsonObject } from '../../../../shared/ocpp/json';
import type { CallOutcome, OutcomeTaker } from '../../../../electron/engine/connections/connection';
import { MAX_HELD_CALLS } from '../../../../electron/engine/connections/connection';
import { Harness } from '../engine-harness';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

async function opened(): Promise<{ h: Harness; conn: Awaited<ReturnType<Harness['station']['connect']>> }> {
  const h = new Harness();
  cleanups.push(() => h.close());
  const url = await h.listen();
  const conn = await h.station.connect({ url: url + 'BUILT', protocols: ['1.6'], callTimeoutSec: 10 });
  expect(conn.state).toBe('open');
  return { h, conn };
}

const codes = (e: FrameEvent): string[] => e.findings.map((f) => f.code);

/** A taker that keeps each outcome with its tag; `all` resolves once `count` of them came. */
function takerOf(count: number): {
  taker: OutcomeTaker<string>;
  seen: [CallOutcome, string][];
  all: Promise<void>;
} {
  const seen: [CallOutcome, string][] = [];
  let wake: () => void = () => {};
  const all = new Promise<void>((r) => (wake = r));
  const taker: OutcomeTaker<string> = {
    callOutcome(o, tag) {
      seen.push([o, tag]);
      if (seen.length === count) wake();
    },
  };
  return { taker, seen, all };
}

describe('calls the station builds from their parts', () => {
  it('are still validated: a payload the schema refuses gets its finding, as the same text sent raw does', async () => {
    const { conn } = await opened();
    const built = await conn.sendCall('Heartbeat', { surprise: 1 });
    const raw = conn.send('[2,"raw-1","Heartbeat",{"surprise":1}]');
    expect(codes(built.request)).toEqual(codes(raw));
    expect(codes(built.request).length).toBeGreaterThan(0);
    expect(built.request.msg).toEqual({ type: 2, id: built.request.msg!.id, action: 'Heartbeat' });
    // Paired with its answer as any frame: the round trip is measured.
    expect(built.response?.pair?.rttMs).toBeGreaterThanOrEqual(0);
  });

  it('are judged by the text the peer reads: a member left undefined is not in the frame, nor a finding', async () => {
    const { conn } = await opened();
    const o = await conn.sendCall('Heartbeat', { surprise: undefined } as unknown as JsonObject);
    expect(o.request.text).toMatch(/^\[2,"[^"]+","Heartbeat",\{\}\]$/);
    expect(codes(o.request)).toEqual([]);
  });

  it('give the answer payload as parsed with the outcome', async () => {
    const { conn } = await opened();
    const o = await conn.sendCall('Heartbeat', {});
    expect(typeof o.payload?.['currentTime']).toBe('string');
    expect(o.payload).toEqual((JSON.parse(o.response!.text) as unknown[])[2]);
  });

  it("our model's own calls are recorded, paired and answered; their outcome goes to the taker with its tag", async () => {
    const { h, conn } = await opened();
    const { taker, seen, all: answered } = takerOf(1);
    conn.sendOwnCall(
      'StatusNotification',
      { connectorId: 1, errorCode: 'NoError', status: 'Available' },
      10,
      taker,
      'tag-1',
    );
    await answered;
    expect(seen).toHaveLength(1);
    const [o, tag] = seen[0]!;
    expect(tag).toBe('tag-1');
    expect(o.timedOut).toBe(false);
    expect(o.response?.msg?.type).toBe(3);
    const frames = h.of('frame', conn.id).filter((e) => e.msg?.action === 'StatusNotification');
    // The request and its answer, each recorded once, with the text that crossed the wire.
    expect(frames.map((e) => e.msg?.type)).toEqual([2, 3]);
    expect(JSON.parse(frames[0]!.text)).toEqual([
      2,
      o.request.msg!.id,
      'StatusNotification',
      { connectorId: 1, errorCode: 'NoError', status: 'Available' },
    ]);
    expect(frames[1]!.pair?.rttMs).toBeGreaterThanOrEqual(0);
  });

  it('a timed-out or closed call still reaches its taker', async () => {
    const { h, conn } = await opened();
    // The endpoint holds Heartbeat: no answer comes, the call times out.
    h.hub.answers.setPolicies([{ version: '1.6', action: 'Heartbeat', mode: 'hold' }]);
    const seen: CallOutcome[] = [];
    let wake: () => void = () => {};
    const done = new Promise<void>((r) => (wake = r));
    conn.sendOwnCall('Heartbeat', {}, 0.2, { callOutcome: (o: CallOutcome) => (seen.push(o), wake()) }, 0);
    await done;
    expect(seen[0]?.timedOut).toBe(true);
    expect(h.findingCodes(conn.id)).toContain('call-timeout');
  });

  it('with a hundred calls held and a thousand answered ones swept meanwhile, exactly the held ones time out', async () => {
    const { h, conn } = await opened();
    h.hub.answers.setPolicies([{ version: '1.6', action: 'Heartbeat', mode: 'hold' }]);
    const { taker, seen: outcomes, all } = takerOf(1_200);
    // 100 held calls (as many as the endpoint holds) and 1,100 answered ones of the same timeout length: the queue
    // passes the sweep's 1,024 entries, the sweep gathers the connection's deadlines in flight once and keeps the
    // held calls' entries. A 4 s timeout: the answered ones are answered well before it on a loaded machine.
    for (let i = 0; i < MAX_HELD_CALLS; i++) conn.sendOwnCall('Heartbeat', {}, 4, taker, `held${i}`);
    const status = { connectorId: 1, errorCode: 'NoError', status: 'Available' };
    for (let i = 0; i < 1_100; i++) conn.sendOwnCall('StatusNotification', status, 4, taker, `answered${i}`);
    await all;
    const timedOut = outcomes.filter(([o]) => o.timedOut).map(([, tag]) => tag);
    expect(timedOut.sort()).toEqual(Array.from({ length: MAX_HELD_CALLS }, (_, i) => `held${i}`).sort());
    expect(outcomes.filter(([o]) => !o.timedOut).every(([, tag]) => tag.startsWith('answered'))).toBe(true);
  }, 15_000);
});

import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { performance } from 'node:perf_hooks';
import { describe, expect, it, vi } from 'vitest';
import type { CallOutcome, OutcomeTaker } from '../../../../electron/engine/connections/connection';
import { Harness } from '../engine-harness';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

/** An iterator that counts the items it hands out into `count`. */
function counted<T>(inner: Iterator<T>, count: () => void): MapIterator<T> {
  const it = {
    next: (): IteratorResult<T> => {
      const r = inner.next();
      if (!r.done) count();
      return r;
    },
    [Symbol.iterator]() {
      return it;
    },
  };
  return it as unknown as MapIterator<T>;
}

/** A map that counts the entries handed out by every way of walking it (the connection's calls in flight walked). */
class CountingMap<K, V> extends Map<K, V> {
  visits = 0;
  private readonly visit = (): void => {
    this.visits++;
  };

  override values(): MapIterator<V> {
    return counted(super.values(), this.visit);
  }

  override keys(): MapIterator<K> {
    return counted(super.keys(), this.visit);
  }

  override entries(): MapIterator<[K, V]> {
    return counted(super.entries(), this.visit);
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override forEach(fn: (value: V, key: K, map: Map<K, V>) => void, self?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(self, v, k, this);
  }
}

/** A peer that accepts the connection and never answers. */
async function silentPeer(): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => [...p][0] ?? false });
  cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
  await new Promise<void>((r) => wss.once('listening', () => r()));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/SILENT`;
}

/**
 * A peer that answers every CALL at once (with a malformed answer, an array for payload, when its id starts with "m"),
 * except those whose id starts with "late".
 */
async function echoPeer(): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => [...p][0] ?? false });
  cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
  wss.on('connection', (ws) =>
    ws.on('message', (data) => {
      const id = /^\[2,"([^"]+)"/.exec(String(data))?.[1];
      if (id === undefined || id.startsWith('late')) return;
      ws.send(id.startsWith('m') ? `[3,"${id}",[]]` : `[3,"${id}",{"currentTime":"2026-12-06T23:00:00Z"}]`);
    }),
  );
  await new Promise<void>((r) => wss.once('listening', () => r()));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ECHO`;
}

/** A taker of `count` outcomes, tagged with their call's number; `all` settles with the last (15 s at most). */
function collect(count: number): {
  taker: OutcomeTaker<number>;
  outcomes: [CallOutcome, number][];
  all: Promise<void>;
} {
  const outcomes: [CallOutcome, number][] = [];
  let wake: () => void = () => {};
  let fail: (e: Error) => void = () => {};
  const settled = new Promise<void>((resolve, reject) => ((wake = resolve), (fail = reject)));
  const bound = setTimeout(() => fail(new Error(`${outcomes.length} of ${count} outcomes in 15 s`)), 15_000);
  const taker: OutcomeTaker<number> = {
    callOutcome(o, tag) {
      outcomes.push([o, tag]);
      if (outcomes.length === count) wake();
    },
  };
  return { taker, outcomes, all: settled.finally(() => clearTimeout(bound)) };
}

describe('call deadlines on one connection', () => {
  it('counts the entries of every way of walking the map', () => {
    const m = new CountingMap([
      ['a', 1],
      ['b', 2],
    ]);
    [...m.values()].forEach(() => {});
    [...m.keys()].forEach(() => {});
    [...m.entries()].forEach(() => {});
    [...m].forEach(() => {});
    Array.from(m).forEach(() => {});
    m.forEach(() => {});
    expect(m.visits).toBe(12);
  });

  it('times out thousands of calls together in work linear in their number, each once, in order', async () => {
    // The peer first: cleanups run newest first, and it closes only once the station's connection has.
    const url = await silentPeer();
    const h = new Harness();
    cleanups.push(() => h.close());
    const conn = await h.station.connect({ url, protocols: ['1.6'], callTimeoutSec: 30 });
    // More than the pairing's 4,096 requests kept in flight per sender: those it forgot time out all the same.
    const count = 5_000;
    const { taker, outcomes, all } = collect(count);
    // Two calls in flight move the connection's calls to a map; it is swapped for one that counts its walks.
    conn.sendOwnCall('Heartbeat', {}, 1, taker, 0);
    conn.sendOwnCall('Heartbeat', {}, 1, taker, 1);
    const counting = new CountingMap(conn.more);
    conn.more = counting;
    for (let i = 2; i < count; i++) conn.sendOwnCall('Heartbeat', {}, 1, taker, i);
    await all;
    expect(outcomes.every(([o]) => o.timedOut)).toBe(true);
    expect(outcomes.map(([, tag]) => tag)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(h.findingCodes(conn.id).filter((c) => c === 'call-timeout')).toHaveLength(count);
    // Still the counting map (not replaced meanwhile), now empty.
    expect(conn.more).toBe(counting);
    expect(counting.size).toBe(0);
    // A walk of the calls still in flight per timeout would be some count²/2 = 12.5 M entries.
    expect(counting.visits).toBeLessThanOrEqual(4 * count);
  }, 20_000);

  it('notes a timeout for every unanswered call, those the pairing forgot included, without an action it lost', async () => {
    const url = await silentPeer();
    const h = new Harness();
    cleanups.push(() => h.close());
    const conn = await h.station.connect({ url, protocols: ['1.6'], callTimeoutSec: 1 });
    // Past the pairing's 4,096 kept in flight per sender: it lets the oldest raw calls go, they stay in flight here.
    const raw = 5_000;
    for (let i = 0; i < raw; i++) conn.send(`[2,"r${i}","Heartbeat",{}]`);
    const waited = await Promise.all(
      Array.from({ length: 10 }, (_, i) => conn.sendAndWait(`[2,"w${i}","Heartbeat",{}]`)),
    );
    expect(waited.every((o) => o.timedOut)).toBe(true);
    const timeouts = h.noteFindings(conn.id, 'call-timeout');
    expect(timeouts).toHaveLength(raw + 10);
    const byId = new Map(timeouts.map((f) => [/"([^"]+)"/.exec(f.message)![1]!, f.message]));
    expect(byId.size).toBe(raw + 10);
    // The oldest, forgotten by the pairing: no action claimed (neither a made-up one nor "malformed CALL").
    expect(byId.get('r0')).toBe('The call "r0" was not answered within 1 s.');
    expect(byId.get('r4999')).toBe('The Heartbeat call "r4999" was not answered within 1 s.');
    expect(byId.get('w0')).toBe('The Heartbeat call "w0" was not answered within 1 s.');
  }, 20_000);

  it('takes every answered call out of flight, those the pairing forgot included: no timeout for them', async () => {
    const url = await echoPeer();
    const h = new Harness();
    cleanups.push(() => h.close());
    const conn = await h.station.connect({ url, protocols: ['1.6'], callTimeoutSec: 1 });
    // Waited calls first: the 5,000 raw ones after them push them (and the oldest raw ones) out of the pairing's
    // 4,096 kept in flight per sender, before any answer can arrive.
    const waited = Array.from({ length: 10 }, (_, i) => conn.sendAndWait(`[2,"w${i}","Heartbeat",{}]`));
    const raw = 5_000;
    for (let i = 0; i < raw; i++) conn.send(`[2,"r${i}","Heartbeat",{}]`);
    const outcomes = await Promise.all(waited);
    expect(outcomes.every((o) => !o.timedOut && o.response !== undefined)).toBe(true);
    // Its deadline is the last: once it passed, every other call's has.
    const late = await conn.sendAndWait('[2,"late","Heartbeat",{}]');
    expect(late.timedOut).toBe(true);
    const answers = h.of('frame', conn.id).filter((e) => e.text.startsWith('[3,'));
    expect(answers).toHaveLength(raw + 10);
    const timeouts = h.noteFindings(conn.id, 'call-timeout').map((f) => f.message);
    expect(timeouts).toEqual(['The Heartbeat call "late" was not answered within 1 s.']);
    expect(conn.more.size).toBe(0);
  }, 20_000);

  it('takes a malformed answer to a call the pairing forgot out of flight, and settles who waits once', async () => {
    const url = await echoPeer();
    const h = new Harness();
    cleanups.push(() => h.close());
    const conn = await h.station.connect({ url, protocols: ['1.6'], callTimeoutSec: 1 });
    let settled = 0;
    const waited = conn.sendAndWait('[2,"m0","Heartbeat",{}]').then((o) => (settled++, o));
    for (let i = 0; i < 5_000; i++) conn.send(`[2,"r${i}","Heartbeat",{}]`);
    const outcome = await waited;
    expect(outcome.timedOut).toBe(false);
    expect(outcome.response?.text).toBe('[3,"m0",[]]');
    const late = await conn.sendAndWait('[2,"late","Heartbeat",{}]');
    expect(late.timedOut).toBe(true);
    expect(settled).toBe(1);
    const timeouts = h.noteFindings(conn.id, 'call-timeout');
    expect(timeouts).toHaveLength(1);
  }, 20_000);

  it('times out calls sharing deadlines (a coarse clock) without a walk of the calls in flight per deadline', async () => {
    const url = await silentPeer();
    const h = new Harness();
    cleanups.push(() => h.close());
    const conn = await h.station.connect({ url, protocols: ['1.6'], callTimeoutSec: 30 });
    // A clock that moves 1 ms every 100 calls while they are sent: 40 deadlines, 100 calls each.
    const real = performance.now.bind(performance);
    let fake: number | undefined = real();
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => fake ?? real());
    cleanups.push(async () => clock.mockRestore());
    const count = 4_000;
    const { taker, outcomes, all } = collect(count);
    conn.sendOwnCall('Heartbeat', {}, 1, taker, 0);
    conn.sendOwnCall('Heartbeat', {}, 1, taker, 1);
    const counting = new CountingMap(conn.more);
    conn.more = counting;
    for (let i = 2; i < count; i++) {
      if (i % 100 === 0) fake! += 1;
      conn.sendOwnCall('Heartbeat', {}, 1, taker, i);
    }
    fake = undefined;
    await all;
    expect(outcomes.every(([o]) => o.timedOut)).toBe(true);
    // In the order they were sent (and armed).
    expect(outcomes.map(([, tag]) => tag)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(conn.more).toBe(counting);
    // A walk of every call in flight per deadline would be 40 × some 2,000 = 80,000 entries.
    expect(counting.visits).toBeLessThanOrEqual(4 * count);
  }, 20_000);

  it('lets the index of calls by deadline go once fewer than two are in flight', async () => {
    const url = await silentPeer();
    const h = new Harness();
    cleanups.push(() => h.close());
    const conn = await h.station.connect({ url, protocols: ['1.6'], callTimeoutSec: 30 });
    // The field by its name (private): it must exist, or the check below would pass for any name.
    expect(Object.hasOwn(conn, 'byDeadline')).toBe(true);
    const byDeadline = (): unknown => Reflect.get(conn, 'byDeadline');
    const first = conn.sendCall('Heartbeat', {}, 1);
    const second = conn.sendCall('Heartbeat', {}, 60);
    // The first deadline's question, with two calls in flight, makes the index; its timeout leaves one call.
    expect((await first).timedOut).toBe(true);
    expect(byDeadline()).toBeUndefined();
    await conn.close();
    expect((await second).timedOut).toBe(false);
  }, 20_000);
});

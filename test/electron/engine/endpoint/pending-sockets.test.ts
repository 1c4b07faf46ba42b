import { connect } from 'node:net';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { OpenedEvent } from '../../../../shared/capture/events';
import { PendingSockets } from '../../../../electron/engine/endpoint/pending-sockets';
import { Harness } from '../engine-harness';

/**
 * Idle TCP sockets and slow handshakes on loopback, beside good chargers: the good ones keep being accepted, the
 * others are closed at the deadline or to make room, and each episode is recorded once per address with counts.
 */

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

const closedOf = (s: Socket): Promise<void> =>
  s.destroyed ? Promise.resolve() : new Promise((r) => s.once('close', () => r()));

async function goodCharger(url: string, identity: string): Promise<boolean> {
  const ws = new WebSocket(url + identity, ['ocpp1.6']);
  const ok = await new Promise<boolean>((resolve) => {
    ws.once('open', () => resolve(true));
    ws.once('error', () => resolve(false));
  });
  ws.close();
  return ok;
}

function episodes(h: Harness): OpenedEvent[] {
  return h.events.filter(
    (e): e is OpenedEvent => e.kind === 'opened' && e.handshake.failure?.code === 'handshake-timeout',
  );
}

describe('sockets that never upgrade', () => {
  it('ships with a 10 s handshake deadline and a bound of 1,024 sockets still upgrading', () => {
    const pending = new PendingSockets(() => undefined);
    expect(pending.deadlineMs).toBe(10_000);
    expect(pending.maxPending).toBe(1024);
  });

  it('idle and slow peers are closed at the deadline; good chargers are accepted meanwhile; one record per episode', async () => {
    const h = new Harness({
      endpoint: { pendingSockets: { deadlineMs: 400, maxPending: 1000, quietMs: 200 } },
    });
    cleanups.push(() => h.close());
    const url = await h.listen();
    const port = Number(new URL(url).port);
    const idle: Socket[] = [];
    cleanups.push(async () => idle.forEach((s) => s.destroy()));
    for (let i = 0; i < 60; i++) idle.push(await rawSocket(port));
    // Slow handshakes: a request line, then nothing more.
    for (let i = 0; i < 20; i++) {
      const s = await rawSocket(port);
      s.write('GET /ocpp/SLOW HTTP/1.1\r\nHost: x\r\n');
      idle.push(s);
    }
    const accepted: boolean[] = [];
    for (let i = 0; i < 10; i++) accepted.push(await goodCharger(url, `GOOD-${i}`));
    expect(accepted.every(Boolean)).toBe(true);
    await Promise.all(idle.map(closedOf));
    const ep = await h.waitFor<OpenedEvent>(
      (e) => e.kind === 'opened' && e.handshake.failure?.code === 'handshake-timeout',
      10_000,
      'the idle-socket record',
    );
    expect(ep.handshake.remote?.address).toBe('127.0.0.1');
    // Aggregated: far fewer records than sockets, and the counts add up to every socket closed (all 80 closed
    // before the first record, which comes only after a quiet spell).
    const all = episodes(h);
    expect(all.length).toBeLessThan(10);
    expect(all.every((e) => e.handshake.findings[0]?.code === 'sockets-closed-before-upgrade')).toBe(true);
    const counted = all.map((e) => Number(/^(\d+) connection/.exec(e.handshake.failure!.message)?.[1] ?? 0));
    expect(counted.reduce((x, y) => x + y, 0)).toBe(80);
  });

  it('a flood past the bound closes the oldest waiting sockets, not the new good chargers', async () => {
    const h = new Harness({
      endpoint: { pendingSockets: { deadlineMs: 60_000, maxPending: 50, quietMs: 100 } },
    });
    cleanups.push(() => h.close());
    const url = await h.listen();
    const port = Number(new URL(url).port);
    const idle: Socket[] = [];
    cleanups.push(async () => idle.forEach((s) => s.destroy()));
    const accepted: boolean[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 60; i++) idle.push(await rawSocket(port));
      accepted.push(await goodCharger(url, `FLOOD-${round}`));
    }
    expect(accepted).toEqual([true, true, true, true]);
    // 240 idle sockets against a bound of 50: at least 190 were closed to make room, and that was recorded.
    await Promise.all(idle.slice(0, 190).map(closedOf));
    const ep = await h.waitFor<OpenedEvent>(
      (e) => e.kind === 'opened' && e.handshake.failure?.code === 'handshake-timeout',
      10_000,
      'the eviction record',
    );
    expect(ep.handshake.failure?.message).toMatch(/closed to make room \(over 50 sockets were waiting\)/);
  });
});

describe('a socket that upgraded', () => {
  it('is no longer watched: the pending set lets go of its close listener, and a socket closing while waiting is released', () => {
    const pending = new PendingSockets(() => undefined);
    cleanups.push(async () => pending.close());
    const fake = (port: number): Socket =>
      Object.assign(new EventEmitter(), {
        remoteAddress: '127.0.0.1',
        remotePort: port,
        destroy() {},
      }) as unknown as Socket;
    const upgrading = fake(1);
    const leaving = fake(2);
    pending.admit(upgrading);
    pending.admit(leaving);
    expect(pending.size).toBe(2);
    expect(upgrading.listenerCount('close')).toBe(1);
    pending.upgraded(upgrading);
    // A charger's socket lives for hours: nothing of the pending set stays on it.
    expect(upgrading.listenerCount('close')).toBe(0);
    expect(pending.size).toBe(1);
    leaving.emit('close');
    expect(pending.size).toBe(0);
    expect(leaving.listenerCount('close')).toBe(0);
  });
});

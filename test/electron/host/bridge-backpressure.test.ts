import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { EngineNotice } from '../../../shared/api';
import type { BridgeServerMessage } from '../../../shared/api-bridge';
import type { ScopeEvent } from '../../../shared/capture/events';
import type { BridgedEngine } from '../../../electron/host/bridge-server';
import { attachBridge } from '../../../electron/host/bridge-server';
import { NoticeBacklog } from '../../../electron/host/notice-backlog';

/** A tab that stops reading must not make the host buffer every live event: it gets a resync notice instead. */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const event = (seq: number): ScopeEvent =>
  ({
    seq,
    t: 0,
    mono: 0,
    conn: 'c1',
    kind: 'frame',
    sender: 'station',
    text: 'x'.repeat(200),
  }) as unknown as ScopeEvent;

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} in ${ms} ms`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

describe('NoticeBacklog', () => {
  it('merges event batches per source, keeps the newest status, and counts what overflows', () => {
    const b = new NoticeBacklog(3);
    b.add([{ type: 'events', sourceId: 'live', events: [event(1), event(2)] }]);
    b.add([{ type: 'recording', status: { on: false } } as EngineNotice]);
    b.add([{ type: 'recording', status: { on: true } } as EngineNotice]);
    b.add([{ type: 'events', sourceId: 'live', events: [event(3), event(4)] }]);
    b.add([{ type: 'events', sourceId: 'live', events: [event(5)] }]);
    expect(b.take()).toEqual([
      { type: 'recording', status: { on: true } },
      { type: 'resync', sourceId: 'live', missed: 5 },
    ]);
    expect(b.empty).toBe(true);
  });
});

describe('bridge backpressure', () => {
  it('holds back, then drops and reports live events a stalled client cannot take; nothing is lost unreported', async () => {
    let push: (notices: EngineNotice[]) => void = () => {};
    const engine = {
      onNotices: (listener: (n: EngineNotice[]) => void) => {
        push = listener;
        return () => undefined;
      },
    } as unknown as BridgedEngine;
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    const serverSide = new Promise<WebSocket>((resolve) =>
      wss.on('connection', (ws) => {
        attachBridge(ws, engine, { highWaterBytes: 64 * 1024, maxPendingEvents: 2000 });
        resolve(ws);
      }),
    );
    await within(5000, 'listening', new Promise((r) => wss.once('listening', r)));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`);
    cleanups.push(() => client.terminate());
    let raw: Socket | undefined;
    client.on('upgrade', (res) => (raw = res.socket as Socket));
    await within(5000, 'open', new Promise((r, j) => client.once('open', r).once('error', j)));
    const server = await within(5000, 'connection', serverSide);

    let received = 0;
    let missed = 0;
    client.on('message', (data) => {
      const m = JSON.parse(data.toString()) as BridgeServerMessage;
      if (m.type !== 'notices') return;
      for (const n of m.notices) {
        if (n.type === 'events') received += n.events.length;
        if (n.type === 'resync') missed += n.missed;
      }
    });

    // The tab stops reading; the host keeps producing until its socket is congested, then a lot more.
    raw!.pause();
    let seq = 0;
    const batch = (): void =>
      push([{ type: 'events', sourceId: 'live', events: [...Array(100)].map(() => event(++seq)) }]);
    for (let i = 0; i < 20_000 && server.bufferedAmount <= 64 * 1024; i++) batch();
    expect(server.bufferedAmount).toBeGreaterThan(64 * 1024);
    const congestedAt = server.bufferedAmount;
    for (let i = 0; i < 500; i++) batch();
    // 50 000 more events (~12 MB of JSON) did not go into the socket buffer.
    expect(server.bufferedAmount).toBe(congestedAt);

    raw!.resume();
    push([{ type: 'events', sourceId: 'live', events: [event(++seq)] }]);
    await within(
      15_000,
      'every event delivered or reported',
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (received + missed === seq) resolve();
        };
        client.on('message', check);
        check();
      }),
    );
    expect(missed).toBeGreaterThan(0);
    expect(received + missed).toBe(seq);
  });
});

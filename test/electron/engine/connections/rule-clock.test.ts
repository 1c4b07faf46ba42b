import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { BehaviourRules } from '../../../../shared/ocpp/behaviour';
import { exampleRequest, exampleResponse } from '../../../../shared/ocpp/examples';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { SUBPROTOCOL_OF, type OcppVersion } from '../../../../shared/ocpp/versions';
import { strictModeValidators } from '../../../support/ocpp-rpc-strict';
import { Harness, rpcClient } from '../engine-harness';

/**
 * A Reset accepted and then a station that never comes back: nothing arrives on any connection, and no connection is
 * live, yet the finding must appear, driven by the engine's own rule clock, which stops once nothing waits.
 */

/** Long enough that the charger closes its connection before it ends, short enough for a test. */
const RESET_WINDOW_MS = 2500;

let cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function resetNote(e: ScopeEvent): boolean {
  return e.kind === 'note' && (e.findings ?? []).some((f) => f.code === 'reset-no-reboot');
}

async function chargerThatAcceptsReset(v: OcppVersion, rules: BehaviourRules, identity: string) {
  const h = new Harness();
  h.hub.observers = [rules.observerFor];
  cleanups.push(() => h.close());
  const url = await h.listen();
  const connect = async () => {
    const client = rpcClient({
      endpoint: url + 'ocpp',
      identity,
      protocols: [SUBPROTOCOL_OF[v]],
      strictMode: true,
      strictModeValidators,
    });
    client.handle(async ({ method = '' }: { method?: string }) =>
      method === 'Reset' ? { status: 'Accepted' } : exampleResponse(v, method),
    );
    cleanups.push(() => client.close({ force: true }));
    await client.connect();
    await client.call('BootNotification', exampleRequest(v, 'BootNotification'));
    return client;
  };
  return { h, connect };
}

describe.each(['1.6', '2.0.1'] as OcppVersion[])('the engine rule clock, OCPP %s', (v) => {
  it('reports reset-no-reboot when the charger accepts a Reset and never reconnects, then stops', async () => {
    const rules = new BehaviourRules({ resetWindowMs: RESET_WINDOW_MS });
    const { h, connect } = await chargerThatAcceptsReset(v, rules, `GONE-${v}`);
    const client = await connect();
    const conn = h.endpoint.connections()[0]!;
    const outcome = await conn.sendCall('Reset', exampleRequest(v, 'Reset'), 5);
    expect(outcome.response?.msg?.type).toBe(3);
    await client.close({ code: 1000 });
    await h.waitFor((e) => e.kind === 'closed' && e.conn === conn.id);

    const note = await h.waitFor(resetNote, 15_000, 'reset-no-reboot');
    expect(note.conn).toBe(conn.id);
    const finding = note.kind === 'note' ? note.findings?.[0] : undefined;
    expect(finding?.related).toEqual([outcome.request.seq]);
    expect(finding?.message).toContain('did not reconnect');
    // After the connection closed, nothing came: the finding is the engine's clock's, in time order after the close.
    const closedAt = h.events.findIndex((e) => e.kind === 'closed' && e.conn === conn.id);
    expect(h.events.indexOf(note)).toBeGreaterThan(closedAt);
    expect(conn.findings).toBe(1);
    // Once, and the clock stops: nothing waits and no connection is live.
    expect(h.events.filter(resetNote)).toHaveLength(1);
    expect(rules.nextDeadline()).toBe(Number.POSITIVE_INFINITY);
    expect(h.hub.ruleClockRunning).toBe(false);
  });

  it('a charger that reconnects and boots after the Reset honours it: no finding, nothing left waiting', async () => {
    const rules = new BehaviourRules({ resetWindowMs: RESET_WINDOW_MS });
    const { h, connect } = await chargerThatAcceptsReset(v, rules, `BACK-${v}`);
    const first = await connect();
    const conn = h.endpoint.connections()[0]!;
    await conn.sendCall('Reset', exampleRequest(v, 'Reset'), 5);
    await first.close({ code: 1000 });
    await h.waitFor((e) => e.kind === 'closed' && e.conn === conn.id);
    expect(rules.nextDeadline()).toBeLessThan(Number.POSITIVE_INFINITY);
    expect(h.hub.ruleClockRunning).toBe(true);

    const second = await connect();
    expect(rules.nextDeadline()).toBe(Number.POSITIVE_INFINITY);
    const again = h.endpoint.connections().find((c) => c.id !== conn.id)!;
    await second.close({ code: 1000 });
    await h.waitFor((e) => e.kind === 'closed' && e.conn === again.id);
    expect(h.events.filter(resetNote)).toEqual([]);
    expect(h.findingCodes()).toEqual([]);
  });
});

describe('the engine rule clock and quiet connections', () => {
  it('passes a quiet connection by until a deadline, yet reports its silence when the deadline comes', async () => {
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      handleProtocols: (p) => [...p][0] ?? false,
    });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    await new Promise<void>((r) => wss.once('listening', () => r()));
    wss.on('connection', (ws) =>
      ws.on('message', (d) => {
        const [, id, action] = JSON.parse(String(d)) as [number, string, string];
        const payload =
          action === 'BootNotification'
            ? { status: 'Accepted', currentTime: new Date().toISOString(), interval: 1 }
            : { currentTime: new Date().toISOString() };
        ws.send(JSON.stringify([3, id, payload]));
      }),
    );
    const h = new Harness();
    cleanups.push(() => h.close());
    h.hub.observers = [new BehaviourRules({ heartbeatLateFactor: 1, heartbeatGraceMs: 0 }).observerFor];
    const conn = await h.station.connect({
      url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/QUIET`,
      protocols: ['1.6'],
    });
    await conn.sendCall('BootNotification', exampleRequest('1.6', 'BootNotification'));
    // A heartbeat within the interval keeps the station in time: nothing to report yet.
    await conn.sendCall('Heartbeat', {});
    expect(h.findingCodes(conn.id)).not.toContain('heartbeat-missing');
    // Then the station falls silent: no frame comes, only the clock can tell.
    const note = await h.waitFor(
      (e) =>
        e.kind === 'note' &&
        e.conn === conn.id &&
        (e.findings ?? []).some((f) => f.code === 'heartbeat-missing'),
      8000,
      'heartbeat-missing',
    );
    expect(note.kind).toBe('note');
    expect(h.findingCodes(conn.id).filter((c) => c === 'heartbeat-missing')).toHaveLength(1);
  });
});

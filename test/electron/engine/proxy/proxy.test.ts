import type { AddressInfo } from 'node:net';
import { RPCClient, RPCServer } from 'ocpp-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { EndpointSettings, HeldFrame } from '../../../../shared/api';
import type { FrameEvent, OpenedEvent } from '../../../../shared/capture/events';
import { exampleRequest, exampleResponse } from '../../../../shared/ocpp/examples';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { SUBPROTOCOL_OF } from '../../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../../shared/ocpp/versions';
import { DEFAULT_ENDPOINT_SETTINGS, upstreamTarget } from '../../../../electron/engine/endpoint/endpoint';
import { ScopeEngine } from '../../../../electron/engine/scope-engine';
import { Harness, tempDir } from '../engine-harness';
import { strictModeValidators, transactionEvent } from '../../../support/ocpp-rpc-strict';
import { Wake } from '../../../support/wake';
import { testTempDir } from '../../../support/temp-dirs';

const VERSIONS: OcppVersion[] = ['1.6', '2.0.1', '2.1'];
const CSMS_CALLS: Record<OcppVersion, string[]> = {
  '1.6': ['RemoteStartTransaction', 'GetConfiguration', 'Reset'],
  '2.0.1': ['RequestStartTransaction', 'GetVariables', 'Reset'],
  '2.1': ['RequestStartTransaction', 'GetVariables', 'Reset'],
};

let cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups = [];
});

interface Wire {
  out: string[];
  in: string[];
  failures: unknown[];
}

function watch(c: RPCClient): Wire {
  const w: Wire = { out: [], in: [], failures: [] };
  c.on('message', (m: { message: Buffer | string; outbound: boolean }) =>
    (m.outbound ? w.out : w.in).push(String(m.message)),
  );
  c.on('strictValidationFailure', (e: unknown) => w.failures.push(e));
  c.on('badMessage', (e: unknown) => w.failures.push(e));
  return w;
}

/** A strict ocpp-rpc CSMS on loopback that checks the charger's password and answers with example responses. */
async function upstreamCsms(v: OcppVersion, password?: string) {
  const server = new RPCServer({ protocols: [SUBPROTOCOL_OF[v]], strictMode: true, strictModeValidators });
  const seen: { identity: string; client: RPCClient; wire: Wire; protocols: string[] }[] = [];
  server.auth((accept, reject, handshake) => {
    if (password !== undefined && handshake.password?.toString('utf8') !== password)
      return reject(401, 'Unauthorized');
    accept();
  });
  server.on('client', (client: RPCClient) => {
    const wire = watch(client);
    let tx = 100;
    client.handle(async ({ method = '' }: { method?: string }) => {
      const r = exampleResponse(v, method);
      if (v === '1.6' && method === 'StartTransaction') r['transactionId'] = tx++;
      return r;
    });
    const h = (client as unknown as { handshake: { protocols: Set<string> } }).handshake;
    seen.push({ identity: client.identity ?? '', client, wire, protocols: [...h.protocols] });
  });
  const http = await server.listen(0, '127.0.0.1');
  cleanups.push(() => server.close({ force: true }));
  return { server, seen, url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/csms` };
}

function charger(
  v: OcppVersion,
  url: string,
  identity: string,
  password?: string,
): { client: RPCClient; wire: Wire } {
  const client = new RPCClient({
    endpoint: url,
    identity,
    protocols: [SUBPROTOCOL_OF[v]],
    strictMode: true,
    strictModeValidators,
    reconnect: false,
    ...(password !== undefined ? { password } : {}),
  } as never);
  const wire = watch(client);
  client.handle(async ({ method = '' }: { method?: string }) => exampleResponse(v, method));
  cleanups.push(() => client.close({ force: true }));
  return { client, wire };
}

async function transaction(v: OcppVersion, client: RPCClient): Promise<void> {
  const call = (action: string, payload: JsonObject) => client.call(action, payload) as Promise<JsonObject>;
  await call('BootNotification', exampleRequest(v, 'BootNotification'));
  await call('Heartbeat', {});
  if (v === '1.6') {
    const start = await call('StartTransaction', exampleRequest(v, 'StartTransaction'));
    const transactionId = start['transactionId'] as number;
    await call('MeterValues', { ...exampleRequest(v, 'MeterValues'), transactionId });
    await call('StopTransaction', { ...exampleRequest(v, 'StopTransaction'), transactionId });
  } else {
    const tx = { transactionId: 'TX-proxy-1' };
    await call('TransactionEvent', transactionEvent(v, 'Started', 'Authorized', 0, tx));
    await call(
      'TransactionEvent',
      transactionEvent(v, 'Ended', 'StopAuthorized', 1, { ...tx, stoppedReason: 'Local' }),
    );
  }
}

async function proxyHarness(upstream: EndpointSettings['upstream']): Promise<{ h: Harness; url: string }> {
  const h = new Harness();
  cleanups.push(() => h.close());
  const url = await h.listen({ upstream });
  return { h, url };
}

describe('upstreamTarget', () => {
  it('appends the last segment of the charger path, exactly as written, to the upstream base', () => {
    expect(upstreamTarget('ws://csms:9000/ocpp/', '/any/path/CP%201?x=1')).toBe('ws://csms:9000/ocpp/CP%201');
    expect(upstreamTarget('wss://csms/ocpp', '/CP1')).toBe('wss://csms/ocpp/CP1');
  });
});

describe.each(VERSIONS)('proxy between strict ocpp-rpc peers, OCPP %s', (v) => {
  it('forwards a whole session byte for byte, records every frame once with its sender and RTTs', async () => {
    const csms = await upstreamCsms(v, `pw-${v}`);
    const { h, url } = await proxyHarness({ url: csms.url });
    const identity = `PX-${v.replace(/\./g, '')}`;
    const { client, wire } = charger(v, url + 'site', identity, `pw-${v}`);
    await client.connect();
    expect(client.protocol).toBe(SUBPROTOCOL_OF[v]);
    await transaction(v, client);
    const up = csms.seen[0]!;
    expect(up.identity).toBe(identity);
    expect(up.protocols).toEqual([SUBPROTOCOL_OF[v]]);
    for (const action of CSMS_CALLS[v]) await up.client.call(action, exampleRequest(v, action));

    expect(wire.failures).toEqual([]);
    expect(up.wire.failures).toEqual([]);
    // Byte for byte, both ways.
    expect(up.wire.in).toEqual(wire.out);
    expect(wire.in).toEqual(up.wire.out);

    const proxy = h.hub.proxyList()[0]!;
    expect(proxy.version).toBe(v);
    const frames = h.of('frame', proxy.id);
    expect(frames.filter((f) => f.sender === 'station').map((f) => f.text)).toEqual(wire.out);
    expect(frames.filter((f) => f.sender === 'csms').map((f) => f.text)).toEqual(up.wire.out);
    expect(frames).toHaveLength(wire.out.length + up.wire.out.length);
    const responses = frames.filter((f) => f.msg?.type === 3);
    expect(responses).toHaveLength(frames.length / 2);
    for (const r of responses) expect(r.pair?.rttMs).toEqual(expect.any(Number));
    expect(responses.filter((r) => r.sender === 'station').map((r) => r.msg?.action)).toEqual(CSMS_CALLS[v]);
    expect(h.findingCodes(proxy.id)).toEqual([]);

    const opened = h.of('opened', proxy.id);
    expect(opened.map((o) => [o.ok, o.connection.role, o.connection.url])).toEqual([
      [true, 'proxy', `${csms.url}/${identity}`],
      [true, 'proxy', `${url}site/${identity}`],
    ]);
    // Our request upstream carried the charger's Basic auth; the charger got the upstream's subprotocol.
    const auth = opened[0]!.handshake.request.headers.find(([n]) => n.toLowerCase() === 'authorization');
    expect(auth?.[1]).toBe(`Basic ${Buffer.from(`${identity}:pw-${v}`).toString('base64')}`);
    expect(opened[1]!.handshake.chosenProtocol).toBe(SUBPROTOCOL_OF[v]);
    expect(opened[1]!.handshake.response?.startLine).toBe('HTTP/1.1 101 Switching Protocols');
  });
});

describe('proxy handshakes and closing', () => {
  it('an upstream refusal reaches the charger with the same status, and both handshakes are recorded', async () => {
    const csms = await upstreamCsms('1.6', 'right');
    const { h, url } = await proxyHarness({ url: csms.url });
    const ws = new WebSocket(url + 'CP-REFUSED', ['ocpp1.6'], {
      headers: { Authorization: `Basic ${Buffer.from('CP-REFUSED:wrong').toString('base64')}` },
    });
    const status = await new Promise<number>((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('the charger was accepted')));
      ws.once('error', () => undefined);
    });
    expect(status).toBe(401);
    const opened = await h.waitFor<OpenedEvent>(
      (e) => e.kind === 'opened' && e.handshake.response?.status === 401 && e.connection.url.startsWith(url),
    );
    const all = h.of('opened', opened.conn);
    expect(all.map((o) => o.ok)).toEqual([false, false]);
    expect(all[0]!.handshake.failure?.code).toBe('auth-failed');
    expect(all[1]!.handshake.findings.map((f) => f.code)).toContain('upstream-refused');
    expect(h.hub.proxy(opened.conn)?.state).toBe('failed');
  });

  it('an unreachable upstream gets the charger a 502 with the diagnosis', async () => {
    const dead = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => dead.once('listening', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const { h, url } = await proxyHarness({ url: `ws://127.0.0.1:${port}/csms` });
    const ws = new WebSocket(url + 'CP-NOWHERE', ['ocpp2.0.1']);
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => undefined);
    });
    expect(status).toBe(502);
    const opened = await h.waitFor<OpenedEvent>(
      (e) => e.kind === 'opened' && e.handshake.response?.status === 502,
    );
    expect(h.of('opened', opened.conn)[0]!.handshake.failure?.code).toBe('tcp-refused');
  });

  it('the charger closing closes the upstream with the same code, and the pair is closed once', async () => {
    const csms = await upstreamCsms('2.0.1');
    const { h, url } = await proxyHarness({ url: csms.url });
    const { client } = charger('2.0.1', url + 'cs', 'CP-CLOSE1');
    await client.connect();
    await client.call('Heartbeat', {});
    const upClosed = new Promise<{ code: number; reason: string }>((r) =>
      csms.seen[0]!.client.once('close', r),
    );
    await client.close({ code: 4001, reason: 'charger leaves' });
    expect(await upClosed).toMatchObject({ code: 4001, reason: 'charger leaves' });
    const proxy = h.hub.proxyList()[0]!;
    const closed = await h.waitFor((e) => e.kind === 'closed' && e.conn === proxy.id);
    expect(closed).toMatchObject({ code: 4001, reason: 'charger leaves', by: 'remote' });
    expect(h.of('closed', proxy.id)).toHaveLength(1);
    expect(proxy.state).toBe('closed');
  });

  it('the upstream closing closes the charger with the same code', async () => {
    const csms = await upstreamCsms('1.6');
    const { h, url } = await proxyHarness({ url: csms.url });
    const { client } = charger('1.6', url + 'cs', 'CP-CLOSE2');
    await client.connect();
    const chargerClosed = new Promise<{ code: number; reason: string }>((r) => client.once('close', r));
    await csms.seen[0]!.client.close({ code: 4002, reason: 'csms says bye' });
    expect(await chargerClosed).toMatchObject({ code: 4002, reason: 'csms says bye' });
    const proxy = h.hub.proxyList()[0]!;
    await h.waitFor((e) => e.kind === 'closed' && e.conn === proxy.id);
    expect(h.of('closed', proxy.id)).toMatchObject([{ code: 4002 }]);
  });
});

describe('proxy to a wss:// upstream with configured credentials', () => {
  it('logs in upstream with the configured Basic auth over TLS, whatever the charger sent', async () => {
    // The upstream is our own endpoint with security profile 2 (TLS + a password per identity).
    const upstream = new Harness();
    cleanups.push(() => upstream.close());
    const upUrl = await upstream.listen({
      securityProfile: 2,
      tls: { generateCertificate: true },
      acceptAnyPassword: false,
      passwords: { 'CP-TLS': 'upstream-secret' },
    });
    const dir = await tempDir();
    cleanups.push(() => dir.cleanup());
    const caFile = await dir.write('ca.pem', upstream.endpoint.status().caCertificatePem!);
    const { h, url } = await proxyHarness({
      url: upUrl + 'ocpp',
      basicAuth: { username: 'CP-TLS', password: 'upstream-secret' },
      tls: { caFile },
    });
    const { client, wire } = charger('2.0.1', url + 'cs', 'CP-TLS', 'what-the-charger-knows');
    await client.connect();
    const boot = (await client.call(
      'BootNotification',
      exampleRequest('2.0.1', 'BootNotification'),
    )) as JsonObject;
    expect(boot['status']).toBe('Accepted');
    expect(wire.failures).toEqual([]);
    const proxy = h.hub.proxyList()[0]!;
    const [up] = h.of('opened', proxy.id);
    expect(up?.connection.url).toBe(`${upUrl}ocpp/CP-TLS`);
    expect(up?.handshake.tls?.authorized).toBe(true);
    // The upstream endpoint saw our configured credentials, not the charger's.
    const seen = upstream.of('opened').find((e) => e.ok)!;
    expect(seen.handshake.basicAuth).toMatchObject({ username: 'CP-TLS', password: 'upstream-secret' });
    expect(seen.handshake.findings.map((f) => f.code)).toEqual([]);
  });
});

describe('proxy hold, edit and inject through the facade', () => {
  it('holds frames until released (edited), injects into either leg, and keeps injected answers from the other side', async () => {
    const v: OcppVersion = '1.6';
    const csms = await upstreamCsms(v);
    const engine = new ScopeEngine({
      dataDir: testTempDir('proxy'),
      noticeIntervalMs: 5,
    });
    cleanups.push(() => engine.close());
    const events: FrameEvent[] = [];
    engine.stream.subscribe((e) => {
      if (e.kind === 'frame') events.push(e);
    });
    let heldNotice: HeldFrame[] = [];
    engine.onNotices((ns) => {
      for (const n of ns) if (n.type === 'heldFrames') heldNotice = n.frames;
    });
    // Conditions below are re-checked on every event and notice the engine puts out.
    const wake = new Wake();
    engine.stream.subscribe(wake.notify);
    engine.onNotices(wake.notify);
    const status = await engine.startEndpoint({
      ...DEFAULT_ENDPOINT_SETTINGS,
      host: '127.0.0.1',
      port: 0,
      pingIntervalSec: 0,
      upstream: { url: csms.url, hold: { station: true } },
    });
    const { client, wire } = charger(v, `${status.urls[0]}cs`, 'CP-HOLD');
    await client.connect();
    const [conn] = await engine.listConnections();
    expect(conn).toMatchObject({
      role: 'proxy',
      proxy: { hold: { station: true, csms: false }, heldFrames: 0 },
    });

    // Held: the CSMS sees nothing until the user releases it, edited.
    const answer = client.call(
      'StatusNotification',
      exampleRequest(v, 'StatusNotification'),
    ) as Promise<JsonObject>;
    const held = await wake.until('a held frame', async () => (await engine.listHeldFrames())[0]);
    expect(held).toMatchObject({ connectionId: conn!.id, from: 'station' });
    expect(csms.seen[0]!.wire.in).toEqual([]);
    const edited = held.text.replace(/"status":"[A-Za-z]+"/, '"status":"Faulted"');
    expect(edited).not.toBe(held.text);
    const released = await engine.releaseHeld(conn!.id, held.seq, edited);
    expect(released.findings.map((f) => f.code)).toEqual(['proxy-edited']);
    await answer;
    expect(csms.seen[0]!.wire.in).toEqual([edited]);
    await wake.until('the held-frames notice to empty', () => heldNotice.length === 0);

    // Switching hold off lets frames through again.
    await engine.setProxyHold(conn!.id, 'station', false);
    await client.call('Heartbeat', {});

    // Injected towards the CSMS: answered, and the answer does not reach the charger.
    const chargerIn = wire.in.length;
    const inj = await engine.injectFrame(conn!.id, 'csms', '[2,"inj-1","Heartbeat",{}]');
    expect(inj.findings.map((f) => f.code)).toEqual(['proxy-injected']);
    const injAnswer = await wake.until('the answer to inj-1', () =>
      events.find((e) => e.msg?.id === 'inj-1' && e.msg.type === 3 && e.sender === 'csms'),
    );
    expect(injAnswer.pair?.partnerSeq).toBe(inj.seq);
    // Injected towards the charger: it answers; the CSMS never sees that answer.
    const upIn = csms.seen[0]!.wire.in.length;
    await engine.injectFrame(conn!.id, 'station', '[2,"inj-2","Reset",{"type":"Soft"}]');
    const resetAnswer = await wake.until('the answer to inj-2', () =>
      events.find((e) => e.msg?.id === 'inj-2' && e.msg.type === 3 && e.sender === 'station'),
    );
    expect(resetAnswer.pair?.rttMs).toEqual(expect.any(Number));
    await client.call('Heartbeat', {});
    expect(wire.in.slice(chargerIn).some((m) => m.includes('inj-1'))).toBe(false);
    expect(csms.seen[0]!.wire.in.slice(upIn).some((m) => m.includes('inj-2'))).toBe(false);
    expect(wire.failures).toEqual([]);
    expect(csms.seen[0]!.wire.failures).toEqual([]);
    await expect(engine.send(conn!.id, '[2,"x","Heartbeat",{}]')).rejects.toThrow(/injectFrame/);
  });
});

describe('proxy hold switch', () => {
  it('switching hold off forwards the held frames in order; a dropped frame is never forwarded and is noted', async () => {
    const csms = await upstreamCsms('1.6');
    const engine = new ScopeEngine({
      dataDir: testTempDir('proxy'),
      noticeIntervalMs: 5,
    });
    cleanups.push(() => engine.close());
    const notes: string[] = [];
    engine.stream.subscribe((e) => {
      if (e.kind === 'note') notes.push(e.text);
    });
    const wake = new Wake();
    engine.stream.subscribe(wake.notify);
    engine.onNotices(wake.notify);
    const status = await engine.startEndpoint({
      ...DEFAULT_ENDPOINT_SETTINGS,
      host: '127.0.0.1',
      port: 0,
      pingIntervalSec: 0,
      upstream: { url: csms.url },
    });
    const ws = new WebSocket(`${status.urls[0]}CP-ORDER`, ['ocpp1.6']);
    cleanups.push(async () => ws.terminate());
    const answers: string[] = [];
    ws.on('message', (d) => {
      answers.push(String(d));
      wake.notify();
    });
    await new Promise((r, e) => (ws.once('open', r), ws.once('error', e)));
    const [conn] = await engine.listConnections();
    expect((await engine.setProxyHold(conn!.id, 'station', true)).hold.station).toBe(true);
    const frames = ['a', 'b', 'c', 'd'].map((id) => `[2,"${id}","Heartbeat",{}]`);
    for (const f of frames) ws.send(f);
    // Upper bounds for event waits on 2 shared cores, not timings: generous.
    const held = await wake.until(
      'four held frames',
      async () => {
        const list = await engine.listHeldFrames();
        return list.length === 4 ? list : undefined;
      },
      15_000,
    );
    expect(held.map((h) => h.text)).toEqual(frames);
    await engine.dropHeld(conn!.id, held[3]!.seq);
    expect(notes.some((n) => n.includes(`seq ${held[3]!.seq}`) && n.includes('dropped'))).toBe(true);
    await engine.setProxyHold(conn!.id, 'station', false);
    await wake.until('three answers', () => answers.length === 3, 15_000);
    expect(csms.seen[0]!.wire.in).toEqual(frames.slice(0, 3));
    expect(answers.map((a) => JSON.parse(a)[1])).toEqual(['a', 'b', 'c']);
    expect(await engine.listHeldFrames()).toEqual([]);
    await expect(engine.releaseHeld(conn!.id, held[3]!.seq)).rejects.toThrow(/No held frame/);
  });
});

import { connect as netConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Harness } from '../engine-harness';

let cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function client(
  url: string,
  protocols: string[] | undefined,
  options: WebSocket.ClientOptions = {},
): WebSocket {
  const ws = protocols ? new WebSocket(url, protocols, options) : new WebSocket(url, options);
  ws.on('error', () => {});
  cleanups.push(() => ws.terminate());
  return ws;
}
const opened = (ws: WebSocket): Promise<void> =>
  new Promise((r, j) => (ws.once('open', () => r()), ws.once('error', j)));
const nextMessage = (ws: WebSocket): Promise<string> =>
  new Promise((r) => ws.once('message', (d) => r(String(d))));

/** Sends raw bytes and returns everything the server wrote until it closed. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const s = netConnect(port, '127.0.0.1', () => s.write(text));
    let got = '';
    s.on('data', (d) => (got += String(d)));
    s.on('close', () => resolve(got));
    s.on('error', () => {});
    setTimeout(() => s.destroy(), 3000).unref();
  });
}

async function started(
  settings: Parameters<Harness['listen']>[0] = {},
): Promise<{ h: Harness; url: string; port: number }> {
  const h = new Harness();
  cleanups.push(() => h.close());
  const url = await h.listen(settings);
  return { h, url, port: Number(new URL(url).port) };
}

describe('endpoint handshake', () => {
  it('records the request line and raw headers in wire order and case, duplicates kept', async () => {
    const { h, port } = await started();
    const reply = rawExchange(
      port,
      'GET /ocpp/site%201/CP%2F9 HTTP/1.1\r\nHost: 127.0.0.1\r\nupgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n' +
        'X-Vendor: first\r\nx-vendor: second\r\n\r\n',
    );
    const e = await h.waitFor((x) => x.kind === 'opened');
    if (e.kind !== 'opened') throw new Error('not opened');
    expect(e.ok).toBe(true);
    expect(e.connection.identity).toBe('CP/9');
    expect(e.handshake.request.startLine).toBe('GET /ocpp/site%201/CP%2F9 HTTP/1.1');
    expect(e.handshake.request.headers).toEqual([
      ['Host', '127.0.0.1'],
      ['upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ['Sec-WebSocket-Version', '13'],
      ['Sec-WebSocket-Protocol', 'ocpp1.6'],
      ['X-Vendor', 'first'],
      ['x-vendor', 'second'],
    ]);
    expect(e.handshake.remote?.address).toBe('127.0.0.1');
    expect(e.handshake.local?.port).toBe(port);
    expect(e.handshake.response?.startLine).toBe('HTTP/1.1 101 Switching Protocols');
    expect(e.handshake.response?.headers).toContainEqual([
      'Sec-WebSocket-Accept',
      's3pPLMBiTxaQ9kYGzzhZRbK+xOo=',
    ]);
    expect(e.handshake.response?.headers).toContainEqual(['Sec-WebSocket-Protocol', 'ocpp1.6']);
    h.endpoint.connections()[0]?.terminate();
    await reply;
  });

  it('chooses by our order of preference among the offered subprotocols', async () => {
    const { h, url } = await started({ protocols: ['2.0.1', '1.6'] });
    const ws = client(url + 'CP', ['ocpp1.6', 'ocpp2.0.1']);
    await opened(ws);
    expect(ws.protocol).toBe('ocpp2.0.1');
    const e = h.of('opened')[0]!;
    expect(e.handshake.offeredProtocols).toEqual(['ocpp1.6', 'ocpp2.0.1']);
    expect(e.connection.version).toBe('2.0.1');
  });

  it('a charger offering no subprotocol is accepted for diagnosis (read as the first version), with findings', async () => {
    const { h, url } = await started({ unknownProtocol: 'accept' });
    const ws = client(url + 'NOPROTO', undefined);
    await opened(ws);
    const answer = nextMessage(ws);
    ws.send('[2,"1","Heartbeat",{}]');
    expect(JSON.parse(await answer)[0]).toBe(3);
    const e = h.of('opened')[0]!;
    expect(e.handshake.findings.map((f) => f.code)).toEqual(['no-subprotocol-offered', 'assumed-version']);
    expect(e.handshake.response?.headers.map(([n]) => n.toLowerCase())).not.toContain(
      'sec-websocket-protocol',
    );
  });

  it('with accept, a charger offering only an older subprotocol is accepted with its own, and its frames are read', async () => {
    const { h, url } = await started({ unknownProtocol: 'accept' });
    const ws = client(url + 'OLD', ['ocpp1.5']);
    await opened(ws);
    expect(ws.protocol).toBe('ocpp1.5');
    const answer = nextMessage(ws);
    ws.send('[2,"1","Heartbeat",{}]');
    expect(JSON.parse(await answer)[0]).toBe(3);
    const e = h.of('opened')[0]!;
    expect(e.handshake.findings.map((f) => f.code)).toEqual(['no-supported-subprotocol', 'assumed-version']);
    expect(e.connection.version).toBe('1.6');
  });

  it('with refuse, a charger offering only unsupported subprotocols gets 400 and a named finding', async () => {
    const { h, url } = await started({ unknownProtocol: 'refuse' });
    const ws = client(url + 'OLD', ['ocpp1.5']);
    const status = await new Promise<number>((r) =>
      ws.on('unexpected-response', (_q, res) => r(res.statusCode ?? 0)),
    );
    expect(status).toBe(400);
    const e = await h.waitFor((x) => x.kind === 'opened');
    if (e.kind !== 'opened') throw new Error('not opened');
    expect(e.ok).toBe(false);
    const f = e.handshake.findings.find((x) => x.code === 'no-supported-subprotocol');
    expect(f?.message).toContain('ocpp1.5 is an older OCPP version');
    expect(e.handshake.response?.body).toContain('ocpp1.6');
  });

  it('an upgrade without "Connection: Upgrade" is answered 426 and named missing-connection-upgrade', async () => {
    const { h, port } = await started();
    const reply = await rawExchange(
      port,
      'GET /CP HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\nConnection: close\r\n\r\n',
    );
    expect(reply.startsWith('HTTP/1.1 426')).toBe(true);
    const e = await h.waitFor((x) => x.kind === 'opened');
    expect(h.findingCodes(e.conn)).toEqual(['missing-connection-upgrade']);
  });

  it('reports a URL for the chosen host and port, and every local address when listening on all', async () => {
    const { url, port } = await started();
    expect(url).toBe(`ws://127.0.0.1:${port}/`);
    const h2 = new Harness();
    cleanups.push(() => h2.close());
    const status = await h2.endpoint.start({
      ...(await import('../../../../electron/engine/endpoint/endpoint')).DEFAULT_ENDPOINT_SETTINGS,
      host: '0.0.0.0',
      port: 0,
    });
    expect(status.urls.length).toBeGreaterThanOrEqual(1);
    expect(status.urls).toContain(`ws://127.0.0.1:${status.port}/`);
  });

  it('a busy port is reported as a sentence, not a crash', async () => {
    const { port } = await started();
    const h2 = new Harness();
    const status = await h2.endpoint.start({
      ...(await import('../../../../electron/engine/endpoint/endpoint')).DEFAULT_ENDPOINT_SETTINGS,
      host: '127.0.0.1',
      port,
    });
    expect(status.running).toBe(false);
    expect(status.error).toContain('already in use');
  });
});

describe('auto-answer, send and timeouts', () => {
  it('hold keeps the call for a manual answer with a suggested response; payload and callerror answer as told', async () => {
    const { h, url } = await started();
    h.hub.answers.setPolicies([
      { version: '1.6', action: 'Authorize', mode: 'hold' },
      { version: '1.6', action: 'DataTransfer', mode: 'payload', payload: '{"status":"Weird"' },
      {
        version: '1.6',
        action: 'Heartbeat',
        mode: 'callerror',
        errorCode: 'InternalError',
        errorDescription: 'down',
      },
    ]);
    const ws = client(url + 'CP', ['ocpp1.6']);
    await opened(ws);
    const heldChanged = new Promise((r) => h.hub.once('held', r));
    ws.send('[2,"a1","Authorize",{"idTag":"T1"}]');
    await heldChanged;
    const held = h.hub.held();
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ messageId: 'a1', action: 'Authorize', version: '1.6' });
    expect(JSON.parse(held[0]!.suggestedResponse)).toEqual([3, 'a1', { idTagInfo: { status: 'Accepted' } }]);
    const answer = nextMessage(ws);
    const conn = h.hub.get(held[0]!.connectionId)!;
    const sent = conn.answerHeld('a1', '[3,"a1",{"idTagInfo":{"status":"Blocked"}}]');
    expect(await answer).toBe('[3,"a1",{"idTagInfo":{"status":"Blocked"}}]');
    expect(sent.pair?.partnerSeq).toBe(held[0]!.seq);
    expect(h.hub.held()).toEqual([]);

    const p = nextMessage(ws);
    ws.send('[2,"d1","DataTransfer",{"vendorId":"v"}]');
    expect(await p).toBe('[3,"d1",{"status":"Weird"]');
    const c = nextMessage(ws);
    ws.send('[2,"h1","Heartbeat",{}]');
    expect(JSON.parse(await c)).toEqual([4, 'h1', 'InternalError', 'down', {}]);
  });

  it('an unknown action is answered NotImplemented; send() sends invalid text exactly and attaches findings', async () => {
    const { h, url } = await started();
    const ws = client(url + 'CP', ['ocpp2.0.1']);
    await opened(ws);
    const m = nextMessage(ws);
    ws.send('[2,"u1","MakeCoffee",{}]');
    expect(JSON.parse(await m).slice(0, 3)).toEqual([4, 'u1', 'NotImplemented']);
    const conn = h.endpoint.connections()[0]!;
    const text = '[2, "x1", "Reset", {"type": "Sometime"}]';
    const got = nextMessage(ws);
    const event = conn.send(text);
    expect(await got).toBe(text);
    expect(event.text).toBe(text);
    expect(event.findings.length).toBeGreaterThan(0);
    expect(event.findings[0]?.path).toBe('/type');
  });

  it('a CALL that gets no answer times out with a finding; a late answer is still paired and named', async () => {
    const { h, url } = await started();
    const ws = client(url + 'CP', ['ocpp1.6']);
    await opened(ws);
    const conn = h.endpoint.connections()[0]!;
    const incoming = nextMessage(ws);
    const outcome = await conn.sendCall('Reset', { type: 'Soft' }, 0.2);
    expect(outcome.timedOut).toBe(true);
    expect(h.findingCodes(conn.id)).toContain('call-timeout');
    const [, id] = JSON.parse(await incoming) as [number, string];
    ws.send(`[3,"${id}",{"status":"Accepted"}]`);
    const late = await h.waitFor((e) => e.kind === 'frame' && e.sender === 'station' && e.msg?.id === id);
    if (late.kind !== 'frame') throw new Error('not a frame');
    expect(late.findings.map((f) => f.code)).toEqual(['response-after-timeout']);
    expect(late.pair?.partnerSeq).toBe(outcome.request.seq);
    expect(late.msg?.action).toBe('Reset');
  });
});

describe('pings', () => {
  it('records ping and pong with a round-trip time', async () => {
    const { h, url } = await started({ pingIntervalSec: 0.1 });
    const ws = client(url + 'CP', ['ocpp1.6']);
    await opened(ws);
    const pong = await h.waitFor((e) => e.kind === 'pong' && e.sender === 'station');
    if (pong.kind !== 'pong') throw new Error('not a pong');
    expect(pong.rttMs).toBeGreaterThanOrEqual(0);
    expect(h.endpoint.connections()[0]?.status().lastRttMs).toBeDefined();
  });

  it('a peer that stops answering pings is detected as dead and dropped', async () => {
    const { h, url } = await started({ pingIntervalSec: 0.1 });
    const ws = client(url + 'CP', ['ocpp1.6'], { autoPong: false });
    await opened(ws);
    const closed = await h.waitFor((e) => e.kind === 'closed', 5000, 'closed');
    expect(h.findingCodes(closed.conn)).toContain('dead-peer');
    expect(closed).toMatchObject({ by: 'local', clean: false });
  });
});

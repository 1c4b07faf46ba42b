import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fragmentList, keepFragmentList } from '../../../../electron/engine/connections/ws-fragments';
import { cleanupsAfterEach } from '../../../support/cleanups';
import { nextEvent } from '../../../support/wake';
import { loopbackWsPair } from '../../../support/ws-pair';
import { Harness } from '../engine-harness';

const cleanups = cleanupsAfterEach();

const listOf = (ws: WebSocket): unknown =>
  (ws as unknown as { _receiver: { _fragments: unknown } })._receiver._fragments;

/** Sends `parts` as one message in that many frames (continuation frames after the first), in one write. */
function sendInFrames(client: WebSocket, parts: string[]): void {
  parts.forEach((p, i) => client.send(p, { fin: i === parts.length - 1 }));
}

describe('ws fragment list kept per socket', () => {
  it('every message arrives whole, and after each the socket holds its own list again, empty', async () => {
    const { server, client } = await loopbackWsPair(cleanups);
    const kept = fragmentList(server)!;
    expect(kept).toEqual([]);
    const got: string[] = [];
    const lists: unknown[] = [];
    const all = new Promise<void>((resolve) =>
      server.on('message', (data: Buffer) => {
        got.push(data.toString());
        keepFragmentList(server, kept);
        lists.push(listOf(server));
        if (got.length === 5) resolve();
      }),
    );
    const raw = (client as unknown as { _socket: Socket })._socket;
    // A burst in one write (several messages from one read), then a message split over three frames, another burst.
    raw.cork();
    client.send('[2,"a","Heartbeat",{}]');
    client.send('[2,"b","Heartbeat",{}]');
    sendInFrames(client, ['[2,"c","Data', 'Transfer",{"vendorId":', '"x"}]']);
    client.send('[2,"d","Heartbeat",{}]');
    raw.uncork();
    client.send('[2,"e","Heartbeat",{}]');
    await all;
    expect(got).toEqual([
      '[2,"a","Heartbeat",{}]',
      '[2,"b","Heartbeat",{}]',
      '[2,"c","DataTransfer",{"vendorId":"x"}]',
      '[2,"d","Heartbeat",{}]',
      '[2,"e","Heartbeat",{}]',
    ]);
    // Not the fresh list ws made after each message (which would live until the next one): the socket's own.
    for (const l of lists) expect(l).toBe(kept);
    expect(kept).toEqual([]);
  });

  it('a list ws hands over as the data itself (binaryType fragments) is left alone', async () => {
    const { server, client } = await loopbackWsPair(cleanups);
    server.binaryType = 'fragments';
    const kept = fragmentList(server)!;
    const received = nextEvent<[Buffer[]]>(server, 'message', 'the message');
    client.send(Buffer.from('ab'), { binary: true, fin: false });
    client.send(Buffer.from('cd'), { binary: true, fin: true });
    const [data] = await received;
    keepFragmentList(server, kept);
    expect(Buffer.concat(data).toString()).toBe('abcd');
    expect(listOf(server)).not.toBe(kept);
  });
});

describe('endpoint with the fragment list kept', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers calls split over frames and calls arriving in one read, each once and in order', async () => {
    h = new Harness();
    const url = await h.listen();
    const ws = new WebSocket(`${url}CP1`, ['ocpp1.6']);
    cleanups.push(async () => ws.terminate());
    await nextEvent(ws, 'open', 'the charger open');
    const answers: string[] = [];
    const all = new Promise<void>((resolve) =>
      ws.on('message', (data: Buffer) => {
        answers.push((JSON.parse(data.toString()) as [number, string])[1]);
        if (answers.length === 4) resolve();
      }),
    );
    const raw = (ws as unknown as { _socket: Socket })._socket;
    raw.cork();
    ws.send('[2,"h1","Heartbeat",{}]');
    sendInFrames(ws, ['[2,"h2","Heart', 'beat",{}]']);
    ws.send('[2,"h3","Heartbeat",{}]');
    raw.uncork();
    sendInFrames(ws, ['[2,"h4",', '"Heartbeat",', '{}]']);
    await all;
    expect(answers).toEqual(['h1', 'h2', 'h3', 'h4']);
    const conn = h.endpoint.connections()[0]!;
    const calls = h.of('frame', conn.id).filter((e) => e.sender === 'station');
    expect(calls.map((e) => [e.msg?.id, e.findings.length])).toEqual([
      ['h1', 0],
      ['h2', 0],
      ['h3', 0],
      ['h4', 0],
    ]);
  });
});

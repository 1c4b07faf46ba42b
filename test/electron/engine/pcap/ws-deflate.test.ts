import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { decodePcap } from '../../../../electron/engine/pcap/pcap-import';
import { WsDecoder } from '../../../../electron/engine/pcap/ws-decoder';
import type { WsMessage } from '../../../../electron/engine/pcap/ws-decoder';
import type { FrameEvent, ScopeEvent } from '../../../../shared/capture/events';
import type { Finding } from '../../../../shared/capture/events';
import { captureLoopback, tsharkWebSocket } from './loopback-capture';
import { suiteTempDir } from '../../../support/temp-dirs';

const dir = suiteTempDir('pcap-deflate');

function frames(events: readonly Omit<ScopeEvent, 'seq'>[]): FrameEvent[] {
  return events.filter((e): e is FrameEvent => e.kind === 'frame');
}

/** A compressing CSMS (ws's permessage-deflate, context takeover on) that answers every CALL with `answer(i)`. */
async function deflateServer(
  answer: (id: string) => string,
): Promise<{ wss: WebSocketServer; port: number }> {
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: () => 'ocpp1.6',
    perMessageDeflate: { threshold: 0 },
    maxPayload: 64 << 20,
  });
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', (s) =>
    s.on('message', (d) => s.send(answer((JSON.parse(String(d)) as string[])[1]!))),
  );
  return { wss, port: (wss.address() as AddressInfo).port };
}

async function client(port: number, identity: string): Promise<WebSocket> {
  const c = new WebSocket(`ws://127.0.0.1:${port}/${identity}`, ['ocpp1.6'], {
    perMessageDeflate: { threshold: 0 },
  });
  await new Promise((r, j) => {
    c.once('open', r);
    c.once('error', j);
  });
  return c;
}

function call(c: WebSocket, text: string): Promise<void> {
  return new Promise((resolve) => {
    c.once('message', () => resolve());
    c.send(text);
  });
}

describe('permessage-deflate in a pcap', () => {
  it('a real compressed session (context takeover, several MB) decodes fully and matches tshark', async () => {
    // Each answer repeats much of the one before: with context takeover later messages refer back to earlier ones.
    const meter = (i: number): string =>
      JSON.stringify([
        2,
        `m${i}`,
        'DataTransfer',
        {
          vendorId: 'scope',
          data: Array.from({ length: 1000 }, (_, k) => `${k}:${(i * 7919 + k) % 1000}`).join(','),
        },
      ]);
    const { wss, port } = await deflateServer((id) =>
      JSON.stringify([3, id, { status: 'Accepted', data: id }]),
    );
    const f = join(dir, 'session.pcap');
    const sent: string[] = [];
    await captureLoopback(f, [port], async () => {
      const c = await client(port, 'CP-D');
      for (let i = 0; i < 300; i++) {
        sent.push(meter(i));
        await call(c, sent[i]!);
      }
      c.close();
      await new Promise((r) => c.once('close', r));
    });
    wss.close();
    const d = decodePcap(readFileSync(f));
    const ours = frames(d.events);
    expect(ours).toHaveLength(600);
    expect(ours.every((e) => !e.binary && e.findings.length === 0)).toBe(true);
    expect(ours.filter((e) => e.sender === 'station').map((e) => e.text)).toEqual(sent);
    const inflated = ours.reduce((n, e) => n + e.text.length, 0);
    expect(inflated).toBeGreaterThan(2 << 20);
    const theirs = tsharkWebSocket(f, [port]).flatMap((r) => r.text);
    expect(ours.map((e) => e.text)).toEqual(theirs);
  });

  it('a deflate bomb is cut with a finding; the other side and later connections still decode', async () => {
    const { wss, port } = await deflateServer((id) => JSON.stringify([3, id, {}]));
    const f = join(dir, 'bomb.pcap');
    const bomb = JSON.stringify([2, 'bomb', 'DataTransfer', { vendorId: 'x', data: '0'.repeat(20 << 20) }]);
    await captureLoopback(f, [port], async () => {
      const c = await client(port, 'CP-BOMB');
      await call(c, bomb);
      await call(c, '[2,"after","Heartbeat",{}]');
      c.close();
      await new Promise((r) => c.once('close', r));
    });
    wss.close();
    const d = decodePcap(readFileSync(f));
    const all = frames(d.events);
    const station = all.filter((e) => e.sender === 'station');
    expect(station).toHaveLength(2);
    // Shown as the compressed bytes it is (some kilobytes), never as 20 MB of text.
    expect(station[0]!.binary).toBe(true);
    expect(station[0]!.text.length).toBeLessThan(1 << 20);
    expect(station[0]!.findings.map((x) => x.code)).toContain('pcap-inflate-too-large');
    expect(station[1]!.findings.map((x) => x.code)).toContain('pcap-inflate-too-large');
    // The CSMS side is untouched.
    const csms = all.filter((e) => e.sender === 'csms');
    expect(csms.map((e) => e.text)).toEqual(['[3,"bomb",{}]', '[3,"after",{}]']);
  });

  it('all connections of one import share one budget: past it, messages stay compressed with a finding', () => {
    const budget = { left: 3 << 20 };
    const got: WsMessage[] = [];
    const failed: Finding[] = [];
    const decoders = Array.from(
      { length: 8 },
      () =>
        new WsDecoder(
          false,
          () => true,
          (m) => got.push(m),
          (x) => failed.push(x),
          budget,
        ),
    );
    // Each message: 1 MB of zeros, a few kB compressed (no context takeover needed: each stands alone).
    const one = deflateRawSync(Buffer.alloc(1 << 20, 0x30));
    const payload = one.subarray(0, one.length);
    const header = Buffer.from([0xc1, 127, 0, 0, 0, 0, 0, 0, 0, 0]);
    header.writeUInt32BE(payload.length, 6);
    for (const d of decoders) d.push(Buffer.concat([header, payload]), 0);
    const texts = got.filter((m) => m.kind === 'text');
    const binary = got.filter((m) => m.kind === 'binary');
    // 3 MB allowed: three inflate, the rest are kept compressed, and the total inflated stays within the budget.
    expect(texts).toHaveLength(3);
    expect(binary).toHaveLength(5);
    expect(texts.reduce((n, m) => n + (m.kind === 'text' ? m.text.length : 0), 0)).toBeLessThanOrEqual(
      3 << 20,
    );
    expect(failed.map((x) => x.code).every((c) => c === 'pcap-inflate-budget')).toBe(true);
    expect(failed.length).toBeGreaterThan(0);
  });
});

import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { decodePcap, decodePcapTo } from '../../../../electron/engine/pcap/pcap-import';
import type { Unstamped } from '../../../../electron/engine/pcap/pcap-import';
import {
  MAX_INFLATED_IMPORT,
  MAX_INFLATED_MESSAGE,
  WsDecoder,
} from '../../../../electron/engine/pcap/ws-decoder';
import type { WsMessage } from '../../../../electron/engine/pcap/ws-decoder';
import type { FrameEvent, ScopeEvent } from '../../../../shared/capture/events';
import type { Finding } from '../../../../shared/capture/events';
import { captureLoopback, tsharkWebSocket } from './loopback-capture';
import { syntheticPcap, wsFrame } from './synthetic-pcap';
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

  it('a deflate bomb is cut with a finding and bounded memory; the other side and later connections still decode', async () => {
    const { wss, port } = await deflateServer((id) => JSON.stringify([3, id, {}]));
    const f = join(dir, 'bomb.pcap');
    const bomb = JSON.stringify([2, 'bomb', 'DataTransfer', { vendorId: 'x', data: '0'.repeat(20 << 20) }]);
    // A well-behaved compressed connection after the bomb's: its messages refer back to each other.
    const later = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify([2, `ok${i}`, 'DataTransfer', { vendorId: 'x', data: 'meter '.repeat(200 + i) }]),
    );
    await captureLoopback(f, [port], async () => {
      const c = await client(port, 'CP-BOMB');
      await call(c, bomb);
      await call(c, '[2,"after","Heartbeat",{}]');
      c.close();
      await new Promise((r) => c.once('close', r));
      const ok = await client(port, 'CP-OK');
      for (const t of later) await call(ok, t);
      ok.close();
      await new Promise((r) => ok.once('close', r));
    });
    wss.close();
    const pcap = readFileSync(f);
    // Memory outside the heap (where typed arrays live) while the capture decodes, sampled at every event: the bomb's
    // buffer stops growing at the per-message cap. Uncut, the 20 MB message would take a 64 MB buffer.
    const events: Unstamped[] = [];
    const before = process.memoryUsage().arrayBuffers;
    let most = 0;
    decodePcapTo(pcap, (e) => {
      most = Math.max(most, process.memoryUsage().arrayBuffers - before);
      events.push(e);
    });
    expect(most).toBeLessThan(2 * MAX_INFLATED_MESSAGE);
    const all = events.filter((e): e is Unstamped & FrameEvent => e.kind === 'frame');
    const conns = [...new Set(all.map((e) => e.conn))];
    expect(conns).toHaveLength(2);
    const station = all.filter((e) => e.conn === conns[0] && e.sender === 'station');
    expect(station).toHaveLength(2);
    // Shown as the compressed bytes it is (some kilobytes), never as 20 MB of text.
    expect(station[0]!.binary).toBe(true);
    expect(station[0]!.text.length).toBeLessThan(1 << 20);
    expect(station[0]!.findings.map((x) => x.code)).toContain('pcap-inflate-too-large');
    expect(station[1]!.findings.map((x) => x.code)).toContain('pcap-inflate-too-large');
    // The CSMS side is untouched.
    const csms = all.filter((e) => e.conn === conns[0] && e.sender === 'csms');
    expect(csms.map((e) => e.text)).toEqual(['[3,"bomb",{}]', '[3,"after",{}]']);
    // The later connection decodes fully: every message inflated, no finding.
    const ok = all.filter((e) => e.conn === conns[1]);
    expect(ok.filter((e) => e.sender === 'station').map((e) => e.text)).toEqual(later);
    expect(ok.filter((e) => e.sender === 'csms')).toHaveLength(later.length);
    expect(ok.every((e) => !e.binary && e.findings.length === 0)).toBe(true);
  });

  it('a capture inflating to more than 256 MB in all decodes every message: the budget bounds what is held at once', () => {
    // 96 messages of 3 MiB (288 MiB), both sides of one connection in turn, each a few kB compressed: the body is
    // compressed once and put between the message's own head and tail, each block ending on a sync flush (a message
    // compressed so is one a sender with context takeover could send).
    const body = 'x'.repeat(3 << 20);
    const flushed = (t: string): Buffer => deflateRawSync(t, { finishFlush: constants.Z_SYNC_FLUSH });
    const zBody = flushed(body);
    const head = (i: number): string => `[2,"m${i}","DataTransfer",{"vendorId":"x","data":"${i}:`;
    const tail = '"}]';
    const zTail = flushed(tail);
    const count = 96;
    expect(count * body.length).toBeGreaterThan(MAX_INFLATED_IMPORT);
    const pcap = syntheticPcap(
      Array.from({ length: count }, (_, i) => {
        const z = Buffer.concat([flushed(head(i)), zBody, zTail.subarray(0, zTail.length - 4)]);
        const fromClient = i % 2 === 0;
        return { fromClient, bytes: wsFrame(z, { masked: fromClient, compressed: true }) };
      }),
      1460,
      'permessage-deflate',
    );
    expect(pcap.length).toBeLessThan(2 << 20);
    // Each message is checked as it comes and let go (collected, they would be 288 MiB of text).
    let whole = 0;
    const problems: string[] = [];
    decodePcapTo(pcap, (e) => {
      if (e.kind === 'note') problems.push(...(e.findings ?? []).map((x) => x.code));
      if (e.kind !== 'frame') return;
      const i = whole;
      if (!e.binary && e.findings.length === 0 && e.text === head(i) + body + tail) whole++;
      else problems.push(`message ${i}`);
    });
    expect(problems).toEqual([]);
    expect(whole).toBe(count);
  });

  it('connections holding big inflated messages at once cannot hold more than the budget together: the one that would pass it is cut, with a finding', () => {
    // A budget of 10 MiB (the import's is 256 MiB) and messages of 3 MiB: an inflater holds a 4 MiB buffer for one.
    const budget = { left: 10 << 20 };
    const got = new Map<string, WsMessage[]>();
    const failed = new Map<string, Finding[]>();
    const conn = (name: string): WsDecoder => {
      got.set(name, []);
      failed.set(name, []);
      return new WsDecoder(
        false,
        () => true,
        (m) => got.get(name)!.push(m),
        (x) => failed.get(name)!.push(x),
        budget,
      );
    };
    // 3 MiB of one byte, a few kB compressed (each message stands alone: no context takeover needed).
    const big = wsFrame(deflateRawSync(Buffer.alloc(3 << 20, 0x30)), { masked: false, compressed: true });
    const small = wsFrame(deflateRawSync('[3,"1",{}]'), { masked: false, compressed: true });
    const kinds = (name: string): string[] => got.get(name)!.map((m) => m.kind);
    const codes = (name: string): string[] => failed.get(name)!.map((x) => x.code);
    const lowest = { left: budget.left };
    const push = (d: WsDecoder, frame: Uint8Array): void => {
      d.push(frame, 0);
      lowest.left = Math.min(lowest.left, budget.left);
    };

    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(conn);
    for (const x of [a!, b!, c!, d!]) push(x, big);
    // a and b hold theirs (8 MiB): c's would pass 10 MiB, so c is cut, and so is d; neither holds anything after.
    expect(['a', 'b', 'c', 'd'].map(kinds)).toEqual([['text'], ['text'], ['binary'], ['binary']]);
    expect(['a', 'b', 'c', 'd'].map(codes)).toEqual([
      [],
      [],
      ['pcap-inflate-budget'],
      ['pcap-inflate-budget'],
    ]);
    expect(failed.get('c')![0]!.message).toContain('CSMS side');
    expect(budget.left).toBe(2 << 20);
    // a ends, and gives back what it held: a new connection inflates a big message again.
    a!.end();
    expect(budget.left).toBe(6 << 20);
    const e = conn('e');
    push(e, big);
    expect(kinds('e')).toEqual(['text']);
    // b's next message is small: the 4 MiB that held the one before are given back (the buffer shrinks).
    push(b!, small);
    expect(kinds('b')).toEqual(['text', 'text']);
    const f = conn('f');
    push(f, big);
    expect(kinds('f')).toEqual(['text']);
    expect(codes('e')).toEqual([]);
    expect(codes('f')).toEqual([]);
    // At no point did the connections hold more than the budget.
    expect(lowest.left).toBeGreaterThanOrEqual(0);
    // Every message that was inflated was inflated whole.
    const texts = (name: string): string[] => got.get(name)!.map((m) => (m.kind === 'text' ? m.text : ''));
    const whole = '0'.repeat(3 << 20);
    expect(['a', 'e', 'f'].map(texts)).toEqual([[whole], [whole], [whole]]);
    expect(texts('b')).toEqual([whole, '[3,"1",{}]']);
  });
});

import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePcap } from '../../../../electron/engine/pcap/pcap-import';
import { MAX_INFLATED_MESSAGE, MessageInflater } from '../../../../electron/engine/pcap/message-inflater';
import { WsDecoder } from '../../../../electron/engine/pcap/ws-decoder';
import type { WsMessage } from '../../../../electron/engine/pcap/ws-decoder';
import type { Finding, FrameEvent } from '../../../../shared/capture/events';
import { deflateMessages } from './deflate-messages';
import { syntheticPcap, wsFrame } from './synthetic-pcap';

const deflated = (texts: string[]): Promise<Uint8Array[]> => deflateMessages(texts);

/** Each message repeats most of the one before: with context takeover, later ones are mostly back-references. */
const texts = Array.from({ length: 120 }, (_, i) =>
  JSON.stringify([
    2,
    `m${i}`,
    'MeterValues',
    {
      connectorId: 1,
      meterValue: [{ timestamp: '2026-12-06T08:00:00Z', sampledValue: [{ value: String(i) }] }],
    },
  ]),
);

function decoder(got: WsMessage[], failed: Finding[]): WsDecoder {
  return new WsDecoder(
    true,
    () => true,
    (m) => got.push(m),
    (f) => failed.push(f),
  );
}

const text = (m: WsMessage): string => (m.kind === 'text' ? m.text : `<${m.kind}>`);

describe('permessage-deflate: one inflate context per direction', () => {
  it('inflates a context-takeover stream fed a few bytes at a time, messages split anywhere', async () => {
    const z = await deflated(texts);
    // Later messages are far smaller than their text: they refer back into the earlier ones.
    expect(z[100]!.length).toBeLessThan(texts[100]!.length / 3);
    const stream = Buffer.concat(z.map((p) => wsFrame(p, { masked: true, compressed: true })));
    const got: WsMessage[] = [];
    const failed: Finding[] = [];
    const d = decoder(got, failed);
    for (let o = 0, step = 1; o < stream.length; o += step, step = (step % 7) + 1)
      d.push(stream.subarray(o, o + step), 0);
    expect(failed).toEqual([]);
    expect(got.map(text)).toEqual(texts);
  });

  it('in a pcap, a compressed session cut into 5-byte TCP segments decodes to every message', async () => {
    // Each side has its own compressor (and stream), as on the wire.
    const station = await deflated(texts.filter((_, i) => i % 2 === 0));
    const csms = await deflated(texts.filter((_, i) => i % 2 === 1));
    const sides = syntheticPcap(
      texts.map((_, i) => {
        const fromClient = i % 2 === 0;
        const p = (fromClient ? station : csms)[i >> 1]!;
        return { fromClient, bytes: wsFrame(p, { masked: fromClient, compressed: true }) };
      }),
      5,
      'permessage-deflate',
    );
    const d = decodePcap(sides);
    const frames = d.events.filter((e): e is FrameEvent => e.kind === 'frame');
    expect(frames.map((e) => e.text)).toEqual(texts);
    expect(frames.every((e) => !e.binary)).toBe(true);
  });

  it('cuts a deflate bomb at the cap with a finding; nothing of it counts against the budget', () => {
    // 64 MB of zeros: about 64 KB compressed, four times the per-message cap.
    const bomb = deflateRawSync(Buffer.alloc(4 * MAX_INFLATED_MESSAGE), {
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    const budget = { left: 256 << 20 };
    const failed: Finding[] = [];
    const z = new MessageInflater('station', budget, (f) => failed.push(f));
    const before = process.memoryUsage().arrayBuffers;
    const r = z.inflate(bomb.subarray(0, bomb.length - 4));
    expect(r instanceof Uint8Array).toBe(false);
    expect((r as Finding).code).toBe('pcap-inflate-too-large');
    expect(failed.map((f) => f.code)).toEqual(['pcap-inflate-too-large']);
    expect(budget.left).toBe(256 << 20);
    expect(z.held).toBe(0);
    // What the cut message inflated is let go: well under the 64 MB it would have been.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2 * MAX_INFLATED_MESSAGE);
    // The side stays cut: later messages keep their finding, and no further one is raised.
    const later = deflateRawSync(Buffer.from('[2,"a","Heartbeat",{}]'));
    expect((z.inflate(later) as Finding).code).toBe('pcap-inflate-too-large');
    expect(failed).toHaveLength(1);
  });

  it('holds only its buffer against the budget: given back as messages are handed on, so any total inflates', async () => {
    // 40 messages of 512 KiB to 1 MiB with context takeover (about 30 MiB in all) against a budget of 2 MiB.
    const big = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify([
        2,
        `b${i}`,
        'DataTransfer',
        { data: `${i}:${'x'.repeat((512 << 10) + i * (13 << 10))}` },
      ]),
    );
    const z = await deflated(big);
    const budget = { left: 2 << 20 };
    const failed: Finding[] = [];
    const inflater = new MessageInflater('station', budget, (f) => failed.push(f));
    let total = 0;
    for (let i = 0; i < big.length; i++) {
      const m = inflater.inflate(z[i]!);
      expect(new TextDecoder().decode(m as Uint8Array)).toBe(big[i]);
      total += (m as Uint8Array).length;
      // What it holds is what its buffer is: the message, until the next one, and the history.
      expect(inflater.held).toBe(inflater.out.length);
      expect(budget.left + inflater.held).toBe(2 << 20);
      expect(budget.left).toBeGreaterThanOrEqual(0);
    }
    expect(total).toBeGreaterThan(10 * (2 << 20));
    expect(failed).toEqual([]);
    inflater.end();
    expect(inflater.held).toBe(0);
    expect(budget.left).toBe(2 << 20);
  });

  it('a message that would take the buffers past the budget is cut with a finding, and gives back what it held', async () => {
    const budget = { left: 2 << 20 };
    // Another side holds a message of 600 KiB: a buffer of 1 MiB.
    const holder = new MessageInflater('station', budget, () => undefined);
    const one = JSON.stringify([2, '1', 'DataTransfer', { data: 'a'.repeat(600 << 10) }]);
    expect(new TextDecoder().decode(holder.inflate((await deflated([one]))[0]!) as Uint8Array)).toBe(one);
    expect(holder.held).toBe(1 << 20);
    const failed: Finding[] = [];
    const z = new MessageInflater('CSMS', budget, (f) => failed.push(f));
    // The small first message fits beside what the other holds; the big one does not.
    const [small, large] = await deflated(['[3,"1",{}]', 'b'.repeat(3 << 20)]);
    expect(new TextDecoder().decode(z.inflate(small!) as Uint8Array)).toBe('[3,"1",{}]');
    const r = z.inflate(large!);
    expect((r as Finding).code).toBe('pcap-inflate-budget');
    expect(failed.map((f) => f.code)).toEqual(['pcap-inflate-budget']);
    expect(failed[0]!.message).toContain('CSMS side');
    expect(z.held).toBe(0);
    expect(budget.left + holder.held).toBe(2 << 20);
    expect(holder.held).toBeLessThanOrEqual(2 << 20);
  });

  it('a message ending its deflate stream (BFINAL) is inflated, and so is the next one, on a new stream', () => {
    const failed: Finding[] = [];
    const z = new MessageInflater('CSMS', { left: 1 << 20 }, (f) => failed.push(f));
    const a = z.inflate(deflateRawSync(Buffer.from('[3,"1",{}]')));
    const b = z.inflate(deflateRawSync(Buffer.from('[3,"2",{}]')));
    expect(new TextDecoder().decode(a as Uint8Array)).toBe('[3,"1",{}]');
    expect(new TextDecoder().decode(b as Uint8Array)).toBe('[3,"2",{}]');
    expect(failed).toEqual([]);
  });

  it('corrupt compressed data is a finding, and the side is shown compressed from there', async () => {
    const z = await deflated(texts.slice(0, 3));
    const bad = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]);
    const stream = Buffer.concat(
      [z[0]!, bad, z[1]!].map((p) => wsFrame(p, { masked: true, compressed: true })),
    );
    const got: WsMessage[] = [];
    const failed: Finding[] = [];
    decoder(got, failed).push(stream, 0);
    expect(got.map((m) => m.kind)).toEqual(['text', 'binary', 'binary']);
    expect(text(got[0]!)).toBe(texts[0]);
    expect(failed.map((f) => f.code)).toEqual(['pcap-inflate-failed']);
    expect(got[2]!.kind === 'binary' && got[2]!.findings.map((f) => f.code)).toEqual(['pcap-inflate-failed']);
  });
});

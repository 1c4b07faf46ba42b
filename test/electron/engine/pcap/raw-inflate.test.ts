import { constants } from 'node:zlib';
import type { ZlibOptions } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  INFLATE_CORRUPT,
  INFLATE_END,
  INFLATE_OK,
  INFLATE_OVER_CAP,
  RawInflate,
} from '../../../../electron/engine/pcap/raw-inflate';
import { deflateMessages } from './deflate-messages';

/** A small deterministic generator, so a failure names its case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const compressed = (messages: Uint8Array[], opts: ZlibOptions): Promise<Uint8Array[]> =>
  deflateMessages(messages, opts, true);

/** Messages like a charger's (repetitive JSON), random bytes, long runs, or large ones, by seed. */
function messages(seed: number): Uint8Array[] {
  const next = rng(seed);
  const enc = new TextEncoder();
  return Array.from({ length: 40 }, (_, i) => {
    const kind = Math.floor(next() * 4);
    if (kind === 0)
      return enc.encode(
        JSON.stringify([
          2,
          `m${i}`,
          'MeterValues',
          { v: Math.floor(next() * 1e6), s: 'Energy'.repeat(i % 7) },
        ]),
      );
    if (kind === 1)
      return Uint8Array.from({ length: Math.floor(next() * 3000) }, () => Math.floor(next() * 256));
    if (kind === 2) return new Uint8Array(Math.floor(next() * 70000)).fill(Math.floor(next() * 256));
    return Uint8Array.from({ length: Math.floor(next() * 40000) }, (_, j) => 97 + ((j * j + i) % 23));
  });
}

describe('RawInflate: what zlib compresses, message by message with context takeover', () => {
  const settings: [string, ZlibOptions][] = [
    ['default', {}],
    ['level 1', { level: 1 }],
    ['stored (level 0)', { level: 0 }],
    ['fixed codes', { strategy: constants.Z_FIXED }],
    ['Huffman only', { strategy: constants.Z_HUFFMAN_ONLY }],
    ['run lengths', { strategy: constants.Z_RLE }],
    ['small window and memory', { windowBits: 9, memLevel: 1 }],
  ];
  for (const [name, opts] of settings)
    it(`inflates every message exactly: ${name}`, async () => {
      for (const seed of [1, 2, 3]) {
        const plain = messages(seed);
        const z = await compressed(plain, opts);
        const inf = new RawInflate();
        for (let i = 0; i < plain.length; i++) {
          // Inside a larger array, as the message lies in the shared slab.
          const input = new Uint8Array(z[i]!.length + 6);
          input.set(z[i]!, 3);
          expect(inf.inflate(input, 3, 3 + z[i]!.length, 1 << 24)).toBe(INFLATE_OK);
          expect(
            Buffer.from(inf.out.subarray(inf.msgStart, inf.msgStart + inf.inflated)).equals(plain[i]!),
          ).toBe(true);
        }
      }
    });

  it('decodes codes longer than its lookup table (skewed symbol counts make 11- to 15-bit codes)', async () => {
    // Symbol k appears fib(k) times: a Huffman code for that needs long codes for the rare symbols.
    const fib = [1, 1];
    while (fib.length < 24) fib.push(fib[fib.length - 1]! + fib[fib.length - 2]!);
    const next = rng(5);
    const symbols = fib.flatMap((n, k) => Array.from({ length: n }, () => 40 + k));
    for (let i = symbols.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [symbols[i], symbols[j]] = [symbols[j]!, symbols[i]!];
    }
    const plain = [Uint8Array.from(symbols.slice(0, 30000)), Uint8Array.from(symbols.slice(30000, 60000))];
    const z = await compressed(plain, { strategy: constants.Z_HUFFMAN_ONLY });
    const inf = new RawInflate();
    for (let i = 0; i < plain.length; i++) {
      expect(inf.inflate(z[i]!, 0, z[i]!.length, 1 << 20)).toBe(INFLATE_OK);
      expect(Buffer.from(inf.out.subarray(inf.msgStart, inf.msgStart + inf.inflated)).equals(plain[i]!)).toBe(
        true,
      );
    }
  });

  it('a message ending the stream (BFINAL) is inflated, the next starts a new stream without history', async () => {
    const { deflateRawSync } = await import('node:zlib');
    const inf = new RawInflate();
    const a = Buffer.concat([deflateRawSync(Buffer.from('abcabcabc')), Buffer.from([0, 0, 0xff, 0xff])]);
    expect(inf.inflate(a, 0, a.length, 1000)).toBe(INFLATE_END);
    expect(Buffer.from(inf.out.subarray(inf.msgStart, inf.msgStart + inf.inflated)).toString()).toBe(
      'abcabcabc',
    );
    const b = Buffer.concat([deflateRawSync(Buffer.from('xyz')), Buffer.from([0, 0, 0xff, 0xff])]);
    expect(inf.inflate(b, 0, b.length, 1000)).toBe(INFLATE_END);
    expect(Buffer.from(inf.out.subarray(inf.msgStart, inf.msgStart + inf.inflated)).toString()).toBe('xyz');
  });

  it('stops at the cap before writing past it, and says so', async () => {
    const [z] = await compressed([new Uint8Array(100000)], {});
    const inf = new RawInflate();
    expect(inf.inflate(z!, 0, z!.length, 50000)).toBe(INFLATE_OVER_CAP);
    expect(inf.inflated).toBeLessThanOrEqual(50000);
    expect(inf.out.length).toBeLessThanOrEqual(50000);
  });

  it('never throws or runs away on damaged input: each damaged message is OK, END, CORRUPT or OVER_CAP', async () => {
    const next = rng(99);
    const z = await compressed(messages(7), {});
    for (let round = 0; round < 300; round++) {
      const inf = new RawInflate();
      for (const m of z) {
        const bad = Uint8Array.from(m);
        for (let k = 0; k < 3; k++) bad[Math.floor(next() * bad.length)] = Math.floor(next() * 256);
        const cut = bad.subarray(0, Math.max(1, Math.floor(next() * bad.length * 1.2)));
        const status = inf.inflate(cut, 0, cut.length, 1 << 20);
        expect([INFLATE_OK, INFLATE_END, INFLATE_CORRUPT, INFLATE_OVER_CAP]).toContain(status);
        expect(inf.inflated).toBeLessThanOrEqual(1 << 20);
        if (status === INFLATE_CORRUPT || status === INFLATE_OVER_CAP) break;
      }
    }
  });
});

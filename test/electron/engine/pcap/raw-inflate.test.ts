import { constants, inflateRawSync } from 'node:zlib';
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

  it('refuses the incomplete and over-subscribed codes zlib refuses, and takes the incomplete ones it takes', () => {
    // [symbol, code length] pairs: 'A' and end-of-block with one bit each is a complete literal/length code.
    type Lengths = [number, number][];
    // prettier-ignore
    const aEob: Lengths = [[65, 1], [256, 1]];
    // prettier-ignore
    const blocks: [string, Lengths, Lengths, boolean?][] = [
      ['complete codes', aEob, [[0, 1], [1, 1]]],
      ['a single one-bit distance code', aEob, [[0, 1]]],
      ['no distance code at all (literals only)', aEob, []],
      ['only end-of-block, one bit', [[256, 1]], []],
      ['an incomplete literal/length code', [[65, 1], [256, 2]], [[0, 1]]],
      ['an incomplete distance code of two bits', aEob, [[0, 2]]],
      ['an incomplete distance code of two lengths', aEob, [[0, 1], [1, 2]]],
      ['an over-subscribed literal/length code', [[65, 1], [66, 1], [256, 1]], [[0, 1]]],
      ['an incomplete code-length code', aEob, [[0, 1]], true],
    ];
    const cases: [string, Uint8Array][] = [
      ...blocks.map(([name, lit, dist, clIncomplete]): [string, Uint8Array] => [
        name,
        dynamicBlock({ lit, dist, clIncomplete }),
      ]),
      ['a single one-bit code-length code', singleCodeLengthCode()],
    ];
    const verdicts = cases.map(([name, block]) => {
      let zlib: string;
      try {
        zlib = `ok ${Buffer.from(inflateRawSync(block)).toString('latin1')}`;
      } catch {
        zlib = 'refused';
      }
      const inf = new RawInflate();
      const status = inf.inflate(block, 0, block.length, 1000);
      const ours =
        status === INFLATE_END
          ? `ok ${Buffer.from(inf.out.subarray(inf.msgStart, inf.msgStart + inf.inflated)).toString('latin1')}`
          : status === INFLATE_CORRUPT
            ? 'refused'
            : `status ${status}`;
      return { name, zlib, ours };
    });
    for (const v of verdicts) expect(v.ours, v.name).toBe(v.zlib);
    // Both kinds occur: the comparison is not all refusals (nor all successes).
    expect(verdicts.filter((v) => v.zlib.startsWith('ok'))).toHaveLength(4);
  });
});

/** Bits written LSB first, as DEFLATE packs them; Huffman codes go most significant bit first. */
class BitWriter {
  private readonly bytes: number[] = [];
  private bit = 0;
  put(value: number, n: number): void {
    for (let i = 0; i < n; i++) this.one((value >> i) & 1);
  }
  code(code: number, len: number): void {
    for (let i = len - 1; i >= 0; i--) this.one((code >> i) & 1);
  }
  private one(b: number): void {
    if (this.bit === 0) this.bytes.push(0);
    this.bytes[this.bytes.length - 1]! |= b << this.bit;
    this.bit = (this.bit + 1) & 7;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** Canonical codes (RFC 1951 3.2.2) for lengths by symbol. */
function canonical(lengths: number[]): Map<number, [number, number]> {
  const codes = new Map<number, [number, number]>();
  let code = 0;
  for (let len = 1; len < 16; len++) {
    for (let s = 0; s < lengths.length; s++) if (lengths[s] === len) codes.set(s, [code++, len]);
    code <<= 1;
  }
  return codes;
}

const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * One final dynamic block whose literal/length and distance codes have the given [symbol, length] pairs, holding
 * 'A' (when it has a code) and end-of-block. The code-length code gives 0, 1, 2 and 18 two bits each (complete), or
 * with `clIncomplete` 18 three bits (a code left incomplete).
 */
function dynamicBlock(o: {
  lit: [number, number][];
  dist: [number, number][];
  clIncomplete?: boolean;
}): Uint8Array {
  const hdist = Math.max(1, ...o.dist.map(([s]) => s + 1));
  const all = new Array<number>(257 + hdist).fill(0);
  for (const [s, len] of o.lit) all[s] = len;
  for (const [s, len] of o.dist) all[257 + s] = len;
  const clLengths = new Array<number>(19).fill(0);
  clLengths[0] = clLengths[1] = clLengths[2] = 2;
  clLengths[18] = o.clIncomplete ? 3 : 2;
  const cl = canonical(clLengths);
  const w = new BitWriter();
  w.put(1, 1); // BFINAL
  w.put(2, 2); // dynamic
  w.put(257 - 257, 5);
  w.put(hdist - 1, 5);
  w.put(18 - 4, 4); // up to symbol 1 in CL_ORDER
  for (let i = 0; i < 18; i++) w.put(clLengths[CL_ORDER[i]!]!, 3);
  for (let i = 0; i < all.length;) {
    let zeros = 0;
    while (all[i + zeros] === 0 && i + zeros < all.length && zeros < 138) zeros++;
    if (zeros >= 11) {
      w.code(...cl.get(18)!);
      w.put(zeros - 11, 7);
      i += zeros;
      continue;
    }
    w.code(...cl.get(all[i]!)!);
    i++;
  }
  const lit = canonical(all.slice(0, 257));
  if (lit.has(65)) w.code(...lit.get(65)!);
  w.code(...lit.get(256)!);
  return w.done();
}

/** A dynamic block whose code-length code is one symbol (18) of one bit: zlib refuses it before reading further. */
function singleCodeLengthCode(): Uint8Array {
  const w = new BitWriter();
  w.put(1, 1);
  w.put(2, 2);
  w.put(0, 5);
  w.put(0, 5);
  w.put(0, 4); // four code-length code lengths: 16, 17, 18, 0
  for (const len of [0, 0, 1, 0]) w.put(len, 3);
  for (let i = 0; i < 4; i++) w.put(0, 8);
  return w.done();
}

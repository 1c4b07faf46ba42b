import { describe, expect, it } from 'vitest';
import { ByteCursor } from '../../../../electron/engine/pcap/byte-cursor';

/** A small deterministic generator, so a failure names its case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The stream cut into chunks of random sizes (some empty, some Buffers), as a file reader may hand them. */
function chunked(bytes: Uint8Array, next: () => number, largest: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < bytes.length;) {
    const n = Math.floor(next() * largest);
    const piece = bytes.subarray(o, o + n);
    out.push(next() < 0.5 ? piece : Buffer.from(piece));
    o += n;
  }
  return out;
}

describe('ByteCursor: one stream read across chunks', () => {
  it('reads records of any size at the same positions and with the same bytes, however the stream is cut', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = rng(seed);
      const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7 + seed) & 0xff);
      const cur = new ByteCursor(chunked(bytes, next, seed % 2 ? 64 : 2000));
      let at = 0;
      while (at < bytes.length) {
        // A header, then a body whose size the header gives (as pcap records are read), sometimes past the end.
        const head = 1 + Math.floor(next() * 20);
        const body = Math.floor(next() * 300);
        const whole = at + head + body <= bytes.length;
        expect(cur.position).toBe(at);
        expect(cur.ensure(head)).toBe(at + head <= bytes.length);
        expect(cur.ensure(head + body)).toBe(whole);
        if (!whole) {
          expect(cur.buffered).toBe(bytes.length - at);
          expect([...cur.slice(0, cur.buffered)]).toEqual([...bytes.subarray(at)]);
          break;
        }
        expect([...cur.slice(0, head + body)]).toEqual([...bytes.subarray(at, at + head + body)]);
        expect(cur.u8(head - 1)).toBe(bytes[at + head - 1]);
        expect(cur.view[cur.offset(0)]).toBe(bytes[at]);
        cur.skip(head + body);
        at += head + body;
      }
      if (at === bytes.length) expect(cur.atEnd()).toBe(true);
    }
  });

  it('keeps slices it handed out intact while reading on', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const cur = new ByteCursor([bytes.subarray(0, 10), bytes.subarray(10, 150), bytes.subarray(150)]);
    const kept: Uint8Array[] = [];
    for (let at = 0; at + 30 <= 300; at += 30) {
      expect(cur.ensure(30)).toBe(true);
      kept.push(cur.slice(0, 30));
      cur.skip(30);
    }
    expect(kept.map((k) => [...k])).toEqual(
      Array.from({ length: 10 }, (_, i) => [...bytes.subarray(i * 30, i * 30 + 30)]),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { SLAB_BYTES, slab } from '../../../../electron/engine/pcap/byte-slab';

describe('byte slab: the shared space for the bytes the pcap import makes', () => {
  it('hands out pieces that do not overlap, and a kept piece stays as written when the slab moves on', () => {
    const a = slab.take(100);
    const aAt = slab.at;
    a.fill(1, aAt, aAt + 100);
    const b = slab.take(50);
    const bAt = slab.at;
    b.fill(2, bAt, bAt + 50);
    expect(a.subarray(aAt, aAt + 100).every((x) => x === 1)).toBe(true);
    const kept = a.subarray(aAt, aAt + 100);
    // Fill far past one slab: the kept piece is untouched.
    for (let i = 0; i < (3 * SLAB_BYTES) / 1000; i++) slab.take(1000).fill(9, slab.at, slab.at + 1000);
    expect(kept.every((x) => x === 1)).toBe(true);
  });

  it('reuses space given back, and only in the slab it came from', () => {
    const buf = slab.take(64);
    const at = slab.at;
    slab.giveBack(buf, at);
    expect(slab.take(64)).toBe(buf);
    expect(slab.at).toBe(at);
    // Giving back space of a slab that is no longer current changes nothing.
    const used = slab.used;
    slab.giveBack(new Uint8Array(SLAB_BYTES), 0);
    expect(slab.used).toBe(used);
  });

  it('gives a large piece an array of its own, and room() starts a fresh slab when asked for more than is left', () => {
    const big = slab.take(SLAB_BYTES / 4);
    expect(big).not.toBe(slab.buf);
    expect(big.length).toBe(SLAB_BYTES / 4);
    slab.take(SLAB_BYTES / 8);
    const before = slab.buf;
    slab.room(SLAB_BYTES - slab.used + 1);
    expect(slab.buf).not.toBe(before);
    expect(slab.used).toBe(0);
  });
});

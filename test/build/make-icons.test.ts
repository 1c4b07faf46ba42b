import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without type declarations
import { encodePng, ICON_SIZES, renderIcon } from '../../build/make-icons.mjs';

describe('icon generator', () => {
  it('writes PNGs of the right size whose pixels decode back', () => {
    for (const size of [16, 64]) {
      const png: Buffer = renderIcon(size);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png.readUInt32BE(16)).toBe(size);
      expect(png.readUInt32BE(20)).toBe(size);
      const idatLength = png.readUInt32BE(33);
      const raw = inflateSync(png.subarray(41, 41 + idatLength));
      expect(raw.length).toBe(size * (size * 4 + 1));
      // The corners are transparent (rounded square), the centre is opaque.
      expect(raw[1 + 3]).toBe(0);
      const mid = Math.floor(size / 2) * (size * 4 + 1) + 1 + Math.floor(size / 2) * 4;
      expect(raw[mid + 3]).toBe(255);
    }
    expect(ICON_SIZES).toEqual(expect.arrayContaining([16, 32, 256, 512, 1024]));
  });

  it('encodes a known 1x1 image', () => {
    const png: Buffer = encodePng(1, Buffer.from([255, 0, 0, 255]));
    const raw = inflateSync(png.subarray(41, 41 + png.readUInt32BE(33)));
    expect([...raw]).toEqual([0, 255, 0, 0, 255]);
  });
});

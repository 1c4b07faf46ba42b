import { describe, expect, it } from 'vitest';
import { laxUtf8Text, orBytes, utf8Text } from '../../../../electron/engine/pcap/payload-text';

const enc = new TextEncoder();

/** `text`'s bytes with other bytes around them, as a payload lies inside a packet. */
function inside(bytes: Uint8Array): { b: Uint8Array; start: number; end: number } {
  const b = new Uint8Array(bytes.length + 7).fill(0xff);
  b.set(bytes, 3);
  return { b, start: 3, end: 3 + bytes.length };
}

describe('payload text: read where the bytes lie', () => {
  it('reads ASCII, multi-byte UTF-8 and an empty range exactly as a UTF-8 decoder does', () => {
    for (const s of ['[2,"1","Heartbeat",{}]', 'Gr\u00fc\u00dfe \u20ac \u{1f50c}', '', '\u007f\u0000x']) {
      const { b, start, end } = inside(enc.encode(s));
      expect(utf8Text(b, start, end)).toBe(s);
      expect(laxUtf8Text(b, start, end)).toBe(s);
    }
  });

  it('says invalid UTF-8 is invalid (undefined), and the lax reading replaces what is broken', () => {
    const bytes = enc.encode('ab\u00e9');
    const { b, start, end } = inside(bytes.subarray(0, bytes.length - 1));
    expect(utf8Text(b, start, end)).toBeUndefined();
    expect(laxUtf8Text(b, start, end)).toBe('ab\ufffd');
  });

  it('trusts the caller-given OR of the bytes, which decides whether they are ASCII', () => {
    const { b, start, end } = inside(enc.encode('caf\u00e9'));
    expect(orBytes(b, start, end)).toBeGreaterThanOrEqual(0x80);
    expect(orBytes(b, start, start + 3)).toBeLessThan(0x80);
    expect(utf8Text(b, start, end, orBytes(b, start, end))).toBe('caf\u00e9');
    // Read four bytes at a time through a view, the same answer for every range.
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let s = 0; s <= b.length; s++)
      for (let e = s; e <= b.length; e++) expect(orBytes(b, s, e, view)).toBe(orBytes(b, s, e));
  });
});

import { describe, expect, it } from 'vitest';
import { laxUtf8Text, orBytes, utf8Text } from '../../../../electron/engine/connections/utf8-text';

const enc = new TextEncoder();

/** `text`'s bytes with other bytes around them, as a payload lies inside a packet. */
function inside(bytes: Uint8Array): { b: Uint8Array; start: number; end: number } {
  const b = new Uint8Array(bytes.length + 7).fill(0xff);
  b.set(bytes, 3);
  return { b, start: 3, end: 3 + bytes.length };
}

describe('UTF-8 text: read where the bytes lie', () => {
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

  it('is the UTF-8 decoding at any size, ASCII or not, with or without a known OR, for a whole buffer or a range', () => {
    const big = (middle: string): string =>
      `[2,"1","DataTransfer",{"vendorId":"v","data":"${'A'.repeat(40_000)}${middle}${'B'.repeat(40_000)}"}]`;
    const valid = [
      Buffer.from(big('')),
      Buffer.from(big('Z\u00e4hlerstand 12 kWh, \u96fb\u529b')),
      Buffer.from('[2,"1","Heartbeat",{}]'),
      Buffer.from('[2,"1","DataTransfer",{"vendorId":"\u00fc \ufffd"}]'),
    ];
    for (const bytes of valid) {
      const s = bytes.toString('utf8');
      expect(utf8Text(bytes, 0, bytes.length)).toBe(s);
      expect(laxUtf8Text(bytes, 0, bytes.length)).toBe(s);
      expect(utf8Text(bytes, 0, bytes.length, orBytes(bytes, 0, bytes.length))).toBe(s);
      const { b, start, end } = inside(bytes);
      expect(utf8Text(b, start, end)).toBe(s);
      expect(utf8Text(b, start, end, orBytes(b, start, end))).toBe(s);
    }
  });

  it('says a large range with a broken sequence in it is not UTF-8, and the lax reading holds U+FFFD there', () => {
    const head = Buffer.from('["' + 'A'.repeat(50_000));
    for (const broken of [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      const bytes = Buffer.concat([head, Buffer.from(broken), Buffer.from('"]')]);
      const { b, start, end } = inside(bytes);
      for (const or of [undefined, orBytes(b, start, end)]) {
        expect(utf8Text(b, start, end, or)).toBeUndefined();
        expect(laxUtf8Text(b, start, end, or)).toBe(bytes.toString('utf8'));
      }
      expect(laxUtf8Text(b, start, end)).toContain('\ufffd');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { xorMask } from '../../../../electron/engine/connections/ws-mask';

/** RFC 6455 5.3 as written: octet i XOR key octet i mod 4. */
function reference(payload: Uint8Array, key: Uint8Array): Uint8Array {
  return payload.map((x, i) => x ^ key[i % 4]!);
}

const bytes = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 37 + seed * 11) & 0xff);
const orOf = (b: Uint8Array): number => b.reduce((a, x) => a | x, 0);
const viewOf = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

describe('WebSocket masking, one XOR for sending and for reading captures', () => {
  it('is RFC 6455 masking at every length and alignment, word-wise through views or byte-wise, and returns the OR', () => {
    for (let len = 0; len <= 41; len++)
      for (const keyAt of [0, 1, 3]) {
        // The key where a frame has it, the payload right behind it, other bytes around both.
        const frame = bytes(keyAt + 4 + len + 5, len + keyAt);
        const key = frame.slice(keyAt, keyAt + 4);
        const payload = frame.slice(keyAt + 4, keyAt + 4 + len);
        const want = reference(payload, key);
        for (const at of [0, 2]) {
          const viaViews = new Uint8Array(len + at + 3);
          const orViews = xorMask(
            frame,
            keyAt + 4,
            len,
            keyAt,
            viaViews,
            at,
            viewOf(frame),
            viewOf(viaViews),
          );
          const byBytes = new Uint8Array(len + at + 3);
          const orBytes = xorMask(frame, keyAt + 4, len, keyAt, byBytes, at);
          expect(viaViews.subarray(at, at + len)).toEqual(want);
          expect(byBytes.subarray(at, at + len)).toEqual(want);
          expect(orViews).toBe(orOf(want));
          expect(orBytes).toBe(orOf(want));
          // Nothing outside the range is written.
          expect([...viaViews.subarray(0, at), ...viaViews.subarray(at + len)].every((x) => x === 0)).toBe(
            true,
          );
        }
        // In place, as a frame being sent is masked; masking twice gives the payload back.
        const inPlace = frame.slice();
        xorMask(inPlace, keyAt + 4, len, keyAt, inPlace, keyAt + 4);
        expect(inPlace.subarray(keyAt + 4, keyAt + 4 + len)).toEqual(want);
        xorMask(inPlace, keyAt + 4, len, keyAt, inPlace, keyAt + 4);
        expect(inPlace).toEqual(frame);
      }
  });

  it('says ASCII text masked with any key unmasks to bytes below 0x80', () => {
    const text = new TextEncoder().encode('[2,"1","Heartbeat",{}]');
    const frame = new Uint8Array(4 + text.length);
    frame.set([0x8f, 0xa1, 0x00, 0xff]);
    for (let i = 0; i < text.length; i++) frame[4 + i] = text[i]! ^ frame[i % 4]!;
    const out = new Uint8Array(text.length);
    expect(xorMask(frame, 4, text.length, 0, out, 0, viewOf(frame), viewOf(out))).toBeLessThan(0x80);
    expect(new TextDecoder().decode(out)).toBe('[2,"1","Heartbeat",{}]');
  });
});

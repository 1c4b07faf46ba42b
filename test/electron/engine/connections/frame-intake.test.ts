import { describe, expect, it } from 'vitest';
import { frameText, toBuffer, undecodableFrame } from '../../../../electron/engine/connections/frame-intake';

describe('frame intake', () => {
  it('a text frame in UTF-8 is decodable; binary and invalid UTF-8 become base64 frames with a finding', () => {
    expect(undecodableFrame('c1', 'station', Buffer.from('[2,"1","Heartbeat",{}]'), false)).toBeUndefined();
    const bin = undecodableFrame('c1', 'station', Buffer.from([1, 2, 3]), true);
    expect(bin).toMatchObject({ kind: 'frame', conn: 'c1', sender: 'station', text: 'AQID', binary: true });
    expect(bin?.findings.map((f) => f.code)).toEqual(['binary-frame']);
    const bad = undecodableFrame('c2', 'csms', Buffer.from([0x5b, 0xff, 0x5d]), false);
    expect(bad?.text).toBe(Buffer.from([0x5b, 0xff, 0x5d]).toString('base64'));
    expect(bad?.findings.map((f) => f.code)).toEqual(['invalid-utf8']);
  });

  it('message data in any of the shapes ws delivers becomes the same bytes', () => {
    const b = Buffer.from('abc');
    expect(toBuffer(b)).toBe(b);
    expect(toBuffer([Buffer.from('a'), Buffer.from('bc')]).toString()).toBe('abc');
    expect(toBuffer(new Uint8Array([97, 98, 99]).buffer).toString()).toBe('abc');
  });

  it("a frame's text is its UTF-8 decoding at any size, ASCII or not, valid or not", () => {
    const big = (middle: string): string =>
      `[2,"1","DataTransfer",{"vendorId":"v","data":"${'A'.repeat(40_000)}${middle}${'B'.repeat(40_000)}"}]`;
    const cases = [
      Buffer.from(big('')),
      Buffer.from(big('Zählerstand 12 kWh, 電力')),
      Buffer.concat([Buffer.from(big('').slice(0, 50_000)), Buffer.from([0xff, 0xc3]), Buffer.from('"]')]),
      Buffer.from('[2,"1","Heartbeat",{}]'),
      Buffer.from('[2,"1","DataTransfer",{"vendorId":"ü"}]'),
    ];
    for (const b of cases) expect(frameText(b)).toBe(b.toString('utf8'));
    // Bytes that are not UTF-8 still decode to U+FFFD, which is what sends a frame to the exact check.
    expect(frameText(cases[2]!)).toContain('\uFFFD');
  });
});

import { describe, expect, it } from 'vitest';
import { toBuffer, undecodableFrame } from '../../../../electron/engine/connections/frame-intake';

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
});

import { describe, expect, it } from 'vitest';
import { decodeFrame, toBuffer } from '../../../../electron/engine/connections/frame-intake';

describe('frame intake', () => {
  it('a text frame in UTF-8 is its text; binary and invalid UTF-8 become base64 frames with a finding', () => {
    expect(decodeFrame('c1', 'station', Buffer.from('[2,"1","Heartbeat",{}]'), false)).toBe(
      '[2,"1","Heartbeat",{}]',
    );
    // Proper UTF-8 holding U+FFFD itself stays text.
    expect(decodeFrame('c1', 'station', Buffer.from('["\uFFFD"]'), false)).toBe('["\uFFFD"]');
    const bin = decodeFrame('c1', 'station', Buffer.from([1, 2, 3]), true);
    expect(bin).toMatchObject({ kind: 'frame', conn: 'c1', sender: 'station', text: 'AQID', binary: true });
    expect(typeof bin !== 'string' && bin.findings.map((f) => f.code)).toEqual(['binary-frame']);
    // Binary stays binary even when its bytes are text.
    expect(typeof decodeFrame('c1', 'station', Buffer.from('[]'), true)).toBe('object');
    const bad = decodeFrame('c2', 'csms', Buffer.from([0x5b, 0xff, 0x5d]), false);
    expect(typeof bad !== 'string' && bad.text).toBe(Buffer.from([0x5b, 0xff, 0x5d]).toString('base64'));
    expect(typeof bad !== 'string' && bad.findings.map((f) => f.code)).toEqual(['invalid-utf8']);
  });

  it('message data in any of the shapes ws delivers becomes the same bytes', () => {
    const b = Buffer.from('abc');
    expect(toBuffer(b)).toBe(b);
    expect(toBuffer([Buffer.from('a'), Buffer.from('bc')]).toString()).toBe('abc');
    expect(toBuffer(new Uint8Array([97, 98, 99]).buffer).toString()).toBe('abc');
  });
});

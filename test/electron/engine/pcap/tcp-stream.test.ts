import { describe, expect, it } from 'vitest';
import { TcpDirection } from '../../../../electron/engine/pcap/tcp-stream';

function direction() {
  const got: string[] = [];
  const gaps: number[] = [];
  const dir = new TcpDirection({
    data: (d, _t, start, end) => got.push(Buffer.from(d.subarray(start, end)).toString()),
    gap: (n) => gaps.push(n),
  });
  return { dir, got, gaps };
}
const bytes = (s: string) => new Uint8Array(Buffer.from(s));

describe('TcpDirection: segments lost with no later data segment to reveal them', () => {
  it('names the hole up to a FIN that comes after lost data', () => {
    const { dir, got, gaps } = direction();
    dir.syn(999);
    dir.segment(1000, bytes('hello'), 0, 1);
    // 20 bytes at 1005 were lost; the FIN sits after them.
    dir.fin(1025);
    dir.finish(2);
    expect(got).toEqual(['hello']);
    expect(gaps).toEqual([20]);
  });

  it('names the hole the peer acknowledged but the capture never saw (tail lost, no FIN)', () => {
    const { dir, gaps } = direction();
    dir.syn(999);
    dir.segment(1000, bytes('hello'), 0, 1);
    dir.acked(1005);
    dir.acked(1300);
    dir.acked(1200); // an older ACK arriving late changes nothing
    dir.finish(2);
    expect(gaps).toEqual([295]);
  });

  it('says nothing when the FIN and the ACKs match the data it has', () => {
    const { dir, got, gaps } = direction();
    dir.syn(0xfffffffe); // sequence numbers wrap
    dir.segment(0xffffffff, bytes('ab'), 0, 1);
    dir.acked(1);
    dir.fin(1);
    dir.acked(2); // the ACK of the FIN counts the FIN itself
    dir.finish(2);
    expect(got).toEqual(['ab']);
    expect(gaps).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { FrameAnalyzer } from '../../../electron/engine/frame-analysis';

const codes = (a: { findings: { code: string }[] }): string[] => a.findings.map((f) => f.code);

describe('FrameAnalyzer (per-connection pairing over the protocol core)', () => {
  it('pairs answers with RTT, names a second answer, a late one and a reused id, with its short history', () => {
    const fa = new FrameAnalyzer('1.6', 1000);
    let seq = 0;
    const call = (id: string, mono: number) =>
      fa.analyze(`[2,"${id}","Heartbeat",{}]`, 'station', seq++, mono);
    const answer = (id: string, mono: number) =>
      fa.analyze(`[3,"${id}",{"currentTime":"2025-01-01T00:00:00Z"}]`, 'csms', seq++, mono);

    expect(codes(call('a', 0))).toEqual([]);
    const first = answer('a', 5);
    expect(first.pair).toEqual({ partnerSeq: 0, rttMs: 5 });
    expect(first.msg?.action).toBe('Heartbeat');
    expect(codes(answer('a', 6))).toEqual(['duplicate-response']);

    // A call we gave up on is still recognised when its answer comes late.
    call('t', 10);
    expect(fa.markTimedOut('station', 't')?.action).toBe('Heartbeat');
    expect(fa.markTimedOut('station', 't')).toBeUndefined();
    const late = answer('t', 2000);
    expect(codes(late)).toEqual(['response-after-timeout']);
    expect(late.pair?.rttMs).toBe(1990);

    expect(codes(call('a', 2001))).toEqual(['reused-message-id']);
    answer('a', 2002);
    // The history is short: after many other calls an old id is forgotten, so its reuse is no longer flagged.
    for (let i = 0; i < 40; i++) {
      call(`n${i}`, 3000 + i);
      answer(`n${i}`, 3000 + i);
    }
    expect(codes(call('a', 4000))).toEqual([]);
    expect(codes(answer('zzz', 4001))).toEqual(['response-to-unknown-id']);
  });

  it('pairs our own auto-answers without parsing them, and forgets everything on clear', () => {
    const fa = new FrameAnalyzer('2.0.1');
    fa.analyze('[2,"b","Heartbeat",{}]', 'station', 7, 100);
    expect(fa.answerOwn('csms', 'b', 3, 8, 102)).toEqual({ partnerSeq: 7, rttMs: 2 });
    fa.analyze('[2,"c","Heartbeat",{}]', 'station', 9, 110);
    fa.clear();
    expect(fa.answerOwn('csms', 'c', 4, 10, 111)).toBeUndefined();
  });
});

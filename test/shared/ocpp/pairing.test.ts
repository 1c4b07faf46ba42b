import { describe, expect, it } from 'vitest';
import type { Sender } from '../../../shared/capture/events';
import { parseFrame } from '../../../shared/ocpp/frame';
import { analyzeFrame } from '../../../shared/ocpp/analyze';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { PairingTracker } from '../../../shared/ocpp/pairing';

/** Feeds frames in order; each step gets seq = index and the given monotonic time. */
function feeder(tracker: PairingTracker, version: OcppVersion = '2.1', conn = 'c1') {
  let seq = 0;
  return (sender: Sender, text: string, mono: number, onConn = conn) => {
    const r = parseFrame(text, version);
    if (!r.ok) throw new Error(`test frame does not parse: ${text}`);
    return tracker.track({ conn: onConn, sender, seq: seq++, mono, frame: r.frame, version });
  };
}
const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

describe('PairingTracker', () => {
  it('pairs a CALLRESULT with its CALL and measures the round-trip time', () => {
    const t = new PairingTracker();
    const feed = feeder(t);
    expect(feed('station', '[2,"a","Heartbeat",{}]', 1000)).toEqual({ findings: [] });
    expect(feed('csms', '[3,"a",{"currentTime":"2025-01-01T00:00:00Z"}]', 1012.5)).toEqual({
      findings: [],
      pair: { partnerSeq: 0, rttMs: 12.5 },
      action: 'Heartbeat',
      requestSeq: 0,
    });
    expect(t.pending()).toEqual([]);
  });

  it('pairs a CALLERROR too, and keeps directions apart: the same id may be used by both sides', () => {
    const t = new PairingTracker();
    const feed = feeder(t);
    feed('station', '[2,"1","Heartbeat",{}]', 0);
    feed('csms', '[2,"1","GetVariables",{}]', 1);
    expect(feed('station', '[4,"1","NotSupported","",{}]', 5)).toMatchObject({
      action: 'GetVariables',
      requestSeq: 1,
    });
    expect(feed('csms', '[3,"1",{}]', 9)).toMatchObject({
      action: 'Heartbeat',
      requestSeq: 0,
      pair: { rttMs: 9 },
    });
  });

  it('keeps connections apart', () => {
    const t = new PairingTracker();
    const feed = feeder(t);
    feed('station', '[2,"a","Heartbeat",{}]', 0, 'c1');
    expect(codes(feed('csms', '[3,"a",{}]', 1, 'c2'))).toEqual(['response-to-unknown-id']);
    expect(feed('csms', '[3,"a",{}]', 2, 'c1').requestSeq).toBe(0);
  });

  it('flags a duplicate id while the first is still in flight, with the version error code', () => {
    for (const [version, errorCode] of [
      ['1.6', 'FormationViolation'],
      ['2.0.1', 'RpcFrameworkError'],
    ] as const) {
      const t = new PairingTracker();
      const feed = feeder(t, version);
      feed('station', '[2,"7","Heartbeat",{}]', 0);
      const r = feed('station', '[2,"7","StatusNotification",{}]', 1);
      expect(r.findings[0]).toMatchObject({ code: 'duplicate-message-id', severity: 'error', errorCode });
      expect(r.findings[0]?.message).toContain('Heartbeat');
    }
  });

  it('warns when an id is reused after its exchange finished', () => {
    const t = new PairingTracker();
    const feed = feeder(t);
    feed('station', '[2,"7","Heartbeat",{}]', 0);
    feed('csms', '[3,"7",{}]', 1);
    expect(codes(feed('station', '[2,"7","Heartbeat",{}]', 2))).toEqual(['reused-message-id']);
  });

  it('treats a resend with the id of a timed-out request as a reuse, not a clash', () => {
    const t = new PairingTracker({ timeoutMs: 100 });
    const feed = feeder(t);
    feed('station', '[2,"r","Heartbeat",{}]', 0);
    expect(codes(feed('station', '[2,"r","Heartbeat",{}]', 500))).toEqual(['reused-message-id']);
    expect(feed('csms', '[3,"r",{}]', 510)).toMatchObject({
      findings: [],
      pair: { partnerSeq: 1, rttMs: 10 },
    });
  });

  it('flags a response to an id nobody sent, and says when the id came from the same side', () => {
    const t = new PairingTracker();
    const feed = feeder(t);
    const r = feed('csms', '[3,"ghost",{}]', 0);
    expect(r).toEqual({
      findings: [
        {
          code: 'response-to-unknown-id',
          severity: 'error',
          message: 'CALLRESULT for message id "ghost": the charging station sent no request with that id',
        },
      ],
    });
    feed('station', '[2,"m","Heartbeat",{}]', 1);
    const mirrored = feed('station', '[3,"m",{}]', 2);
    expect(codes(mirrored)).toEqual(['response-to-unknown-id']);
    expect(mirrored.findings[0]?.message).toContain('which itself sent that Heartbeat');
  });

  it('flags a second response to the same CALL', () => {
    const t = new PairingTracker();
    const feed = feeder(t);
    feed('station', '[2,"a","Heartbeat",{}]', 0);
    feed('csms', '[3,"a",{}]', 1);
    const again = feed('csms', '[4,"a","InternalError","",{}]', 2);
    expect(codes(again)).toEqual(['duplicate-response']);
    expect(again.pair).toBeUndefined();
  });

  it('flags a late response, whether or not the request was expired first, and still pairs it', () => {
    const t = new PairingTracker({ timeoutMs: 100 });
    const feed = feeder(t);
    feed('station', '[2,"a","Heartbeat",{}]', 0);
    expect(feed('csms', '[3,"a",{}]', 150)).toMatchObject({
      findings: [{ code: 'response-after-timeout', severity: 'warning' }],
      pair: { partnerSeq: 0, rttMs: 150 },
    });

    feed('station', '[2,"b","Heartbeat",{}]', 200);
    expect(t.expire(250)).toEqual([]);
    const expired = t.expire(301);
    expect(expired.map((p) => [p.id, p.action, p.seq])).toEqual([['b', 'Heartbeat', 2]]);
    expect(t.pending()).toEqual([]);
    const late = feed('csms', '[3,"b",{}]', 400);
    expect(late).toMatchObject({ pair: { partnerSeq: 2, rttMs: 200 }, action: 'Heartbeat' });
    expect(late.findings[0]?.code).toBe('response-after-timeout');
    expect(late.findings[0]?.message).toContain('timed out');
  });

  it('says nothing of an answer that comes just inside the timeout (the near miss)', () => {
    const t = new PairingTracker({ timeoutMs: 100 });
    const feed = feeder(t);
    feed('station', '[2,"a","Heartbeat",{}]', 0);
    expect(t.expire(99)).toEqual([]);
    const answer = feed('csms', '[3,"a",{}]', 99);
    expect(answer.findings).toEqual([]);
    expect(answer.pair).toMatchObject({ partnerSeq: 0, rttMs: 99 });
  });

  it('flags a response to a SEND, which is never answered', () => {
    const t = new PairingTracker();
    const feed = feeder(t);
    expect(feed('station', '[6,"s1","NotifyPeriodicEventStream",{}]', 0)).toEqual({ findings: [] });
    expect(t.pending()).toEqual([]);
    const r = feed('csms', '[3,"s1",{}]', 1);
    expect(codes(r)).toEqual(['response-type-mismatch']);
    expect(r.findings[0]?.message).toBe(
      'CALLRESULT to a SEND (NotifyPeriodicEventStream, seq 0): a SEND is never answered',
    );
  });

  it('pairs a CALLRESULTERROR with the CALLRESULT it rejects, and flags one that rejects nothing', () => {
    const t = new PairingTracker();
    const feed = feeder(t);
    feed('csms', '[2,"g","GetVariables",{}]', 0);
    feed('station', '[3,"g",{}]', 1);
    expect(feed('csms', '[5,"g","FormatViolation","bad result",{}]', 2)).toEqual({
      findings: [],
      pair: { partnerSeq: 1 },
      action: 'GetVariables',
      requestSeq: 0,
    });
    feed('csms', '[2,"h","GetVariables",{}]', 3);
    feed('station', '[4,"h","NotSupported","",{}]', 4);
    expect(codes(feed('csms', '[5,"h","FormatViolation","",{}]', 5))).toEqual(['response-type-mismatch']);
    expect(codes(feed('csms', '[5,"zzz","FormatViolation","",{}]', 6))).toEqual(['response-to-unknown-id']);
  });

  it('warns about a second CALL while one from the same sender is in flight, but not across sides or after a SEND', () => {
    const t = new PairingTracker();
    const feed = feeder(t);
    feed('station', '[2,"1","BootNotification",{}]', 0);
    expect(codes(feed('csms', '[2,"x","GetVariables",{}]', 1))).toEqual([]);
    const second = feed('station', '[2,"2","Heartbeat",{}]', 2);
    expect(codes(second)).toEqual(['call-while-pending']);
    expect(second.findings[0]?.message).toContain('BootNotification');
    expect(codes(feed('station', '[6,"3","NotifyPeriodicEventStream",{}]', 3))).toEqual([]);
    feed('csms', '[3,"1",{}]', 4);
    feed('csms', '[3,"2",{}]', 5);
    expect(codes(feed('station', '[2,"4","Heartbeat",{}]', 6))).toEqual([]);
  });

  it('stays bounded when a peer never answers', () => {
    const t = new PairingTracker({ maxPending: 10, historySize: 5 });
    const feed = feeder(t);
    for (let i = 0; i < 1000; i++) feed('station', `[2,"${i}","Heartbeat",{}]`, i);
    expect(t.pending('c1')).toHaveLength(10);
    expect(t.pending('c1')[0]?.id).toBe('990');
    t.forget('c1');
    expect(t.pending()).toEqual([]);
  });

  for (const historySize of [5, 64]) {
    it(`past its in-flight limit, says so once per episode and pairs a late answer honestly (history of ${historySize})`, () => {
      const t = new PairingTracker({ maxPending: 10, historySize, timeoutMs: 1000 });
      const feed = feeder(t, '1.6');
      const limitFindings: number[] = [];
      const call = (i: number, mono: number): void => {
        const r = feed('station', `[2,"${i}","Heartbeat",{}]`, mono);
        if (codes(r).includes('in-flight-limit')) limitFindings.push(i);
      };
      for (let i = 0; i < 15; i++) call(i, i);
      // The 11th call let the first go, and said so; the next four let four more go without repeating it.
      expect(limitFindings).toEqual([10]);
      expect(t.pending('c1')).toHaveLength(10);
      // An answer to a request let go pairs, with its true round-trip time: it did not time out.
      expect(feed('csms', '[3,"4",{"currentTime":"2025-01-01T00:00:00Z"}]', 104)).toEqual({
        findings: [],
        pair: { partnerSeq: 4, rttMs: 100 },
        action: 'Heartbeat',
        requestSeq: 4,
      });
      expect(codes(feed('csms', '[3,"4",{"currentTime":"2025-01-01T00:00:00Z"}]', 105))).toEqual([
        'duplicate-response',
      ]);
      // Later than the timeout, it says so as for any late answer.
      const late = feed('csms', '[3,"3",{"currentTime":"2025-01-01T00:00:00Z"}]', 2003);
      expect(codes(late)).toEqual(['response-after-timeout']);
      expect(late.findings[0]?.message).toContain('later than the 1000 ms timeout');
      // Many more let go: the history no longer holds the oldest, whose answer is then not called unknown.
      for (let i = 15; i < 15 + historySize + 10; i++) call(i, 3000 + i);
      const untracked = feed('csms', '[3,"0",{"currentTime":"2025-01-01T00:00:00Z"}]', 4000);
      expect(codes(untracked)).toEqual(['response-to-untracked-request']);
      expect(untracked.findings[0]?.severity).toBe('info');
      // An id never sent cannot be told from one let go and forgotten: it gets the same note, not an error.
      expect(codes(feed('csms', '[3,"nope",{}]', 4001))).toEqual(['response-to-untracked-request']);
      expect(limitFindings).toEqual([10]);
      // Answered down to half the limit, the episode ends: the next drop is said again.
      for (const p of t.pending('c1').slice(0, 5)) feed('csms', `[3,"${p.id}",{}]`, 4002);
      expect(t.pending('c1')).toHaveLength(5);
      for (let i = 1000; i < 1006; i++) call(i, 5000 + i);
      expect(limitFindings).toEqual([10, 1005]);
    });
  }

  it('counts the requests let go down as answers account for them: past the last, an unknown id is an error again', () => {
    const t = new PairingTracker({ maxPending: 2, historySize: 2, timeoutMs: 1000 });
    const feed = feeder(t, '1.6');
    for (let i = 0; i < 8; i++) feed('station', `[2,"${i}","Heartbeat",{}]`, i);
    // Six let go ("0" to "5"); the history holds "4" and "5".
    expect(codes(feed('csms', '[3,"5",{}]', 10))).toEqual([]);
    for (const id of ['0', '1', '2', '3', 'never-sent']) {
      expect(codes(feed('csms', `[3,"${id}",{}]`, 11))).toEqual(['response-to-untracked-request']);
    }
    // "4" is still in the history: paired, the last one let go accounted for.
    expect(feed('csms', '[3,"4",{}]', 12)).toMatchObject({ findings: [], pair: { partnerSeq: 4 } });
    expect(codes(feed('csms', '[3,"also-never-sent",{}]', 13))).toEqual(['response-to-unknown-id']);
  });

  it("times out a request let go when the engine's own timer for it fires: a later answer is late, not merely paired", () => {
    const t = new PairingTracker({ maxPending: 1, historySize: 4, timeoutMs: 60_000 });
    const feed = feeder(t, '1.6');
    feed('csms', '[2,"a","GetConfiguration",{}]', 0);
    feed('csms', '[2,"b","GetConfiguration",{}]', 1);
    // "a" was let go; the engine's 5 s timer for it fires: nothing in flight to expire, but it is now timed out.
    expect(t.expireOne('c1', 'csms', 'a')).toBeUndefined();
    const late = feed('station', '[3,"a",{}]', 5001);
    expect(codes(late)).toEqual(['response-after-timeout']);
    expect(late.pair).toEqual({ partnerSeq: 0, rttMs: 5001 });
  });

  it('ends a drop episode when the timeouts bring the requests in flight down to half the limit', () => {
    const t = new PairingTracker({ maxPending: 4, historySize: 4, timeoutMs: 100 });
    const feed = feeder(t, '1.6');
    const limit = (i: number, mono: number): string[] =>
      codes(feed('station', `[2,"${i}","Heartbeat",{}]`, mono)).filter((c) => c === 'in-flight-limit');
    for (let i = 0; i < 5; i++) expect(limit(i, i)).toEqual(i === 4 ? ['in-flight-limit'] : []);
    expect(t.expire(1000).length).toBe(4);
    for (let i = 10; i < 15; i++) expect(limit(i, 1000 + i)).toEqual(i === 14 ? ['in-flight-limit'] : []);
  });

  it('still calls an answer with no request unknown on a connection that let nothing go', () => {
    const t = new PairingTracker({ maxPending: 10 });
    const feed = feeder(t, '1.6');
    for (let i = 0; i < 10; i++) feed('station', `[2,"${i}","Heartbeat",{}]`, i);
    expect(codes(feed('csms', '[3,"nope",{}]', 20))).toEqual(['response-to-unknown-id']);
  });

  it('compacted while quiet, still knows what it paired and pairs what comes next, on one connection or several', () => {
    const t = new PairingTracker();
    const feed = feeder(t);
    feed('station', '[2,"a","Heartbeat",{}]', 0);
    feed('csms', '[3,"a",{"currentTime":"2025-01-01T00:00:00Z"}]', 1);
    feed('station', '[2,"b","Heartbeat",{}]', 2);
    t.compact();
    // Still in flight across the compaction: its answer pairs.
    expect(feed('csms', '[3,"b",{"currentTime":"2025-01-01T00:00:00Z"}]', 3)).toMatchObject({
      pair: { partnerSeq: 2, rttMs: 1 },
    });
    t.compact();
    // Finished before it: a second answer and a reused id are still recognised.
    expect(codes(feed('csms', '[3,"a",{"currentTime":"2025-01-01T00:00:00Z"}]', 4))).toEqual([
      'duplicate-response',
    ]);
    expect(codes(feed('station', '[2,"a","Heartbeat",{}]', 5))).toEqual(['reused-message-id']);
    expect(t.pending().map((p) => p.id)).toEqual(['a']);
    // A second connection joins the first: each keeps its own.
    feed('station', '[2,"a","Heartbeat",{}]', 6, 'c2');
    expect(t.pending().map((p) => `${p.conn}:${p.id}`)).toEqual(['c1:a', 'c2:a']);
    t.forget('c1');
    expect(t.pending().map((p) => `${p.conn}:${p.id}`)).toEqual(['c2:a']);
  });

  it("pairs a request marked with a fresh id (our station's) as any other: its answer, a second answer, a timeout, one call in flight", () => {
    const t = new PairingTracker({ timeoutMs: 100 });
    const fresh = (id: string, seq: number, mono: number) =>
      t.pair({ conn: 'c', sender: 'station', seq, mono, type: 2, id, action: 'Heartbeat', freshId: true });
    const answer = (id: string, seq: number, mono: number) =>
      t.pair({ conn: 'c', sender: 'csms', seq, mono, type: 3, id, action: '' });
    expect(fresh('u1', 0, 0).findings).toEqual([]);
    expect(answer('u1', 1, 4)).toMatchObject({
      findings: [],
      pair: { partnerSeq: 0, rttMs: 4 },
      requestSeq: 0,
    });
    expect(codes(answer('u1', 2, 5))).toEqual(['duplicate-response']);
    expect(codes(fresh('u2', 3, 10))).toEqual([]);
    expect(codes(fresh('u3', 4, 11))).toEqual(['call-while-pending']);
    expect(t.expireOne('c', 'station', 'u2')?.id).toBe('u2');
    expect(answer('u2', 5, 500)).toMatchObject({ pair: { partnerSeq: 3 } });
    expect(codes(answer('u2', 5, 500))).toEqual(['duplicate-response']);
  });

  it('answers which action an id belongs to', () => {
    const t = new PairingTracker();
    const feed = feeder(t);
    feed('csms', '[2,"r","Reset",{}]', 0);
    expect(t.actionOf('c1', 'csms', 'r')).toBe('Reset');
    expect(t.actionOf('c1', 'station', 'r')).toBeUndefined();
  });
});

describe('malformed CALLs pair with their answers (standInFrame)', () => {
  it.each([
    ['a null payload', '[2,"a","Heartbeat",null]', 'a'],
    ['five elements', '[2,"b","Heartbeat",{},1]', 'b'],
    ['a 37-character id', `[2,"${'z'.repeat(37)}","Heartbeat",{}]`, 'z'.repeat(37)],
  ])('%s', (_name, text, id) => {
    const tracker = new PairingTracker();
    const call = analyzeFrame({
      text,
      sender: 'station',
      conn: 'c',
      seq: 1,
      mono: 0,
      tracker,
      version: '1.6',
    });
    expect(call.problem).toBeDefined();
    const answer = analyzeFrame({
      text: JSON.stringify([4, id, 'FormationViolation', '', {}]),
      sender: 'csms',
      conn: 'c',
      seq: 2,
      mono: 3,
      tracker,
      version: '1.6',
    });
    expect(answer.findings.map((f) => f.code)).not.toContain('response-to-unknown-id');
    expect(answer.pair).toEqual({ partnerSeq: 1, rttMs: 3 });
  });
});

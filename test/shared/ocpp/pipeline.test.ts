import { describe, expect, it } from 'vitest';
import type { FrameObserverFactory, ObservedFrame } from '../../../shared/ocpp/frame-observer';
import { FramePipeline } from '../../../shared/ocpp/pipeline';
import type { JsonObject } from '../../../shared/ocpp/json';
import { bootWatch } from '../../support/test-observer';

const codes = (a: { findings: { code: string }[] }): string[] => a.findings.map((f) => f.code);

describe('FramePipeline (parse -> pair -> schema -> behaviour rules)', () => {
  it('pairs answers with RTT, names a second answer, a late one and a reused id, with its short history', () => {
    const p = new FramePipeline('1.6', { timeoutMs: 1000, observers: [] });
    let seq = 0;
    const call = (id: string, mono: number) =>
      p.analyze(`[2,"${id}","Heartbeat",{}]`, 'station', seq++, mono);
    const answer = (id: string, mono: number) =>
      p.analyze(`[3,"${id}",{"currentTime":"2025-01-01T00:00:00Z"}]`, 'csms', seq++, mono);

    expect(codes(call('a', 0))).toEqual([]);
    const first = answer('a', 5);
    expect(first.pair).toEqual({ partnerSeq: 0, rttMs: 5 });
    expect(first.msg?.action).toBe('Heartbeat');
    expect(codes(answer('a', 6))).toEqual(['duplicate-response']);

    // A call we gave up on is still recognised when its answer comes late.
    call('t', 10);
    expect(p.timedOut('station', 't')?.action).toBe('Heartbeat');
    expect(p.timedOut('station', 't')).toBeUndefined();
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

  it('pairs our own answers and a malformed call by type and id, and forgets everything on clear', () => {
    const p = new FramePipeline('2.0.1', { observers: [] });
    p.analyze('[2,"b","Heartbeat",{}]', 'station', 7, 100);
    expect(p.pairOwnAnswer('csms', 'b', 3, 8, 102)).toEqual({ partnerSeq: 7, rttMs: 2 });
    // A request too broken to parse is still a request: the CALLERROR the engine answers it with pairs with it.
    const broken = p.analyze('[2,"m","Heartbeat"]', 'station', 9, 110);
    expect(codes(broken)).toEqual(['frame-wrong-element-count']);
    expect(p.pairOwnAnswer('csms', 'm', 4, 10, 111)).toEqual({ partnerSeq: 9, rttMs: 1 });
    p.analyze('[2,"c","Heartbeat",{}]', 'station', 11, 112);
    p.clear();
    expect(p.pairOwnAnswer('csms', 'c', 4, 12, 113)).toBeUndefined();
  });

  it('a malformed answer still answers its request (no stand-in frame): paired, with its RTT', () => {
    const p = new FramePipeline('1.6', { observers: [] });
    p.analyze('[2,"x","Heartbeat",{}]', 'csms', 0, 0);
    const a = p.analyze('[3,"x"]', 'station', 1, 4);
    expect(a.problem?.code).toBe('wrong-element-count');
    expect(a.pair).toEqual({ partnerSeq: 0, rttMs: 4 });
    expect(codes(a)).toEqual(['frame-wrong-element-count']);
  });

  it('runs schema validation of a response by the action of the request it answers', () => {
    const p = new FramePipeline('1.6', { observers: [] });
    p.analyze('[2,"b","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]', 'station', 0, 0);
    const a = p.analyze('[3,"b",{"status":"Maybe","interval":"x"}]', 'csms', 1, 1);
    expect(a.findings.map((f) => [f.code, f.path])).toEqual(
      expect.arrayContaining([
        ['schema-required', '/currentTime'],
        ['schema-type', '/interval'],
        ['schema-enum', '/status'],
      ]),
    );
  });

  it('hands every parsed frame to the observers in order, with the request a response answers, and appends their findings', () => {
    const observed: ObservedFrame[] = [];
    const spy: FrameObserverFactory = () => ({
      observe: (f) => (observed.push(f), []),
      advance: () => [],
      closed: () => [],
    });
    const p = new FramePipeline('1.6', { observers: [spy, bootWatch] });
    expect(p.observing).toBe(true);
    p.analyze('[2,"h1","Heartbeat",{}]', 'station', 0, 0, 1000);
    p.analyze('[3,"h1",{"currentTime":"2025-01-01T00:00:00Z"}]', 'csms', 1, 1, 1001);
    p.analyze('not json', 'station', 2, 2, 1002);
    const second = p.analyze('[2,"h1","Heartbeat",{"x":1}]', 'station', 3, 3, 1003);
    // Earlier stages' findings first (schema, pairing), then the rule's, naming the first heartbeat.
    expect(codes(second)).toEqual([
      'schema-additional-property',
      'reused-message-id',
      'test-second-heartbeat',
    ]);
    expect(second.findings[2]!.related).toEqual([0]);
    expect(observed.map((f) => f.seq)).toEqual([0, 1, 3]);
    expect(observed[1]!.request).toEqual({ seq: 0, t: 1000, action: 'Heartbeat', payload: {} });
    expect(observed[2]!.findings.map((f) => f.code)).toContain('schema-additional-property');
  });

  it('passes on what the rules conclude as time passes and when the connection closes, and resets per connection', () => {
    const p = new FramePipeline('2.0.1', { observers: [bootWatch] });
    p.analyze(
      '[2,"b","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V"}}]',
      'station',
      0,
      0,
      5000,
    );
    expect(p.advance(5500)).toEqual([]);
    const timed = p.advance(6001);
    expect(timed.map((x) => [x.t, x.finding.code, x.finding.related])).toEqual([
      [6001, 'test-boot-unanswered', [0]],
    ]);
    p.analyze(
      '[2,"c","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V"}}]',
      'station',
      1,
      1,
      7000,
    );
    expect(p.closed(7100).map((x) => x.finding.message)).toEqual([
      'BootNotification (2.0.1) not answered by 7100',
    ]);
    // Closing forgets the connection: the same id is not a reuse on the next one.
    expect(codes(p.analyze('[2,"c","Heartbeat",{}]', 'station', 2, 2, 8000))).toEqual([]);
  });

  it('makes no rule state for a connection until its first frame (idle chargers cost little), then judges as usual', () => {
    let made = 0;
    const counting: FrameObserverFactory = (version, connection) => {
      made++;
      return bootWatch(version, connection);
    };
    const p = new FramePipeline('2.0.1', { observers: [counting] });
    expect(p.advance(1000)).toEqual([]);
    expect(p.advance(100_000)).toEqual([]);
    expect(made).toBe(0);
    p.analyze(
      '[2,"b","BootNotification",{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V"}}]',
      'station',
      0,
      0,
      200_000,
    );
    expect(made).toBe(1);
    expect(p.advance(201_001).map((x) => x.finding.code)).toEqual(['test-boot-unanswered']);
  });

  it('without observers, reads no clock and concludes nothing', () => {
    const p = new FramePipeline('1.6', { observers: [] });
    expect(p.observing).toBe(false);
    expect(p.advance(1e12)).toEqual([]);
    expect(p.closed(1e12)).toEqual([]);
  });

  it('an answer the engine built itself reaches the rules without being parsed as a frame, and is paired', () => {
    const p = new FramePipeline('1.6', { connection: { conn: 'c1', identity: 'CP1' } });
    const boot = p.analyze(
      '[2,"b","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]',
      'station',
      0,
      0,
      1000,
    );
    expect(codes(boot)).toEqual([]);
    const own = p.ownAnswer(
      'csms',
      (text) => ({ type: 3, id: 'b', payload: JSON.parse(text) as JsonObject }),
      '{"status":"Rejected","currentTime":"2025-01-01T00:00:00Z","interval":60}',
      3,
      'b',
      1,
      4,
      1004,
    );
    expect(own.pair).toEqual({ partnerSeq: 0, rttMs: 4 });
    expect(own.findings).toEqual([]);
    // The rules read the Rejected in our own answer: traffic before an accepted boot is flagged.
    const status = p.analyze(
      '[2,"s","StatusNotification",{"connectorId":1,"status":"Available","errorCode":"NoError"}]',
      'station',
      2,
      10,
      1010,
    );
    expect(codes(status)).toEqual(['traffic-before-boot-accepted']);
  });
});

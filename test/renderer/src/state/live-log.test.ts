import { beforeEach, describe, expect, it } from 'vitest';
import { LiveLog } from '../../../../renderer/src/state/live-log';
import { exchange, frame, opened, resetSeq } from '../fixtures';

describe('LiveLog', () => {
  beforeEach(resetSeq);

  it('links a request to its response both ways and gives both the RTT', () => {
    const log = new LiveLog();
    const [call, result] = exchange('c1', 'BootNotification', 42);
    log.add([opened('c1', 'CP1'), call, result]);
    expect(log.partnerOf(call)?.seq).toBe(result.seq);
    expect(log.partnerOf(result)?.seq).toBe(call.seq);
    expect(log.rttOf(call)).toBe(42);
    expect(log.rttOf(result)).toBe(42);
  });

  it('ignores duplicates and puts a late backfill in stream order', () => {
    const log = new LiveLog();
    const a = opened('c1', 'CP1');
    const [b, c] = exchange('c1', 'Heartbeat', 3);
    log.add([c]);
    log.add([a, b, c]);
    expect(log.events.map((e) => e.seq)).toEqual([a.seq, b.seq, c.seq]);
    expect(log.count).toBe(3);
    expect(log.partnerOf(b)?.seq).toBe(c.seq);
  });

  it('filters with the engine query semantics, and keeps filtering as events arrive', () => {
    const log = new LiveLog();
    log.add([opened('c1', 'CP1'), ...exchange('c1', 'BootNotification', 5), opened('c2', 'CP2')]);
    log.setQuery({ identity: 'cp2' });
    expect(log.count).toBe(1);
    log.add(exchange('c2', 'Heartbeat', 1));
    expect(log.count).toBe(3);
    log.setQuery({ action: 'Heartbeat', messageType: 3 });
    expect(log.count).toBe(1);
    expect(log.at(0)?.kind === 'frame' && log.at(0)).toMatchObject({ msg: { type: 3, action: 'Heartbeat' } });
    log.setQuery({});
    expect(log.count).toBe(log.events.length);
  });

  it('finds the row of an event under a filter, or -1 when hidden', () => {
    const log = new LiveLog();
    const [call, result] = exchange('c1', 'Authorize', 9);
    const bad = frame('c1', {
      sender: 'station',
      text: '[2,"x"',
      findings: [],
      problem: { code: 'not-json', message: 'not JSON', errorCode: 'FormationViolation' },
    });
    log.add([call, result, bad]);
    log.setQuery({ withFindings: true });
    expect(log.rowOf(bad.seq)).toBe(0);
    expect(log.rowOf(call.seq)).toBe(-1);
    log.setQuery({ text: 'authorize' });
    expect(log.rowOf(call.seq)).toBe(0);
  });

  // How fast is bench/'s job (a wall-clock bound in a unit test fails on a busy machine, not on a slow LiveLog).
  it('holds a million events and filters them down to the matching ones', () => {
    const log = new LiveLog();
    const batch = [];
    for (let i = 0; i < 500_000; i++)
      batch.push(...exchange('c1', i % 10 === 0 ? 'MeterValues' : 'Heartbeat', 1));
    log.add(batch);
    expect(log.count).toBe(1_000_000);
    log.setQuery({ action: 'MeterValues' });
    expect(log.count).toBe(100_000);
  });
});

describe('LiveLog counters', () => {
  beforeEach(resetSeq);

  it('counts frames, findings and the last RTT per connection, also after an out-of-order rebuild', () => {
    const log = new LiveLog();
    const [a, b] = exchange('c1', 'Heartbeat', 4);
    const [c, d] = exchange('c1', 'Heartbeat', 6);
    log.add([b, c, d]);
    log.add([a]);
    expect(log.connStats('c1')).toEqual({ frames: 4, findings: 0, lastRttMs: 6 });
    expect(log.partnerOf(a)?.seq).toBe(b.seq);
  });
});

describe('LiveLog memory bound', () => {
  beforeEach(resetSeq);

  it('drops the oldest events past its bound, keeps pairing and session counters', () => {
    const log = new LiveLog(1000);
    for (let i = 0; i < 600; i++) log.add(exchange('c1', 'Heartbeat', 2));
    expect(log.events.length).toBeLessThanOrEqual(1000);
    expect(log.trimmed + log.events.length).toBe(1200);
    expect(log.events[0]!.seq).toBe(log.trimmed);
    expect(log.connStats('c1')?.frames).toBe(1200);
    const last = log.events[log.events.length - 1]!;
    expect(log.partnerOf(last)?.seq).toBe(last.seq - 1);
    log.setQuery({ messageType: 2 });
    expect(log.count).toBe(log.events.length / 2);
  });
});

describe('LiveLog clear', () => {
  beforeEach(resetSeq);

  it('empties the window, counts what it dropped, and keeps taking new events', () => {
    const log = new LiveLog();
    log.add([opened('c1', 'CP1'), ...exchange('c1', 'Heartbeat', 1)]);
    log.clear();
    expect(log.count).toBe(0);
    expect(log.trimmed).toBe(3);
    const [call, result] = exchange('c1', 'Heartbeat', 2);
    log.add([call, result]);
    expect(log.count).toBe(2);
    expect(log.identityOf('c1')).toBe('CP1');
    expect(log.partnerOf(call)?.seq).toBe(result.seq);
  });
});

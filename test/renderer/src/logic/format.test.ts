import { describe, expect, it } from 'vitest';
import {
  directionLabel,
  eventSummary,
  formatBytes,
  formatCount,
  formatRtt,
  formatSince,
  formatTime,
  prettyJson,
  sentByUs,
} from '../../../../renderer/src/logic/format';

describe('formatting', () => {
  it('shows round-trip times at a glance', () => {
    expect(formatRtt(undefined)).toBe('');
    expect(formatRtt(0.4)).toBe('<1 ms');
    expect(formatRtt(37.4)).toBe('37 ms');
    expect(formatRtt(1250)).toBe('1.25 s');
    expect(formatRtt(42_000)).toBe('42.0 s');
    expect(formatRtt(125_000)).toBe('2 min 5 s');
    expect(formatRtt(-1)).toBe('');
  });

  it('formats times with milliseconds in local time', () => {
    const t = new Date(2026, 0, 2, 3, 4, 5, 6).getTime();
    expect(formatTime(t)).toBe('03:04:05.006');
  });

  it('says how long ago', () => {
    expect(formatSince(0, 12_000)).toBe('12 s');
    expect(formatSince(0, 4 * 60_000)).toBe('4 min');
    expect(formatSince(0, 125 * 60_000)).toBe('2 h 5 min');
    expect(formatSince(0, 72 * 3_600_000)).toBe('3 d');
  });

  it('counts and sizes', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12)).toBe('12');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
  });

  it('names directions in OCPP terms and knows who the tool is', () => {
    expect(directionLabel('station')).toBe('CS → CSMS');
    expect(directionLabel('csms')).toBe('CSMS → CS');
    expect(sentByUs('csms', 'endpoint')).toBe(true);
    expect(sentByUs('station', 'endpoint')).toBe(false);
    expect(sentByUs('station', 'station')).toBe(true);
    expect(sentByUs('station', 'proxy')).toBe(false);
  });

  it('summarises non-frame events in words', () => {
    const base = { seq: 1, t: 0, mono: 0, conn: 'c1' };
    expect(eventSummary({ ...base, kind: 'closed', code: 1006, reason: '', by: 'none', clean: false })).toBe(
      'closed 1006 by none (unclean)',
    );
    expect(
      eventSummary({
        ...base,
        kind: 'frame',
        sender: 'station',
        text: 'nope',
        findings: [],
        problem: { code: 'not-json', message: 'x', errorCode: 'FormationViolation' },
      }),
    ).toBe('unparsable: not-json');
    expect(
      eventSummary({
        ...base,
        kind: 'frame',
        sender: 'csms',
        text: '[4,"1","NotImplemented","",{}]',
        findings: [],
        msg: { type: 4, id: '1', action: 'Reset', errorCode: 'NotImplemented' },
      }),
    ).toBe('Reset NotImplemented');
  });

  it('pretty-prints JSON and leaves broken text alone', () => {
    expect(prettyJson('[2,"a","B",{}]')).toBe('[\n  2,\n  "a",\n  "B",\n  {}\n]');
    expect(prettyJson('[2,')).toBeUndefined();
  });
});

describe('keepalive rows say who pinged', () => {
  const base = { seq: 1, t: 0, mono: 0, conn: 'c1', data: '' };
  it('a ping names its sender, a pong names whose ping it answers, with the RTT', () => {
    expect(eventSummary({ ...base, kind: 'ping', sender: 'csms' })).toBe('ping from the CSMS');
    expect(eventSummary({ ...base, kind: 'pong', sender: 'station', rttMs: 12 })).toBe(
      "pong to the CSMS's ping 12 ms",
    );
    expect(eventSummary({ ...base, kind: 'pong', sender: 'csms' })).toBe("pong to the station's ping");
  });
});

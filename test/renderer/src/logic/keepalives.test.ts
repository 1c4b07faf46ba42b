import { describe, expect, it } from 'vitest';
import { matchesQuery } from '../../../../shared/capture/query';
import { keepaliveClause, searchQuery } from '../../../../renderer/src/logic/keepalives';
import type { ScopeEvent } from '../../../../renderer/src/types';

const base = 1_700_000_000_000;
const ping: ScopeEvent = { seq: 1, t: base, mono: 1, conn: 'c1', kind: 'ping', sender: 'station', data: '' };
const pong: ScopeEvent = { seq: 2, t: base, mono: 2, conn: 'c1', kind: 'pong', sender: 'csms', data: '' };
const heartbeat: ScopeEvent = {
  seq: 3,
  t: base,
  mono: 3,
  conn: 'c1',
  kind: 'frame',
  sender: 'station',
  text: '[2,"h","Heartbeat",{}]',
  msg: { type: 2, id: 'h', action: 'Heartbeat' },
  findings: [],
};
const boot: ScopeEvent = {
  ...heartbeat,
  seq: 4,
  text: '[2,"b","BootNotification",{}]',
  msg: { type: 2, id: 'b', action: 'BootNotification' },
};
const all = [ping, pong, heartbeat, boot];
const noIds = { identityOf: () => undefined };
const shown = (search: string, hiding: Parameters<typeof searchQuery>[2]) => {
  const { query } = searchQuery(search, base, hiding);
  return all.filter((e) => matchesQuery(e, query, noIds)).map((e) => e.seq);
};

describe('hiding keepalives', () => {
  it('adds nothing when off', () => {
    expect(keepaliveClause('off')).toBe('');
    expect(shown('', 'off')).toEqual([1, 2, 3, 4]);
  });

  it('hides ping and pong, and Heartbeat only when asked', () => {
    expect(shown('', 'pings')).toEqual([3, 4]);
    expect(shown('', 'pings-and-heartbeats')).toEqual([4]);
  });

  it('ANDs with the person’s own filter, and reports problems in that filter alone', () => {
    expect(shown('from:cs OR kind:pong', 'pings')).toEqual([3, 4]);
    const bad = searchQuery('action:(', base, 'pings');
    expect(bad.unknown.length).toBe(1);
    expect(all.filter((e) => matchesQuery(e, bad.query, noIds)).map((e) => e.seq)).toEqual([3, 4]);
  });
});

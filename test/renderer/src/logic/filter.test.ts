import { describe, expect, it } from 'vitest';
import { completeFilter, formatSearch, parseSearch } from '../../../../renderer/src/logic/filter';

describe('filter bar language', () => {
  it('maps keys onto EventQuery fields', () => {
    const { query, unknown } = parseSearch(
      'action:BootNotification type:call from:cs cp:CP001 conn:c7 is:findings',
    );
    expect(query).toEqual({
      action: 'BootNotification',
      messageType: 2,
      sender: 'station',
      identity: 'CP001',
      connection: 'c7',
      withFindings: true,
    });
    expect(unknown).toEqual([]);
  });

  it('accepts type words and numbers, and from:csms', () => {
    expect(parseSearch('type:error').query.messageType).toBe(4);
    expect(parseSearch('type:5').query.messageType).toBe(5);
    expect(parseSearch('type:send').query.messageType).toBe(6);
    expect(parseSearch('from:csms').query.sender).toBe('csms');
  });

  it('reports what it did not understand instead of silently ignoring it', () => {
    const { query, unknown } = parseSearch('type:bogus from:cs');
    expect(query).toEqual({});
    expect(unknown).toEqual(['type:bogus: use call, result, error, resulterror, send or 2-6']);
    expect(parseSearch('colour:red').unknown[0]).toMatch(/^unknown key "colour"/);
    expect(parseSearch('(action:Heartbeat').unknown).toEqual(['a parenthesis is not closed']);
  });

  it('sends OR, NOT and parentheses as filter text, and a plain conjunction as fields', () => {
    const base = new Date(2026, 10, 20, 9, 30).getTime();
    expect(parseSearch('action:Heartbeat OR action:BootNotification', base).query).toEqual({
      filter: 'action:Heartbeat OR action:BootNotification',
      filterBase: base,
    });
    expect(parseSearch('-from:cs', base).query.filter).toBe('-from:cs');
    expect(parseSearch('hello world', base).query.filter).toBe('hello world');
    expect(parseSearch('action:Heartbeat AND from:csms').query).toEqual({
      action: 'Heartbeat',
      sender: 'csms',
    });
    // A chip toggled on a complex filter keeps the filter, ANDed.
    expect(formatSearch({ withFindings: true, filter: 'a OR b' })).toBe('is:findings (a OR b)');
  });

  it('keeps free text, including quoted phrases and URLs with colons', () => {
    expect(parseSearch('Accepted').query.text).toBe('Accepted');
    expect(parseSearch('"vendor name" action:Heartbeat').query).toEqual({
      text: 'vendor name',
      action: 'Heartbeat',
    });
    expect(parseSearch('ws://host:9000/x').query.text).toBe('ws://host:9000/x');
  });

  it('round-trips through formatSearch', () => {
    for (const text of [
      'action:Authorize type:result from:csms',
      'cp:"CP 1" is:findings hello',
      'type:resulterror',
    ]) {
      const q = parseSearch(text).query;
      expect(parseSearch(formatSearch(q)).query).toEqual(q);
    }
  });

  it('takes a time range, clock times on the day of the first event shown', () => {
    const base = new Date(2026, 10, 20, 9, 30).getTime();
    const { query } = parseSearch('since:14:03 until:14:05:30.25', base);
    expect(query.from).toBe(new Date(2026, 10, 20, 14, 3).getTime());
    expect(query.to).toBe(new Date(2026, 10, 20, 14, 5, 30, 250).getTime());
    expect(parseSearch('since:2026-11-24T03:00:00Z').query.from).toBe(Date.UTC(2026, 10, 24, 3));
    expect(parseSearch('until:1764000000000').query.to).toBe(1764000000000);
    expect(parseSearch('since:yesterday').unknown[0]).toMatch(/^since:yesterday: not a time/);
    const q = parseSearch('since:14:03 action:Heartbeat', base).query;
    expect(parseSearch(formatSearch(q), base).query).toEqual(q);
  });

  it('an empty bar is an empty query', () => {
    expect(parseSearch('   ').query).toEqual({});
    expect(formatSearch({})).toBe('');
  });
});

describe('filter completion', () => {
  it('completes key names, then the values of enumerated keys', () => {
    expect(completeFilter('act').map((c) => c.text)).toEqual(['action:']);
    expect(completeFilter('from:cs (ty').map((c) => c.text)).toEqual(['from:cs (type:']);
    expect(completeFilter('type:re').map((c) => c.text)).toEqual(['type:result ', 'type:resulterror ']);
    expect(completeFilter('-is:').map((c) => c.label)).toEqual(['is:findings', 'is:error', 'is:warning']);
    expect(completeFilter('')).toEqual([]);
    expect(completeFilter('action:Boot')).toEqual([]);
    expect(completeFilter('"quoted te')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { formatSearch, parseSearch } from '../../../../renderer/src/logic/filter';

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
    const { query, unknown } = parseSearch('type:bogus from:moon is:weird');
    expect(query).toEqual({});
    expect(unknown).toEqual(['type:bogus', 'from:moon', 'is:weird']);
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
    expect(parseSearch('since:yesterday').unknown).toEqual(['since:yesterday']);
    const q = parseSearch('since:14:03 action:Heartbeat', base).query;
    expect(parseSearch(formatSearch(q), base).query).toEqual(q);
  });

  it('an empty bar is an empty query', () => {
    expect(parseSearch('   ').query).toEqual({});
    expect(formatSearch({})).toBe('');
  });
});

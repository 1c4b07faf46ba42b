import { describe, expect, it } from 'vitest';
import { matchesQuery, queryFromOptions } from '../../../shared/capture/query';
import type { ScopeEvent } from '../../../shared/capture/events';

const call: ScopeEvent = {
  kind: 'frame',
  seq: 1,
  t: 1000,
  mono: 0,
  conn: 'c1',
  sender: 'station',
  text: '[2,"a","BootNotification",{"chargePointVendor":"Acme"}]',
  msg: { type: 2, id: 'a', action: 'BootNotification' },
  findings: [{ code: 'schema-required', severity: 'error', message: 'chargePointModel is required' }],
};
const ctx = { identityOf: (c: string) => (c === 'c1' ? 'CP-1' : undefined) };

describe('query', () => {
  it('matches each criterion and rejects when any one fails', () => {
    expect(
      matchesQuery(
        call,
        {
          identity: 'cp-1',
          action: 'bootnotification',
          messageType: 2,
          sender: 'station',
          withFindings: true,
          text: 'ACME',
          from: 999,
          to: 1001,
        },
        ctx,
      ),
    ).toBe(true);
    expect(matchesQuery(call, { identity: 'CP-2' }, ctx)).toBe(false);
    expect(matchesQuery(call, { messageType: 3 }, ctx)).toBe(false);
    expect(matchesQuery(call, { sender: 'csms' }, ctx)).toBe(false);
    expect(matchesQuery(call, { text: 'zzz' }, ctx)).toBe(false);
    expect(matchesQuery(call, { text: 'chargePointModel is required' }, ctx)).toBe(true);
    expect(matchesQuery(call, { to: 999 }, ctx)).toBe(false);
    expect(matchesQuery({ ...call, findings: [] }, { withFindings: true }, ctx)).toBe(false);
  });

  it('turns the CLI filter options into the same query, with clear errors', () => {
    const r = queryFromOptions({
      identity: 'CP-1',
      type: 'call',
      findings: true,
      from: '2023-11-14T22:13:20Z',
      to: 'yesterday-ish',
      sender: 'x',
    });
    expect(r.query).toEqual({
      identity: 'CP-1',
      messageType: 2,
      withFindings: true,
      from: 1_700_000_000_000,
    });
    expect(r.errors).toEqual([
      '--sender must be station or csms',
      '--to yesterday-ish: not a time (ms since epoch or ISO 8601)',
    ]);
  });
});

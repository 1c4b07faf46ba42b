import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FilterExpr, FilterFacts } from '../../../shared/capture/filter';
import { evalFilter, formatFilter, parseFilter, resolveClockTimes } from '../../../shared/capture/filter';

function parsed(text: string): FilterExpr {
  const p = parseFilter(text);
  if (!p.ok) throw new Error(`${text}: ${p.error.message}`);
  return p.expr!;
}

const facts = (over: Partial<FilterFacts> = {}): FilterFacts => ({
  kind: 'frame',
  conn: 'c1',
  t: 1_700_000_000_000,
  identity: 'CP-1',
  sender: 'station',
  type: 2,
  action: 'BootNotification',
  findings: 1,
  codes: ['schema-required'],
  severities: ['error'],
  text: (n) => 'hello vendor name'.includes(n.toLowerCase()),
  ...over,
});

describe('filter language', () => {
  it('binds AND tighter than OR, and NOT tightest', () => {
    expect(parsed('action:A from:cs OR action:B')).toEqual({
      op: 'or',
      args: [
        {
          op: 'and',
          args: [
            { op: 'term', term: { key: 'action', value: 'A' } },
            { op: 'term', term: { key: 'from', value: 'station' } },
          ],
        },
        { op: 'term', term: { key: 'action', value: 'B' } },
      ],
    });
    expect(parsed('NOT is:findings action:A')).toEqual({
      op: 'and',
      args: [
        { op: 'not', arg: { op: 'term', term: { key: 'is', value: 'findings' } } },
        { op: 'term', term: { key: 'action', value: 'A' } },
      ],
    });
    expect(parsed('-(type:call OR type:result)').op).toBe('not');
  });

  it('answers the way a person reads it', () => {
    const f = facts();
    const yes = [
      'action:bootnotification',
      'from:cs AND type:call',
      'action:Heartbeat OR is:findings',
      '-from:csms',
      'NOT (type:result OR type:error)',
      'cp:cp-1 "vendor name"',
      'code:schema-required is:error',
      'kind:frame since:1699999999999 until:1700000000000',
      'hello',
    ];
    const no = [
      'action:Heartbeat',
      'from:csms',
      'is:warning',
      'code:x',
      '"vendor x"',
      'kind:note',
      'since:1700000000001',
    ];
    for (const q of yes) expect(evalFilter(parsed(q), f), q).toBe(true);
    for (const q of no) expect(evalFilter(parsed(q), f), q).toBe(false);
  });

  it('says "cannot tell" only where a term needs what the facts lack, and short-circuits around it', () => {
    const f = facts({ text: undefined, codes: undefined, severities: undefined });
    expect(evalFilter(parsed('hello'), f)).toBeUndefined();
    expect(evalFilter(parsed('code:x'), f)).toBeUndefined();
    expect(evalFilter(parsed('from:csms hello'), f)).toBe(false);
    expect(evalFilter(parsed('from:cs OR hello'), f)).toBe(true);
    expect(evalFilter(parsed('NOT hello'), f)).toBeUndefined();
    expect(evalFilter(parsed('code:x'), facts({ findings: 0, codes: undefined }))).toBe(false);
  });

  it('refuses what it does not understand, with where', () => {
    const cases: [string, RegExp, number][] = [
      ['colour:red', /^unknown key "colour"/, 0],
      ['action:A type:bogus', /^type:bogus: use call/, 9],
      ['(action:A', /parenthesis is not closed/, 0],
      ['action:A)', /unexpected "\)"/, 8],
      ['"open', /quote is not closed/, 0],
      ['action:A OR', /ends where a term was expected/, 11],
      ['since:yesterday', /not a time/, 0],
      ['cp:', /needs a value/, 0],
    ];
    for (const [text, message, at] of cases) {
      const p = parseFilter(text);
      expect(p.ok, text).toBe(false);
      if (!p.ok) {
        expect(p.error.message, text).toMatch(message);
        expect(p.error.at, text).toBe(at);
      }
    }
  });

  it('keeps URLs, clock-like words and quoted values as text', () => {
    expect(parsed('ws://host:9000/x')).toEqual({
      op: 'term',
      term: { key: 'text', value: 'ws://host:9000/x' },
    });
    expect(parsed('cp:"CP 01"')).toEqual({ op: 'term', term: { key: 'cp', value: 'CP 01' } });
    expect(parsed('"a OR b"')).toEqual({ op: 'term', term: { key: 'text', value: 'a OR b' } });
  });

  it('places clock times on the day of the first event', () => {
    const base = new Date(2026, 10, 20, 9, 30).getTime();
    const e = resolveClockTimes(parsed('since:14:03:07.25'), base);
    expect(e).toEqual({
      op: 'term',
      term: { key: 'since', value: new Date(2026, 10, 20, 14, 3, 7, 250).getTime() },
    });
  });

  it('round-trips through formatFilter', () => {
    for (const text of [
      'action:A from:cs OR NOT (type:error OR cp:"CP 1")',
      'is:findings code:schema-type kind:note since:2026-11-24T03:00:00.000Z "two words"',
      '(a OR b) (c OR d)',
      // A value with a colon must come back quoted, or it would read as a key.
      '"a:b" cp:"CP:1"',
    ]) {
      const e = parsed(text);
      expect(parsed(formatFilter(e))).toEqual(e);
    }
  });

  it('never throws, and bounds nesting', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const p = parseFilter(s);
        if (p.ok && p.expr) evalFilter(p.expr, facts());
      }),
      { numRuns: 3000 },
    );
    const deep = parseFilter('('.repeat(100_000) + 'a' + ')'.repeat(100_000));
    expect(deep.ok).toBe(false);
    const nots = parseFilter('NOT '.repeat(100_000) + 'a');
    expect(nots.ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IGNORE,
  NO_IGNORE,
  parseIgnoreRules,
  splitIgnoreText,
} from '../../../shared/capture/ignore-rules';
import { diffFrames, structuralDiff } from '../../../shared/capture/replay-diff';

function rules(list: string[]) {
  const r = parseIgnoreRules(list);
  if (!r.ok) throw new Error(r.error);
  return r.rules;
}

describe('ignore rules', () => {
  it('by default leaves times, clock fields and assigned ids uncompared, but still compares their kind', () => {
    const a = { currentTime: '2020-01-01T00:00:00Z', transactionId: 5, interval: 300 };
    const b = { currentTime: '2026-12-06T05:00:00.123Z', transactionId: 99, interval: 300 };
    expect(structuralDiff(a, b)).toEqual([]);
    expect(structuralDiff(a, { ...b, transactionId: '99' })).toEqual([
      { path: '/transactionId', recorded: 5, live: '99' },
    ]);
    // A field present on one side only is still a difference.
    expect(structuralDiff(a, { interval: 300, transactionId: 1 })).toEqual([
      { path: '/currentTime', recorded: '2020-01-01T00:00:00Z' },
    ]);
  });

  it('without rules every value is compared', () => {
    const d = structuralDiff(
      { transactionId: 5, t: '2020-01-01T00:00:00Z' },
      { transactionId: 6, t: '2021-01-01T00:00:00Z' },
      {
        ignore: NO_IGNORE,
      },
    );
    expect(d.map((x) => x.path)).toEqual(['/transactionId', '/t']);
  });

  it('takes field names and JSON pointers with * for one segment', () => {
    const r = rules(['vendorId', '/meterValue/*/sampledValue/0/value']);
    const a = {
      vendorId: 'A',
      meterValue: [{ sampledValue: [{ value: '1' }, { value: '2' }] }],
      nested: { vendorId: 'x' },
    };
    const b = {
      vendorId: 'B',
      meterValue: [{ sampledValue: [{ value: '9' }, { value: '3' }] }],
      nested: { vendorId: 'y' },
    };
    expect(structuralDiff(a, b, { ignore: r }).map((x) => x.path)).toEqual([
      '/meterValue/0/sampledValue/1/value',
    ]);
  });

  it('an ignored object is skipped whole', () => {
    const r = rules(['/idTagInfo']);
    expect(
      structuralDiff(
        { idTagInfo: { status: 'Accepted' } },
        { idTagInfo: { status: 'Blocked' } },
        { ignore: r },
      ),
    ).toEqual([]);
  });

  it('refuses a malformed pointer or an unknown @ rule with the reason', () => {
    expect(parseIgnoreRules(['/a~2'])).toMatchObject({ ok: false, error: expect.stringContaining('~') });
    expect(parseIgnoreRules(['@times'])).toMatchObject({
      ok: false,
      error: expect.stringContaining('@timestamps'),
    });
    expect(parseIgnoreRules(Array.from({ length: 201 }, (_, i) => `f${i}`))).toMatchObject({ ok: false });
  });

  it('splits typed text on commas and new lines', () => {
    expect(splitIgnoreText(' a, /b/c\n\n d ,')).toEqual(['a', '/b/c', 'd']);
    expect(DEFAULT_IGNORE.source).toContain('currentTime');
  });

  it('frame diffs compare the message type first, then error codes, then payloads under the rules', () => {
    expect(
      diffFrames(
        { type: 3, id: 'a', payload: {} },
        { type: 4, id: 'a', errorCode: 'NotImplemented', errorDescription: '', errorDetails: {} },
      ),
    ).toEqual([{ path: '/messageType', recorded: 3, live: 4 }]);
    expect(
      diffFrames(
        { type: 4, id: 'a', errorCode: 'NotImplemented', errorDescription: 'x', errorDetails: {} },
        { type: 4, id: 'a', errorCode: 'NotSupported', errorDescription: 'y', errorDetails: {} },
      ),
    ).toEqual([{ path: '/errorCode', recorded: 'NotImplemented', live: 'NotSupported' }]);
    expect(
      diffFrames(
        { type: 3, id: 'a', payload: { status: 'A', x: 1 } },
        { type: 3, id: 'b', payload: { status: 'A', x: 2 } },
        rules(['x']),
      ),
    ).toEqual([]);
  });
});

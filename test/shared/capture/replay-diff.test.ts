import { describe, expect, it } from 'vitest';
import {
  learnIds,
  shiftTimestamps,
  structuralDiff,
  substituteIds,
} from '../../../shared/capture/replay-diff';
import type { IdMap } from '../../../shared/capture/replay-diff';

describe('replay diff', () => {
  it('names each differing field by JSON pointer and ignores times and assigned ids', () => {
    const recorded = {
      status: 'Accepted',
      currentTime: '2025-01-01T00:00:00Z',
      interval: 300,
      transactionId: 7,
      list: [1, 2],
      a: { b: 'x' },
    };
    const live = {
      status: 'Rejected',
      currentTime: '2026-11-24T02:00:00.123Z',
      interval: 300,
      transactionId: 1001,
      list: [1],
      a: { b: 'x', c: true },
    };
    expect(structuralDiff(recorded, live)).toEqual([
      { path: '/status', recorded: 'Accepted', live: 'Rejected' },
      { path: '/list/1', recorded: 2 },
      { path: '/a/c', live: true },
    ]);
    expect(structuralDiff({ connectorId: 1 }, { connectorId: 2 })).toEqual([
      { path: '/connectorId', recorded: 1, live: 2 },
    ]);
    expect(structuralDiff({ transactionId: 7 }, { transactionId: '7' })).toHaveLength(1);
  });

  it('moves timestamps by an offset keeping their precision', () => {
    const shifted = shiftTimestamps(
      { a: '2025-01-01T00:00:00Z', b: ['2025-01-01T00:00:00.500Z'], c: 'not a time', d: 5 },
      3_600_000,
    );
    expect(shifted).toEqual({
      a: '2025-01-01T01:00:00Z',
      b: ['2025-01-01T01:00:00.500Z'],
      c: 'not a time',
      d: 5,
    });
  });

  it('learns assigned ids from a recorded/live pair and carries them into later payloads', () => {
    const ids: IdMap = new Map();
    learnIds(
      { transactionId: 7, idTagInfo: { status: 'Accepted' } },
      { transactionId: 1001, idTagInfo: { status: 'Accepted' } },
      ids,
    );
    expect(substituteIds({ transactionId: 7, meterStop: 7, connectorId: 7 }, ids)).toEqual({
      transactionId: 1001,
      meterStop: 7,
      connectorId: 7,
    });
  });
});

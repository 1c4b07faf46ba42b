import { beforeEach, describe, expect, it } from 'vitest';
import type { EventQuery, ScopeApi } from '../../../../shared/api';
import { matchesQuery } from '../../../../shared/capture/query';
import { CaptureView } from '../../../../renderer/src/state/capture-view';
import { exchange, frame, opened, resetSeq, type ScopeEvent } from '../fixtures';
import { Wake } from '../../../support/wake';

/** Just enough of the contract: queryEvents over an array, with a log of what was asked. */
function stubApi(events: ScopeEvent[]) {
  const asked: { offset: number; limit: number; query: EventQuery }[] = [];
  const api = {
    queryEvents: async (_source: string, query: EventQuery, offset: number, limit: number) => {
      asked.push({ offset, limit, query });
      const matching = events.filter((e) => matchesQuery(e, query, { identityOf: () => undefined }));
      return { total: matching.length, offset, events: matching.slice(offset, offset + limit) };
    },
  } as unknown as ScopeApi;
  return { api, asked };
}

/**
 * Every view change (the view's onChange) re-checks what the test waits for; no timer. The bound is generous: it
 * is an upper bound for an event on 2 shared cores, not a timing.
 */
const wake = new Wake();
const until = (what: string, cond: () => boolean): Promise<true> =>
  wake.until(what, () => cond() || undefined, 15_000);

describe('CaptureView', () => {
  beforeEach(resetSeq);

  it('reads pages on demand and knows the total without holding the capture', async () => {
    const events = Array.from({ length: 2000 }, (_, i) =>
      exchange('c1', i % 2 ? 'Heartbeat' : 'Authorize', 3),
    ).flat();
    const { api, asked } = stubApi(events);
    let changes = 0;
    const view = new CaptureView(api, 'cap', {}, () => {
      changes++;
      wake.notify();
    });
    await until('the first page', () => view.loaded);
    expect(view.count).toBe(4000);
    expect(view.at(0)?.seq).toBe(events[0]!.seq);
    expect(view.at(3999)).toBeUndefined();
    view.ensure(3990, 3999);
    await until('the last page', () => view.at(3999) !== undefined);
    expect(asked.map((a) => a.offset)).toEqual([0, 3500]);
    expect(view.rowOf(events[3999]!.seq)).toBe(3999);
    expect(changes).toBeGreaterThanOrEqual(2);
  });

  it('pairs and times what it has read, and finds a partner it has not', async () => {
    const events = Array.from({ length: 600 }, () => exchange('c1', 'Heartbeat', 7)).flat();
    const { api } = stubApi(events);
    const view = new CaptureView(api, 'cap', {}, wake.notify);
    await until('the first page', () => view.loaded);
    const [call, result] = [events[0]!, events[1]!];
    expect(view.partnerOf(call)?.seq).toBe(result.seq);
    expect(view.rttOf(call)).toBe(7);
    // A request answered much later: its response is on a page not read yet, found by its message id.
    const slow = frame('c1', {
      sender: 'csms',
      text: '[2,"slow-1","GetConfiguration",{}]',
      msg: { type: 2, id: 'slow-1', action: 'GetConfiguration' },
    });
    const filler = Array.from({ length: 400 }, () => exchange('c1', 'Heartbeat', 1)).flat();
    const answer = frame('c1', {
      sender: 'station',
      text: '[3,"slow-1",{}]',
      msg: { type: 3, id: 'slow-1', action: 'GetConfiguration' },
      pair: { partnerSeq: slow.seq, rttMs: 900 },
    });
    const second = stubApi([slow, ...filler, answer]);
    const late = new CaptureView(second.api, 'cap2', {}, wake.notify);
    await until('the first page', () => late.loaded);
    expect(late.partnerOf(slow)).toBeUndefined();
    expect((await late.findPartner(slow))?.seq).toBe(answer.seq);
    expect(late.rttOf(slow)).toBe(900);
  });

  it('knows its connections from their upgrades, asking the engine once when the pages read hold none', async () => {
    const up = opened('c1', 'CP-CAP');
    const events = [
      { ...up, connection: { ...up.connection, role: 'station' as const } },
      ...exchange('c1', 'Heartbeat', 2),
    ];
    const { api, asked } = stubApi(events);
    // A filter that leaves the upgrade out of the pages.
    const view = new CaptureView(api, 'cap', { filter: 'kind:frame' }, wake.notify);
    await until('the first page', () => view.loaded);
    expect(view.count).toBe(2);
    expect(view.connectionOf('c1')).toBeUndefined();
    expect(view.connectionOf('c1')).toBeUndefined();
    await until('the upgrades', () => view.connectionOf('c1') !== undefined);
    expect(view.connectionOf('c1')).toMatchObject({ id: 'c1', role: 'station', identity: 'CP-CAP' });
    expect(asked.filter((a) => a.query.filter === 'kind:opened')).toHaveLength(1);
    // One read among the pages is known at once.
    const seen = new CaptureView(api, 'cap2', {}, wake.notify);
    await until('the first page', () => seen.loaded);
    expect(seen.connectionOf('c1')?.role).toBe('station');
    expect(asked.filter((a) => a.query.filter === 'kind:opened')).toHaveLength(1);
  });

  it('a new query starts over from the first page', async () => {
    const events = Array.from({ length: 50 }, (_, i) =>
      exchange('c1', i % 5 ? 'Heartbeat' : 'BootNotification', 1),
    ).flat();
    const { api } = stubApi(events);
    const view = new CaptureView(api, 'cap', {}, wake.notify);
    await until('the first page', () => view.loaded);
    view.setQuery({ action: 'BootNotification' });
    expect(view.loaded).toBe(false);
    await until('the first page', () => view.loaded);
    expect(view.count).toBe(20);
  });
});

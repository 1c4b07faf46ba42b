import { describe, expect, it } from 'vitest';
import type { EventQuery, ScopeApi } from '../../../../shared/api';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { Store } from '../../../../renderer/src/state/store';

const note = (seq: number): ScopeEvent => ({
  kind: 'note',
  seq,
  t: 1_700_000_000_000 + seq,
  mono: seq,
  conn: 'c1',
  source: 'engine',
  text: `n${seq}`,
});

describe('Store and the bridge resync notice', () => {
  it('reads back the live events the bridge dropped, without duplicating the ones it already has', async () => {
    const engineHas = [note(0), note(1), note(2), note(3)];
    const queried: string[] = [];
    const api = {
      queryEvents: async (sourceId: string, _q: EventQuery, offset: number, limit: number) => {
        queried.push(sourceId);
        return { total: engineHas.length, offset, events: engineHas.slice(offset, offset + limit) };
      },
    } as unknown as ScopeApi;
    const store = new Store(api);
    store.apply([{ type: 'events', sourceId: 'live', events: [note(0), note(3)] }]);
    const redrawn = new Promise<void>((resolve) => {
      const off = store.subscribe(() => {
        if (store.liveLog('live').events.length === 4) {
          off();
          resolve();
        }
      });
    });
    store.apply([{ type: 'resync', sourceId: 'live', missed: 2 }]);
    await redrawn;
    expect(queried).toEqual(['live']);
    expect(store.liveLog('live').events.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
  });
});

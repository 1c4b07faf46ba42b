import { describe, expect, it } from 'vitest';
import type { ScopeApi } from '../../../../shared/api';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { ENGINE_LABEL, Store } from '../../../../renderer/src/state/store';

describe('Store.connectionLabel', () => {
  it('names the engine for an event of no connection, and a live connection by its identity', () => {
    const store = new Store({} as ScopeApi);
    const opened: ScopeEvent = {
      kind: 'opened',
      seq: 0,
      t: 1_700_000_000_000,
      mono: 0,
      conn: 'c1',
      connection: {
        id: 'c1',
        role: 'endpoint',
        url: 'ws://127.0.0.1/ocpp/CP-7',
        identity: 'CP-7',
        version: '1.6',
      },
    } as ScopeEvent;
    store.apply([{ type: 'events', sourceId: 'live', events: [opened] }]);
    expect(store.connectionLabel('')).toBe(ENGINE_LABEL);
    expect(store.connectionLabel('c1')).toBe('CP-7');
    expect(store.connectionLabel('c9')).toBe('c9');
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus, EventQuery, ScopeApi, SourceInfo } from '../../../../shared/api';
import { matchesQuery } from '../../../../shared/capture/query';
import { composeFrom } from '../../../../renderer/src/composer/replies';
import { exchangeOf, rttSentence, toolSide } from '../../../../renderer/src/logic/tool-side';
import { Store } from '../../../../renderer/src/state/store';
import type { ConnectionRole, OpenedEvent } from '../../../../renderer/src/types';
import { Wake } from '../../../support/wake';
import { exchange, opened, resetSeq, type ScopeEvent } from '../fixtures';

function upgrade(conn: string, identity: string, role: ConnectionRole): OpenedEvent {
  const e = opened(conn, identity);
  return { ...e, connection: { ...e.connection, role } };
}

/** The engine as far as a capture view needs it: queryEvents over the capture's events. */
function captureApi(events: ScopeEvent[]): ScopeApi {
  return {
    queryEvents: async (_source: string, query: EventQuery, offset: number, limit: number) => {
      const matching = events.filter((e) => matchesQuery(e, query, { identityOf: () => undefined }));
      return { total: matching.length, offset, events: matching.slice(offset, offset + limit) };
    },
  } as unknown as ScopeApi;
}

const source = (
  id: string,
  kind: SourceInfo['kind'],
  connections?: SourceInfo['connections'],
): SourceInfo => ({
  id,
  kind,
  name: id,
  events: 0,
  indexing: false,
  findings: [],
  ...(connections ? { connections } : {}),
});

describe('Store.connectionOf', () => {
  beforeEach(resetSeq);

  it('resolves a capture’s c1 in the capture, never as the live c1 (ids restart at c1 each run)', async () => {
    // The capture: OCPP Scope as the charging station, which sent a BootNotification the CSMS answered in 9 ms.
    const saved = upgrade('c1', 'CAP-1', 'station');
    const [call, result] = exchange('c1', 'BootNotification', 9);
    const store = new Store(captureApi([saved, call, result]));
    const wake = new Wake();
    store.subscribe(wake.notify);

    // Live: this run's c1 is a charger connected to the endpoint.
    const live: ConnectionStatus = {
      ...upgrade('c1', 'LIVE-1', 'endpoint').connection,
      state: 'open',
      since: 0,
      frames: 0,
      bytes: 0,
      findings: 0,
    };
    store.apply([
      { type: 'events', sourceId: 'live', events: [upgrade('c1', 'LIVE-1', 'endpoint')] },
      { type: 'connections', connections: [live] },
    ]);
    store.set({
      sources: [source('live', 'live'), source('cap', 'capture', [{ id: 'c1', identity: 'CAP-1' }])],
    });
    store.setActiveSource('live');
    expect(store.connectionOf('c1')?.role).toBe('endpoint');
    expect(store.connectionLabel('c1')).toBe('LIVE-1');

    store.setActiveSource('cap');
    // Before the capture's upgrade is read: its name only, and no role borrowed from the live c1.
    expect(store.connectionOf('c1')).toEqual({ id: 'c1', identity: 'CAP-1' });
    expect(store.connectionLabel('c1')).toBe('CAP-1');
    expect(toolSide(store.connectionOf('c1'))).toBeUndefined();

    store.model();
    const conn = await wake.until(
      'the capture’s upgrade',
      () => store.connectionOf('c1', true)?.role,
      15_000,
    );
    expect(conn).toBe('station');
    expect(store.connectionLabel('c1')).toBe('CAP-1');

    // The detail pane's words are the capture's: measured as the station, our request out, the CSMS's answer in.
    expect(rttSentence(9, toolSide(store.connectionOf('c1')), exchangeOf(result))).toBe(
      '9 ms, measured by OCPP Scope as the charging station, at its socket: from our request handed to the socket to the CSMS’s answer read from it',
    );
    // A double click on the station's CALL edits and resends it (ours in the capture), rather than answering it
    // as the live endpoint would.
    expect(composeFrom(store, call)).toBe(true);
    expect(store.getState().composer.text).toBe(call.text);
    expect(store.getState().composer.responseTo).toBeUndefined();

    // Back to the live log: its own c1 again.
    store.setActiveSource('live');
    expect(store.connectionOf('c1')?.role).toBe('endpoint');
  });

  it('knows a live connection the engine no longer lists by its upgrade in the live log', () => {
    const store = new Store({} as ScopeApi);
    store.apply([{ type: 'events', sourceId: 'live', events: [upgrade('c7', 'CP-7', 'proxy')] }]);
    expect(store.connectionOf('c7')).toMatchObject({ id: 'c7', identity: 'CP-7', role: 'proxy' });
    expect(store.connectionOf('')).toBeUndefined();
    expect(store.connectionOf('c8')).toBeUndefined();
  });
});

import type { ConnectionStatus } from '../../../../shared/api';
import { formatSearch } from '../../logic/filter';
import { useStoreInstance } from '../../state/hooks';

/** The card's buttons: its handshake, filter the log to it, disconnect, or (a station) connect again. */
export function ConnectionActions({ c }: { c: ConnectionStatus }) {
  const store = useStoreInstance();
  const live = c.state === 'open' || c.state === 'connecting';
  const reconnect = () =>
    void store.run('Reconnecting', async () => {
      const saved = store.getState().settings?.station;
      const version = c.version ? [c.version] : (saved?.protocols ?? ['1.6' as const]);
      const { connectionId } = await store.api.connectStation({
        ...saved,
        url: c.url,
        protocols: saved?.url === c.url ? saved.protocols : version,
      });
      store.set({ selectedConnection: connectionId });
    });
  return (
    <div className="conn-actions" onClick={(e) => e.stopPropagation()}>
      <button
        type="button"
        className="btn small"
        data-testid="connection-handshake"
        onClick={() =>
          store.set({ handshakeConnection: c.id, detailTab: 'handshake', selectedConnection: c.id })
        }
      >
        Handshake
      </button>
      <button
        type="button"
        className="btn small"
        title="Show only this connection in the log"
        onClick={() => store.setSearch(formatSearch({ connection: c.id }))}
      >
        Filter
      </button>
      <span className="grow" />
      {live && (
        <button
          type="button"
          className="btn small danger"
          data-testid="connection-disconnect"
          onClick={() => store.run('Disconnecting', () => store.api.disconnect(c.id))}
        >
          Disconnect
        </button>
      )}
      {!live && c.role === 'station' && (
        <button
          type="button"
          className="btn small"
          data-testid="connection-reconnect"
          title="Connect again to the same URL with the last station settings"
          onClick={reconnect}
        >
          Reconnect
        </button>
      )}
    </div>
  );
}

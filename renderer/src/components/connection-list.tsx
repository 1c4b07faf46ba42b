import { useStore, useStoreInstance } from '../state/hooks';
import { useNow } from './common';
import { ConnectionCard } from './connections/connection-card';

/** While a capture is in the log, the sidebar still shows the live session: say so, with the way back. */
function LiveWhileCapture() {
  const store = useStoreInstance();
  const viewing = useStore((s) =>
    s.activeSource !== s.liveSource ? s.sources.find((x) => x.id === s.activeSource)?.name : undefined,
  );
  const live = useStore((s) => s.liveSource);
  if (viewing === undefined || !live) return null;
  return (
    <div className="sidebar-note" data-testid="sidebar-live-note">
      These are the <b>live</b> chargers and stations; the log shows the capture <b>{viewing}</b>.{' '}
      <button
        type="button"
        className="link"
        data-testid="sidebar-back-to-live"
        onClick={() => store.setActiveSource(live)}
      >
        Show the live log
      </button>
    </div>
  );
}

export function ConnectionList() {
  const store = useStoreInstance();
  const connections = useStore((s) => s.connections);
  const running = useStore((s) => s.endpoint.running);
  const now = useNow();
  const chargers = connections.filter((c) => c.role !== 'station');
  const stations = connections.filter((c) => c.role === 'station');
  return (
    <>
      <LiveWhileCapture />
      <div className="section" data-testid="chargers">
        <div className="section-head">
          <span className="section-title">Chargers</span>
          <span className="badge">{chargers.filter((c) => c.state === 'open').length} online</span>
        </div>
        {chargers.length === 0 ? (
          <div className="empty">
            {running ? (
              <>
                No charger has connected yet. Configure one of the URLs above in the charger, then watch the
                log.
              </>
            ) : (
              <>Chargers appear here when they connect to the endpoint. Start it first.</>
            )}
          </div>
        ) : (
          chargers.map((c) => <ConnectionCard key={c.id} c={c} now={now} />)
        )}
      </div>
      <div className="section" data-testid="stations">
        <div className="section-head">
          <span className="section-title">Station connections</span>
          <button
            type="button"
            className="btn small"
            data-testid="station-connect-open"
            onClick={() => store.set({ stationFormOpen: true })}
          >
            Connect…
          </button>
        </div>
        {stations.length === 0 ? (
          <div className="empty">
            Act as a charging station: <b>Connect…</b> to a CSMS URL and talk to it frame by frame.
          </div>
        ) : (
          stations.map((c) => <ConnectionCard key={c.id} c={c} now={now} />)
        )}
      </div>
    </>
  );
}

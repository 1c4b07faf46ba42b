import { DiagnosisBadge, DiagnosisText } from './connection-diagnosis';
import type { ConnectionStatus } from '../../../shared/api';
import { formatCount, formatRtt, formatSince } from '../logic/format';
import { formatSearch } from '../logic/filter';
import { useStore, useStoreInstance } from '../state/hooks';
import { useNow } from './common';

const STATE_DOT: Record<ConnectionStatus['state'], string> = {
  connecting: 'warn',
  open: 'ok',
  closing: 'warn',
  closed: '',
  failed: 'error',
};

/** A proxied pair: where it goes, and the two hold switches (one per direction) with what they hold. */
function ProxyControls({ c }: { c: ConnectionStatus }) {
  const store = useStoreInstance();
  const proxy = c.proxy!;
  const toggle = (from: 'station' | 'csms') =>
    void store.run('Switching the hold', () => store.api.setProxyHold(c.id, from, !proxy.hold[from]));
  return (
    <div className="proxy" onClick={(e) => e.stopPropagation()} data-testid="proxy-controls">
      <div
        className="muted mono"
        title={proxy.upstreamUrl}
        style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}
      >
        ⇄ {proxy.upstreamUrl}
      </div>
      <div className="row" style={{ marginTop: 4 }}>
        <button
          type="button"
          className={`chip${proxy.hold.station ? ' active' : ''}`}
          data-testid="proxy-hold-station"
          title="Hold frames the charger sends, before they reach the CSMS"
          onClick={() => toggle('station')}
        >
          Hold CS → CSMS
        </button>
        <button
          type="button"
          className={`chip${proxy.hold.csms ? ' active' : ''}`}
          data-testid="proxy-hold-csms"
          title="Hold frames the CSMS sends, before they reach the charger"
          onClick={() => toggle('csms')}
        >
          Hold CSMS → CS
        </button>
        {proxy.heldFrames > 0 && (
          <button
            type="button"
            className="badge warn"
            style={{ cursor: 'pointer' }}
            onClick={() => store.set({ bottomTab: 'composer' })}
          >
            {proxy.heldFrames} held
          </button>
        )}
      </div>
    </div>
  );
}

function ConnectionCard({ c: engineView, now }: { c: ConnectionStatus; now: number }) {
  const store = useStoreInstance();
  useStore((s) => s.logVersion);
  const c = withLiveCounters(store, engineView);
  const selected = useStore((s) => s.selectedConnection === c.id);
  const heldCount = useStore((s) => s.held.filter((h) => h.connectionId === c.id).length);
  const live = c.state === 'open' || c.state === 'connecting';
  return (
    <div
      className={`conn${selected ? ' selected' : ''}`}
      data-testid="connection"
      data-identity={c.identity}
      data-conn={c.id}
      onClick={() => store.set({ selectedConnection: c.id })}
    >
      <div className="conn-head">
        <span className={`dot ${STATE_DOT[c.state]}`} title={c.state} />
        <span className="conn-name" title={c.url}>
          {c.identity || '(no identity)'}
        </span>
        {heldCount > 0 && <span className="badge warn">{heldCount} held</span>}
        {c.version ? (
          <span className="badge accent" data-testid="connection-version">
            {c.version}
          </span>
        ) : (
          <DiagnosisBadge d={c.diagnosis} />
        )}
      </div>
      {c.diagnosis?.severity === 'error' && <DiagnosisText d={c.diagnosis} testId="connection-diagnosis" />}
      <div className="conn-stats">
        <span>
          {c.state === 'open' ? 'since' : c.state}
          <b>{formatSince(c.since, now)}</b>
        </span>
        <span>
          frames<b data-testid="connection-frames">{formatCount(c.frames)}</b>
        </span>
        <span>
          findings
          <b
            className={c.findings > 0 ? 'warn-text clickable' : undefined}
            data-testid="connection-findings"
            title={c.findings > 0 ? 'Show this connection’s events with findings' : undefined}
            onClick={(e) => {
              if (c.findings === 0) return;
              e.stopPropagation();
              store.setSearch(formatSearch({ connection: c.id, withFindings: true }));
            }}
          >
            {formatCount(c.findings)}
          </b>
        </span>
        <span>
          last RTT<b data-testid="connection-rtt">{formatRtt(c.lastRttMs) || '–'}</b>
        </span>
      </div>
      {c.proxy && <ProxyControls c={c} />}
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
            onClick={() =>
              void store.run('Reconnecting', async () => {
                const saved = store.getState().settings?.station;
                const version = c.version ? [c.version] : (saved?.protocols ?? ['1.6' as const]);
                const { connectionId } = await store.api.connectStation({
                  ...saved,
                  url: c.url,
                  protocols: saved?.url === c.url ? saved.protocols : version,
                });
                store.set({ selectedConnection: connectionId });
              })
            }
          >
            Reconnect
          </button>
        )}
      </div>
    </div>
  );
}

/** The engine's counters, or what the live log has counted, whichever is further along. */
function withLiveCounters(store: ReturnType<typeof useStoreInstance>, c: ConnectionStatus): ConnectionStatus {
  const live = store.getState().liveSource;
  const st = live ? store.live.get(live)?.connStats(c.id) : undefined;
  if (!st) return c;
  return {
    ...c,
    frames: Math.max(c.frames, st.frames),
    findings: Math.max(c.findings, st.findings),
    lastRttMs: st.lastRttMs ?? c.lastRttMs,
  };
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

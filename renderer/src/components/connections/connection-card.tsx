import type { ConnectionStatus } from '../../../../shared/api';
import { connectionName } from '../../../../shared/capture/connection-name';
import { formatSearch } from '../../logic/filter';
import { formatCount, formatRtt, formatSince } from '../../logic/format';
import { rttWhere, toolSide } from '../../logic/tool-side';
import { useStore, useStoreInstance } from '../../state/hooks';
import type { Store } from '../../state/store';
import { DiagnosisBadge, DiagnosisText } from '../connection-diagnosis';
import { ConnectionActions } from './connection-actions';
import { ProxyControls } from './proxy-controls';

const STATE_DOT: Record<ConnectionStatus['state'], string> = {
  connecting: 'warn',
  open: 'ok',
  closing: 'warn',
  closed: '',
  failed: 'error',
};

/** The engine's counters, or what the live log has counted, whichever is further along. */
function withLiveCounters(store: Store, c: ConnectionStatus): ConnectionStatus {
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

/** One connection in the sidebar: name, version or diagnosis, counters, proxy legs and its actions. */
export function ConnectionCard({ c: engineView, now }: { c: ConnectionStatus; now: number }) {
  const store = useStoreInstance();
  useStore((s) => s.logVersion);
  const c = withLiveCounters(store, engineView);
  const selected = useStore((s) => s.selectedConnection === c.id);
  const heldCount = useStore((s) => s.held.filter((h) => h.connectionId === c.id).length);
  return (
    <div
      className={`conn${selected ? ' selected' : ''}`}
      data-testid="connection"
      data-identity={c.identity}
      data-conn={c.id}
      data-role={c.role}
      onClick={() => store.set({ selectedConnection: c.id })}
    >
      <div className="conn-head">
        <span className={`dot ${STATE_DOT[c.state]}`} title={c.state} />
        <span className="conn-name" title={c.url} data-testid="connection-name">
          {connectionName(c) ?? '(no identity)'}
        </span>
        {c.proxy && <span className="badge">proxy</span>}
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
        <span data-testid="connection-rtt-where" title={`Last round trip, ${rttWhere(toolSide(c))}`}>
          last RTT<b data-testid="connection-rtt">{formatRtt(c.lastRttMs) || '–'}</b>
        </span>
      </div>
      {c.proxy && <ProxyControls c={c} />}
      <ConnectionActions c={c} />
    </div>
  );
}

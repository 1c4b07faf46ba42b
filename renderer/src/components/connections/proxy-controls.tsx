import type { ConnectionStatus } from '../../../../shared/api';
import { LEG_NAME } from '../../logic/format';
import { useStore, useStoreInstance } from '../../state/hooks';
import type { OpenedEvent, ProxyLeg } from '../../types';

function LegLine({ leg, opened, where }: { leg: ProxyLeg; opened: OpenedEvent | undefined; where: string }) {
  const state = !opened ? 'pending' : opened.ok ? 'open' : 'failed';
  return (
    <div className="proxy-leg row" data-testid="proxy-leg" data-leg={leg} data-state={state}>
      <span className={`dot ${state === 'open' ? 'ok' : state === 'failed' ? 'error' : 'warn'}`} />
      <b>{LEG_NAME[leg]}</b>
      <span
        className="muted mono grow"
        title={where}
        style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}
      >
        {where}
      </span>
    </div>
  );
}

const HOLDS = [
  {
    from: 'station',
    label: 'Hold CS → CSMS',
    title: 'Hold frames the charger sends, before they reach the CSMS',
  },
  {
    from: 'csms',
    label: 'Hold CSMS → CS',
    title: 'Hold frames the CSMS sends, before they reach the charger',
  },
] as const;

/** A proxied pair: its two legs (where each goes, whether it opened) and the two hold switches. */
export function ProxyControls({ c }: { c: ConnectionStatus }) {
  const store = useStoreInstance();
  useStore((s) => s.logVersion);
  const live = store.getState().liveSource;
  const legs = live ? store.live.get(live)?.legsOf(c.id) : undefined;
  const proxy = c.proxy!;
  const toggle = (from: 'station' | 'csms') =>
    void store.run('Switching the hold', () => store.api.setProxyHold(c.id, from, !proxy.hold[from]));
  return (
    <div className="proxy" onClick={(e) => e.stopPropagation()} data-testid="proxy-controls">
      <LegLine leg="charger" opened={legs?.charger} where={`charger → ${c.url}`} />
      <LegLine leg="csms" opened={legs?.csms} where={`→ ${proxy.upstreamUrl}`} />
      <div className="row" style={{ marginTop: 4 }}>
        {HOLDS.map((h) => (
          <button
            key={h.from}
            type="button"
            className={`chip${proxy.hold[h.from] ? ' active' : ''}`}
            data-testid={`proxy-hold-${h.from}`}
            title={h.title}
            onClick={() => toggle(h.from)}
          >
            {h.label}
          </button>
        ))}
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

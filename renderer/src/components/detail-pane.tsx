import { useStore, useStoreInstance } from '../state/hooks';
import { ErrorBoundary } from './error-boundary';
import { FrameDetail } from './frame-detail';
import { HandshakeInspector } from './handshake-inspector';
import { HealthView } from './health-view';

export function DetailPane() {
  const store = useStoreInstance();
  const tab = useStore((s) => s.detailTab);
  return (
    <aside className="detail" data-testid="detail">
      <div className="tabs">
        <button
          type="button"
          className={`tab${tab === 'frame' ? ' active' : ''}`}
          data-testid="detail-tab-frame"
          onClick={() => store.set({ detailTab: 'frame' })}
        >
          Detail
        </button>
        <button
          type="button"
          className={`tab${tab === 'handshake' ? ' active' : ''}`}
          data-testid="detail-tab-handshake"
          onClick={() => store.set({ detailTab: 'handshake' })}
        >
          Handshake
        </button>
        <button
          type="button"
          className={`tab${tab === 'health' ? ' active' : ''}`}
          data-testid="detail-tab-health"
          onClick={() => store.set({ detailTab: 'health' })}
        >
          Health
        </button>
      </div>
      <ErrorBoundary name="detail pane" key={tab}>
        {tab === 'frame' ? <FrameDetail /> : tab === 'health' ? <HealthView /> : <HandshakeInspector />}
      </ErrorBoundary>
    </aside>
  );
}

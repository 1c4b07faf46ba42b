import { Composer } from '../composer/composer';
import { useStore, useStoreInstance } from '../state/hooks';
import type { BottomTab } from '../state/store';
import { AutoAnswerPanel } from './auto-answer-panel';
import { CapturesPanel } from './captures/captures-panel';
import { ChecksPanel } from './checks-panel';
import { ErrorBoundary } from './error-boundary';
import { FilesPanel } from './files-panel';
import { ReplayPanel } from './replay/replay-panel';
import { StationsPanel } from './stations-panel';

const TABS: { id: BottomTab; label: string; key: string }[] = [
  { id: 'composer', label: 'Composer', key: '1' },
  { id: 'auto', label: 'Auto-answer', key: '2' },
  { id: 'captures', label: 'Captures', key: '3' },
  { id: 'replay', label: 'Replay', key: '4' },
  { id: 'files', label: 'Files', key: '5' },
  { id: 'stations', label: 'Stations', key: '6' },
  { id: 'checks', label: 'Checks', key: '7' },
];

export function BottomPanel() {
  const store = useStoreInstance();
  const tab = useStore((s) => s.bottomTab);
  const held = useStore((s) => s.held.length);
  const replay = useStore((s) => s.replay.state);
  const check = useStore((s) => s.check);
  return (
    <section className="bottom" data-testid="bottom-panel">
      <div
        className="resizer"
        role="separator"
        aria-orientation="horizontal"
        title="Drag to resize"
        onPointerDown={(e) => {
          const el = e.currentTarget;
          el.setPointerCapture(e.pointerId);
          const bottom = el.parentElement!.getBoundingClientRect().bottom;
          const move = (ev: PointerEvent) => store.setBottomHeight(bottom - ev.clientY);
          const up = () => {
            el.removeEventListener('pointermove', move);
            el.removeEventListener('pointerup', up);
          };
          el.addEventListener('pointermove', move);
          el.addEventListener('pointerup', up);
        }}
      />
      <div className="tabs">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            className={`tab${tab === t.id ? ' active' : ''}`}
            data-testid={`tab-${t.id}`}
            title={`Alt+${t.key}`}
            onClick={() => store.set({ bottomTab: t.id })}
          >
            {t.label}
            {t.id === 'composer' && held > 0 && <span className="badge warn">{held} held</span>}
            {t.id === 'replay' && (replay === 'running' || replay === 'waiting') && (
              <span className="badge accent">{replay}</span>
            )}
            {t.id === 'checks' && check.prompt && <span className="badge warn">your turn</span>}
            {t.id === 'checks' && !check.prompt && check.state === 'running' && (
              <span className="badge accent">running</span>
            )}
          </button>
        ))}
      </div>
      {/* The composer stays mounted so the editor keeps its text, undo stack and cursor across tabs. */}
      <div style={{ display: tab === 'composer' ? 'flex' : 'none', flex: 1, minHeight: 0 }}>
        <ErrorBoundary name="composer">
          <Composer />
        </ErrorBoundary>
      </div>
      <ErrorBoundary name={tab} key={tab}>
        {tab === 'auto' && <AutoAnswerPanel />}
        {tab === 'captures' && <CapturesPanel />}
        {tab === 'replay' && <ReplayPanel />}
        {tab === 'files' && <FilesPanel />}
        {tab === 'stations' && <StationsPanel />}
        {tab === 'checks' && <ChecksPanel />}
      </ErrorBoundary>
    </section>
  );
}

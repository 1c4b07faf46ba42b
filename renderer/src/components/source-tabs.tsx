import { useEffect, useRef } from 'react';
import { formatCount } from '../logic/format';
import { useStore, useStoreInstance } from '../state/hooks';

/**
 * The open sources (the live session and each capture) as tabs. Many tabs scroll sideways, by the wheel as well as
 * the scrollbar, and the active one is always brought into view.
 */
export function SourceTabs() {
  const store = useStoreInstance();
  const sources = useStore((s) => s.sources);
  const active = useStore((s) => s.activeSource);
  const live = useStore((s) => s.liveSource);
  const recording = useStore((s) => s.recording.on);
  const strip = useRef<HTMLElement>(null);
  const tabs =
    sources.length > 0
      ? sources
      : live
        ? [{ id: live, name: 'Live', kind: 'live' as const, events: 0, indexing: false, findings: [] }]
        : [];
  useEffect(() => {
    const tab = strip.current?.querySelector<HTMLElement>('.source-tab.active');
    tab?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [active, tabs.length]);
  const close = (id: string) =>
    void store.run('Closing the capture', async () => {
      await store.api.closeSource(id);
      store.set({ sources: store.getState().sources.filter((x) => x.id !== id) });
      if (store.getState().activeSource === id && live) store.setActiveSource(live);
    });
  return (
    <nav
      className="sources"
      data-testid="source-tabs"
      ref={strip}
      onWheel={(e) => {
        // A vertical wheel over a horizontal strip scrolls it sideways, as tab strips do.
        if (strip.current && Math.abs(e.deltaY) > Math.abs(e.deltaX)) strip.current.scrollLeft += e.deltaY;
      }}
    >
      {tabs.map((s) => (
        <button
          key={s.id}
          type="button"
          className={`source-tab${s.id === active ? ' active' : ''}`}
          data-testid="source-tab"
          data-source={s.id}
          onClick={() => store.setActiveSource(s.id)}
          title={s.kind === 'capture' ? `${s.name}: ${formatCount(s.events)} events` : 'The live session'}
        >
          {s.kind === 'live' ? (
            <>
              <span className={`dot ${recording ? 'error' : 'ok'}`} /> Live
            </>
          ) : (
            <>
              <span className="source-name">{s.name}</span>
              {s.indexing && <span className="muted">indexing…</span>}
              <span
                className="x"
                role="button"
                aria-label={`Close ${s.name}`}
                onClick={(e) => {
                  e.stopPropagation();
                  close(s.id);
                }}
              >
                ✕
              </span>
            </>
          )}
        </button>
      ))}
    </nav>
  );
}

import { useRef } from 'react';
import { formatCount } from '../logic/format';
import { useStore, useStoreInstance } from '../state/hooks';
import { chooseAndOpen, openBrowserFiles } from './open-files';

export function Topbar() {
  const store = useStoreInstance();
  const sources = useStore((s) => s.sources);
  const active = useStore((s) => s.activeSource);
  const live = useStore((s) => s.liveSource);
  const recording = useStore((s) => s.recording);
  const theme = useStore((s) => s.theme);
  const input = useRef<HTMLInputElement>(null);
  const tabs =
    sources.length > 0
      ? sources
      : live
        ? [{ id: live, name: 'Live', kind: 'live' as const, events: 0, indexing: false, findings: [] }]
        : [];
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" />
        OCPP Scope
      </div>
      <nav className="sources" data-testid="source-tabs">
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
                <span className={`dot ${recording.on ? 'error' : 'ok'}`} /> Live
              </>
            ) : (
              <>
                {s.name}
                {s.indexing && <span className="muted">indexing…</span>}
                <span
                  className="x"
                  role="button"
                  aria-label={`Close ${s.name}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    void store.run('Closing the capture', async () => {
                      await store.api.closeSource(s.id);
                      store.set({ sources: store.getState().sources.filter((x) => x.id !== s.id) });
                      if (store.getState().activeSource === s.id && live) store.setActiveSource(live);
                    });
                  }}
                >
                  ✕
                </span>
              </>
            )}
          </button>
        ))}
      </nav>
      <span className="spacer" />
      <button
        type="button"
        className={`btn small${recording.on ? ' on' : ''}`}
        data-testid="topbar-record"
        title="Record the live session to disk (R)"
        onClick={() =>
          store.run('Switching recording', async () =>
            store.set({ recording: await store.api.setRecording(!recording.on) }),
          )
        }
      >
        ● {recording.on ? 'Recording' : 'Record'}
      </button>
      <button
        type="button"
        className="btn small"
        data-testid="topbar-open"
        title="Open a capture, HAR or pcap (Ctrl+O)"
        onClick={() => void chooseAndOpen(store, input.current)}
      >
        Open…
      </button>
      <input
        ref={input}
        id="global-file-input"
        className="hidden-input"
        type="file"
        multiple
        accept=".jsonl,.ndjson,.json,.har,.pcap,.pcapng,.cap,.ocppscope"
        onChange={(e) => {
          if (e.target.files) void openBrowserFiles(store, e.target.files);
          e.target.value = '';
        }}
      />
      <button
        type="button"
        className="btn small ghost"
        data-testid="theme-toggle"
        title="Switch between dark and light (T)"
        onClick={() => store.setTheme(theme === 'dark' ? 'light' : 'dark')}
      >
        {theme === 'dark' ? '☾ Dark' : '☀ Light'}
      </button>
      <button
        type="button"
        className="btn small ghost"
        data-testid="help-open"
        title="Keyboard shortcuts (?)"
        onClick={() => store.set({ help: true })}
      >
        ?
      </button>
    </header>
  );
}

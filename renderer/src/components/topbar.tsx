import { useRef } from 'react';
import { useStore, useStoreInstance } from '../state/hooks';
import { chooseAndOpen, openBrowserFiles } from './open-files';
import { SourceTabs } from './source-tabs';

export function Topbar() {
  const store = useStoreInstance();
  const recording = useStore((s) => s.recording);
  const theme = useStore((s) => s.theme);
  const input = useRef<HTMLInputElement>(null);
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" />
        OCPP Scope
      </div>
      <SourceTabs />
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

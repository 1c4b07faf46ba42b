import { useRef, useState } from 'react';
import { useStore, useStoreInstance } from '../../state/hooks';
import { chooseAndOpen, openBrowserFiles, openPath } from '../open-files';

/** Open or import a file (drop zone, file picker) and the recent captures. */
export function OpenBlock() {
  const store = useStoreInstance();
  const recent = useStore((s) => s.settings?.recentCaptures ?? []);
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  return (
    <>
      <div className="block-title">Open or import</div>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          e.stopPropagation();
          setOver(false);
          void openBrowserFiles(store, e.dataTransfer.files);
        }}
      >
        Drop a capture (.jsonl), a HAR or a pcap/pcapng file here, or{' '}
        <button
          type="button"
          className="btn small"
          data-testid="open-capture"
          onClick={() => void chooseAndOpen(store, input.current)}
        >
          Choose a file…
        </button>
        <input
          ref={input}
          className="hidden-input"
          type="file"
          data-testid="file-input"
          accept=".jsonl,.ndjson,.json,.har,.pcap,.pcapng,.cap,.ocppscope"
          multiple
          onChange={(e) => {
            if (e.target.files) void openBrowserFiles(store, e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      {recent.length > 0 && (
        <>
          <div className="block-title">Recent</div>
          {recent.slice(0, 8).map((p) => (
            <div
              key={p}
              className="url-row"
              style={{ cursor: 'pointer' }}
              onClick={() => void openPath(store, p)}
            >
              <code title={p}>{p}</code>
            </div>
          ))}
        </>
      )}
    </>
  );
}

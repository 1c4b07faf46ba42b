import { useRef, useState } from 'react';
import { formatBytes, formatCount } from '../logic/format';
import { useStore, useStoreInstance } from '../state/hooks';
import { Progress } from './common';
import { download } from './endpoint-panel';
import { DiagnosisButton } from './diagnosis-button';
import { chooseAndOpen, isElectron, openBrowserFiles, openPath } from './open-files';

export function CapturesPanel() {
  const store = useStoreInstance();
  const recording = useStore((s) => s.recording);
  const sources = useStore((s) => s.sources);
  const recent = useStore((s) => s.settings?.recentCaptures ?? []);
  const active = useStore((s) => s.activeSource);
  useStore((s) => s.logVersion);
  // The engine counts the live source as it stores it; the window may already hold more (or more recent) events.
  const eventsOf = (id: string, engineCount: number): number =>
    Math.max(engineCount, store.live.get(id)?.events.length ?? 0);
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [exportSource, setExportSource] = useState<string>();
  const [format, setFormat] = useState<'capture' | 'har'>('capture');
  const [redact, setRedact] = useState(true);
  const [busy, setBusy] = useState(false);
  const exportId = exportSource ?? active ?? sources[0]?.id;

  const doExport = async () => {
    if (!exportId) return;
    setBusy(true);
    const out = await store.run('Exporting', () => store.api.exportSource(exportId, format, redact));
    if (out) {
      if (isElectron()) {
        const path = await store.run('Choosing where to save', () => store.api.chooseFile('save', out.name));
        if (path) {
          await store.run('Saving', () => store.api.saveFile(path, out.data));
          store.toast(`Saved ${path}`, 'ok');
        }
      } else {
        download(out.name, out.data, format === 'har' ? 'application/json' : 'application/x-ndjson');
        store.toast(`Downloaded ${out.name}${redact ? ' (passwords and keys redacted)' : ''}`, 'ok');
      }
    }
    setBusy(false);
  };

  return (
    <div className="split" data-testid="captures-panel">
      <div>
        <div className="block-title">Recording</div>
        <div className="row">
          <span className={`dot ${recording.on ? 'error' : ''}`} />
          <span className="grow" data-testid="recording-state">
            {recording.on ? (
              <>
                Recording · {formatCount(recording.events)} events · {formatBytes(recording.bytes)}
              </>
            ) : (
              <span className="muted">Not recording to disk</span>
            )}
          </span>
          <button
            type="button"
            className={`btn small${recording.on ? ' on' : ''}`}
            data-testid="record-toggle"
            onClick={() =>
              store.run('Switching recording', async () =>
                store.set({ recording: await store.api.setRecording(!recording.on) }),
              )
            }
          >
            {recording.on ? 'Stop' : 'Record'}
          </button>
        </div>
        {recording.file && (
          <div className="muted mono" style={{ fontSize: 11, marginTop: 4 }}>
            {recording.file}
          </div>
        )}

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
      </div>
      <div>
        <div className="block-title">Sources</div>
        <table className="grid" data-testid="sources">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Events</th>
              <th>Problems</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <tr key={s.id} data-testid="source-row" data-source={s.id}>
                <td>
                  <b>{s.name}</b>
                  {s.indexing && <Progress />}
                </td>
                <td>{s.kind}</td>
                <td className="mono">
                  {formatCount(s.kind === 'live' ? eventsOf(s.id, s.events) : s.events)}
                </td>
                <td title={s.findings.map((f) => f.message).join('\n')}>
                  {s.findings.length > 0 ? <span className="badge warn">{s.findings.length}</span> : '–'}
                </td>
                <td className="right">
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => store.setActiveSource(s.id)}
                    disabled={s.id === active}
                  >
                    {s.id === active ? 'Shown' : 'Show'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="block-title">Export</div>
        <div className="row wrap">
          <select
            className="input"
            value={exportId ?? ''}
            onChange={(e) => setExportSource(e.target.value)}
            data-testid="export-source"
          >
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <select
            className="input"
            data-testid="export-format"
            value={format}
            onChange={(e) => setFormat(e.target.value as 'capture' | 'har')}
          >
            <option value="capture">OCPP Scope capture (.jsonl)</option>
            <option value="har">HAR (Chrome DevTools)</option>
          </select>
          <label className="check" title="Replace Basic auth passwords, keys and tokens with placeholders">
            <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} /> redact
            secrets
          </label>
          <button
            type="button"
            className="btn"
            data-testid="export"
            disabled={!exportId || busy}
            onClick={() => void doExport()}
          >
            {busy ? 'Exporting…' : 'Export'}
          </button>
          <DiagnosisButton sourceId={exportId} />
        </div>
      </div>
    </div>
  );
}

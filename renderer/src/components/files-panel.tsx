import { useState } from 'react';
import type { FilesSettings } from '../../../shared/api';
import type { TransferProtocol } from '../types';
import { formatBytes, formatTime } from '../logic/format';
import { useStore, useStoreInstance } from '../state/hooks';

const PROTOCOLS: TransferProtocol[] = ['http', 'https', 'ftp', 'ftps'];
const DEFAULT_PORTS: Record<TransferProtocol, string> = {
  http: '8080',
  https: '8443',
  ftp: '2121',
  ftps: '2990',
};

/** "" leaves the protocol off; anything else must be a port (0 = any free one). */
function portsFrom(text: Record<TransferProtocol, string>): FilesSettings['ports'] | string {
  const ports = { http: null, https: null, ftp: null, ftps: null } as FilesSettings['ports'];
  for (const p of PROTOCOLS) {
    const t = text[p].trim();
    if (t === '') continue;
    const n = Number(t);
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      return `${p.toUpperCase()} port must be 0-65535 or empty (off).`;
    ports[p] = n;
  }
  return ports;
}

/**
 * The file server chargers upload diagnostics and logs to and download firmware from: start/stop, its URLs, the
 * folder and its files (one is picked as the firmware the composer's templates offer), and the last transfers.
 */
export function FilesPanel() {
  const store = useStoreInstance();
  const files = useStore((s) => s.files);
  const choice = useStore((s) => s.filesChoice);
  const [ports, setPorts] = useState(DEFAULT_PORTS);
  const [busy, setBusy] = useState(false);
  const firmware = choice.firmware ?? files.files[0]?.name;

  const toggle = async () => {
    setBusy(true);
    await store.run(files.running ? 'Stopping the file server' : 'Starting the file server', async () => {
      if (files.running) return store.set({ files: await store.api.stopFiles() });
      const p = portsFrom(ports);
      if (typeof p === 'string') throw new Error(p);
      store.set({
        files: await store.api.startFiles({ dir: '', host: '0.0.0.0', ports: p, maxUploadBytes: 1024 ** 3 }),
      });
    });
    setBusy(false);
  };

  return (
    <div className="split" data-testid="files-panel">
      <div>
        <div className="block-title">File server</div>
        <div className="row wrap">
          {PROTOCOLS.map((p) => (
            <label key={p} className="row" title="empty = off, 0 = any free port">
              {p.toUpperCase()}
              <input
                className="input mono"
                style={{ width: 64 }}
                data-testid={`files-port-${p}`}
                value={files.running ? String(files.ports[p] ?? '') : ports[p]}
                disabled={files.running}
                onChange={(e) => setPorts({ ...ports, [p]: e.target.value })}
              />
            </label>
          ))}
          <button
            type="button"
            className={`btn small${files.running ? ' on' : ''}`}
            data-testid="files-toggle"
            disabled={busy}
            onClick={() => void toggle()}
          >
            {files.running ? 'Stop' : 'Start'}
          </button>
        </div>
        {files.error && <div className="badge error">{files.error}</div>}
        {files.running && (
          <>
            <div className="muted" style={{ fontSize: 11, marginTop: 4 }} data-testid="files-dir">
              Folder <code>{files.dir}</code>: uploads land in one sub-folder per charger; its files are
              firmware.
            </div>
            <div className="block-title">URLs (the composer adds a token per request)</div>
            <div data-testid="files-urls">
              {files.urls.map((u) => (
                <div key={u.url} className="url-row">
                  <code>{u.url}</code>
                </div>
              ))}
            </div>
            <div className="block-title">Templates use</div>
            <div className="row wrap">
              <select
                data-testid="files-protocol"
                value={choice.protocol}
                onChange={(e) =>
                  store.set({ filesChoice: { ...choice, protocol: e.target.value as TransferProtocol } })
                }
              >
                {PROTOCOLS.filter((p) => files.ports[p] !== undefined).map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
              <select
                data-testid="files-firmware"
                value={firmware ?? ''}
                onChange={(e) => store.set({ filesChoice: { ...choice, firmware: e.target.value } })}
              >
                {files.files.length === 0 && <option value="">(put a firmware file in the folder)</option>}
                {files.files.map((f) => (
                  <option key={f.name} value={f.name}>
                    {f.name} ({formatBytes(f.size)})
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
      </div>
      <div>
        <div className="block-title">Transfers</div>
        <table className="grid" data-testid="files-transfers">
          <thead>
            <tr>
              <th>Time</th>
              <th>Charger</th>
              <th>File</th>
              <th>Size</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {[...files.transfers].reverse().map((t) => (
              <tr key={t.transfer} data-testid="files-transfer-row">
                <td className="mono">{formatTime(t.t)}</td>
                <td>{t.identity ?? '–'}</td>
                <td title={t.sha256 ? `SHA-256 ${t.sha256}` : undefined}>
                  {t.direction === 'upload' ? '↑' : '↓'} {t.name} <span className="muted">{t.protocol}</span>
                </td>
                <td className="mono">{formatBytes(t.bytes)}</td>
                <td>
                  {t.phase === 'completed' ? (
                    <span className={`badge ${t.findings?.length ? 'warn' : 'ok'}`}>
                      {t.findings?.length ? t.findings[0]?.code : `ok ${Math.round(t.durationMs ?? 0)} ms`}
                    </span>
                  ) : (
                    <span className="badge error" title={t.findings?.[0]?.message}>
                      {t.findings?.[0]?.code ?? 'failed'}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

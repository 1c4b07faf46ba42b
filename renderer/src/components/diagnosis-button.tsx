import { useState } from 'react';
import { useStoreInstance } from '../state/hooks';
import { download } from './endpoint-panel';
import { isElectron } from './open-files';

/**
 * One click for a support ticket: a self-contained HTML page (health, handshakes, findings) and the redacted capture
 * beside it. The app writes both where the user chose; a browser downloads both.
 */
export function DiagnosisButton({ sourceId }: { sourceId: string | undefined }) {
  const store = useStoreInstance();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    if (!sourceId) return;
    setBusy(true);
    if (isElectron()) {
      const path = await store.run('Choosing where to save', () =>
        store.api.chooseFile('save', 'ocpp-diagnosis.html'),
      );
      if (path) {
        const out = await store.run('Making the diagnosis bundle', () =>
          store.api.exportDiagnosis(sourceId, path),
        );
        if (out) store.toast(`Saved ${out.written.join(' and ')}`, 'ok');
      }
    } else {
      const out = await store.run('Making the diagnosis bundle', () => store.api.exportDiagnosis(sourceId));
      if (out) {
        download(out.name, out.html, 'text/html');
        download(out.captureName, out.capture, 'application/x-ndjson');
        store.toast(`Downloaded ${out.name} and ${out.captureName} (passwords and keys redacted)`, 'ok');
      }
    }
    setBusy(false);
  };
  return (
    <button
      type="button"
      className="btn"
      data-testid="diagnosis-bundle"
      disabled={!sourceId || busy}
      title="A redacted capture and a one-page HTML summary (chargers' health, handshakes, findings) for a support ticket"
      onClick={() => void run()}
    >
      {busy ? 'Bundling…' : 'Diagnosis bundle'}
    </button>
  );
}

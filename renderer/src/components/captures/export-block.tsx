import { useState } from 'react';
import type { RedactionReportItem } from '../../../../shared/capture/redaction-report';
import { useStore, useStoreInstance } from '../../state/hooks';
import { DiagnosisButton } from '../diagnosis-button';
import { exportAndSave } from '../../state/save-source';
import { windowSaveTarget } from '../save-text';

/** Export a source as a capture or HAR (secrets redacted unless told), and the diagnosis bundle. */
export function ExportBlock() {
  const store = useStoreInstance();
  const sources = useStore((s) => s.sources);
  const active = useStore((s) => s.activeSource);
  const [exportSource, setExportSource] = useState<string>();
  const [format, setFormat] = useState<'capture' | 'har'>('capture');
  const [redact, setRedact] = useState(true);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<RedactionReportItem[]>();
  const exportId = exportSource ?? active ?? sources[0]?.id;

  const doExport = async () => {
    if (!exportId) return;
    setBusy(true);
    const out = await exportAndSave(store, exportId, { format, redact, ask: true }, windowSaveTarget());
    setReport(out?.redaction);
    setBusy(false);
  };

  return (
    <>
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
      {report && <RedactionSummary items={report} />}
    </>
  );
}

/** What the last export's redaction replaced, by rule: the person sharing the file sees what was taken out. */
function RedactionSummary({ items }: { items: RedactionReportItem[] }) {
  const total = items.reduce((n, i) => n + i.count, 0);
  return (
    <div className="muted mt" data-testid="redaction-report">
      {total === 0 ? (
        'Redaction ran: nothing matched a secret rule.'
      ) : (
        <>
          Redaction replaced {total} value(s):
          <ul>
            {items.map((i) => (
              <li key={i.rule} data-testid={`redaction-${i.rule}`}>
                {i.count} × {i.description}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

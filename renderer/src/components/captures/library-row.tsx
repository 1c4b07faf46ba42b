import type { CaptureEntry } from '../../../../shared/api';
import { formatBytes, formatDateTime } from '../../logic/format';
import { useStore } from '../../state/hooks';

export interface RowActions {
  open: () => void;
  rename: () => void;
  reveal: () => void;
  remove: () => void;
  toggle: () => void;
}

/** One recording: select (for a diff), name, date, chargers, size, findings by severity, and its actions. */
export function LibraryRow({
  entry,
  selected,
  actions,
}: {
  entry: CaptureEntry;
  selected: boolean;
  actions: RowActions;
}) {
  const recording = useStore((s) => s.recording.on && s.recording.file === entry.path);
  return (
    <tr data-testid="library-row" data-name={entry.name}>
      <td>
        <input
          type="checkbox"
          checked={selected}
          onChange={actions.toggle}
          data-testid="library-select"
          aria-label={`Select ${entry.name}`}
        />
      </td>
      <td title={entry.path}>
        <b>{entry.name}</b>
        {entry.problem && <div className="muted">{entry.problem}</div>}
      </td>
      <td className="mono">{formatDateTime(entry.created ?? entry.modifiedMs)}</td>
      <td data-testid="library-chargers">{entry.identities.join(', ') || '–'}</td>
      <td className="mono">{formatBytes(entry.size)}</td>
      <td data-testid="library-findings">
        <FindingCounts entry={entry} recording={recording} />
      </td>
      <td className="right" style={{ whiteSpace: 'nowrap' }}>
        <button type="button" className="btn small" data-testid="library-open" onClick={actions.open}>
          Open
        </button>{' '}
        <button type="button" className="btn small" data-testid="library-rename" onClick={actions.rename}>
          Rename
        </button>{' '}
        <button type="button" className="btn small" data-testid="library-reveal" onClick={actions.reveal}>
          Show in folder
        </button>{' '}
        <button type="button" className="btn small" data-testid="library-delete" onClick={actions.remove}>
          Delete
        </button>
      </td>
    </tr>
  );
}

/**
 * Findings by severity, exact for the whole file; while the engine counts a large file, "counting…" (with what its
 * two ends hold in the tooltip), and for the file being recorded, which grows under any count, "recording…".
 */
function FindingCounts({ entry, recording }: { entry: CaptureEntry; recording: boolean }) {
  const f = entry.findings;
  if (entry.counting) {
    const seen = `${f.error} errors, ${f.warning} warnings, ${f.info} info`;
    return (
      <span
        className="muted"
        data-testid="library-counting"
        title={`Counting the whole file; its first and last 256 KiB hold ${seen}`}
      >
        {recording ? 'recording…' : 'counting…'}
      </span>
    );
  }
  if (f.error + f.warning + f.info === 0) return <span className="muted">none</span>;
  return (
    <>
      {f.error > 0 && <span className="badge error">{f.error} errors</span>}{' '}
      {f.warning > 0 && <span className="badge warn">{f.warning} warnings</span>}{' '}
      {f.info > 0 && <span className="badge">{f.info} info</span>}
    </>
  );
}

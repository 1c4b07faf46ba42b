import type { CaptureEntry } from '../../../../shared/api';
import { formatBytes, formatDateTime } from '../../logic/format';

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
  const f = entry.findings;
  const atLeast = entry.partial ? '≥' : '';
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
      <td
        data-testid="library-findings"
        title={entry.partial ? 'Counted in the first and last 256 KiB of the file' : undefined}
      >
        {f.error > 0 && (
          <span className="badge error">
            {atLeast}
            {f.error} errors
          </span>
        )}{' '}
        {f.warning > 0 && (
          <span className="badge warn">
            {atLeast}
            {f.warning} warnings
          </span>
        )}{' '}
        {f.info > 0 && (
          <span className="badge">
            {atLeast}
            {f.info} info
          </span>
        )}
        {f.error + f.warning + f.info === 0 && (
          <span className="muted">{entry.partial ? 'none seen' : 'none'}</span>
        )}
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

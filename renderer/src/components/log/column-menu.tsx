import { useEffect, useRef, useState } from 'react';
import { COLUMNS, DEFAULT_LAYOUT, toggleColumn, visibleColumns } from '../../logic/columns';
import { useStoreInstance } from '../../state/hooks';
import { saveColumnLayout, useColumnLayout } from '../../state/log-layout';

/** Which columns the log shows (kept in the settings); the last visible one cannot be hidden. */
export function ColumnMenu() {
  const store = useStoreInstance();
  const layout = useColumnLayout();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: Event): void => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node))
        setOpen(false);
    };
    window.addEventListener('mousedown', away);
    window.addEventListener('keydown', away);
    return () => {
      window.removeEventListener('mousedown', away);
      window.removeEventListener('keydown', away);
    };
  }, [open]);
  const shown = visibleColumns(layout);
  const changed = layout.hidden.length > 0 || Object.keys(layout.widths).length > 0;
  return (
    <div className="column-menu" ref={ref}>
      <button
        type="button"
        className={`chip${layout.hidden.length > 0 ? ' active' : ''}`}
        data-testid="columns-menu"
        title="Show or hide the log's columns"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        Columns{layout.hidden.length > 0 ? ` (${shown.length}/${COLUMNS.length})` : ''}
      </button>
      {open && (
        <div className="popover" role="menu" data-testid="columns-popover">
          {COLUMNS.map((c) => {
            const visible = !layout.hidden.includes(c.id);
            return (
              <label key={c.id} className="row" role="menuitemcheckbox" aria-checked={visible}>
                <input
                  type="checkbox"
                  data-testid={`column-toggle-${c.id}`}
                  checked={visible}
                  disabled={visible && shown.length <= 1}
                  onChange={() => void saveColumnLayout(store, toggleColumn(layout, c.id))}
                />
                {c.label}
              </label>
            );
          })}
          <button
            type="button"
            className="btn small mt"
            data-testid="columns-reset"
            disabled={!changed}
            onClick={() => void saveColumnLayout(store, DEFAULT_LAYOUT)}
          >
            Show all, default widths
          </button>
        </div>
      )}
    </div>
  );
}

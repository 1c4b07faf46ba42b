import type { PointerEvent as ReactPointerEvent } from 'react';
import { TIME_LABEL, type Column, type ColumnId, type TimeMode } from '../../logic/columns';
import { nextSort } from '../../logic/log-sort';
import { useStore, useStoreInstance } from '../../state/hooks';

const NEXT_TIME: Record<TimeMode, TimeMode> = { clock: 'relative', relative: 'delta', delta: 'clock' };

interface Props {
  columns: readonly Column[];
  onResizeStart(id: ColumnId, e: ReactPointerEvent<HTMLElement>): void;
  onResizeReset(id: ColumnId): void;
}

/** The log's sticky header: click a name (or its arrow) to sort, drag a right edge to resize. */
export function LogHeader({ columns, onResizeStart, onResizeReset }: Props) {
  const store = useStoreInstance();
  const sort = useStore((s) => s.sort);
  const timeMode = useStore((s) => s.timeMode);
  const utc = useStore((s) => s.settings?.timeZone === 'utc');
  const sortBy = (id: ColumnId) => store.set({ sort: nextSort(sort, id), follow: false });
  return (
    <div className="log-head" role="row" data-testid="log-head">
      {columns.map((c) => {
        const dir = sort?.column === c.id ? sort.dir : undefined;
        return (
          <div
            key={c.id}
            role="columnheader"
            className={c.align === 'right' ? 'right' : undefined}
            data-testid={`col-${c.id}`}
            aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}
          >
            {c.id === 'time' ? (
              <span
                className="col-label clickable"
                data-testid="time-mode"
                title={`Click: wall clock (${utc ? 'UTC' : 'local time'}), seconds since the first event, or since the row above`}
                onClick={() => store.set({ timeMode: NEXT_TIME[timeMode] })}
              >
                {TIME_LABEL[timeMode]}
              </span>
            ) : (
              <span
                className="col-label clickable"
                title={c.hint ? `${c.hint}\nClick to sort by ${c.label}.` : `Sort by ${c.label}`}
                onClick={() => sortBy(c.id)}
              >
                {c.label}
              </span>
            )}
            <button
              type="button"
              className={`col-sort${dir ? ' on' : ''}`}
              data-testid={`sort-${c.id}`}
              title={dir === 'desc' ? 'Back to the order things happened' : `Sort by ${c.label}`}
              onClick={() => sortBy(c.id)}
            >
              {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : '↕'}
            </button>
            <span
              className="col-resize"
              data-testid={`resize-${c.id}`}
              title="Drag to resize; double-click for the default width"
              onPointerDown={(e) => onResizeStart(c.id, e)}
              onDoubleClick={() => onResizeReset(c.id)}
            />
          </div>
        );
      })}
    </div>
  );
}

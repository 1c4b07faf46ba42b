import { eventFindingCount } from '../../../shared/capture/query';
import type { ScopeEvent } from '../types';
import { COLUMNS, type ColumnId, type RowContext } from './columns';

/**
 * Sorting the log by a column, as a packet list does: a click on a header sorts ascending, a second descending, a
 * third goes back to the order things happened. Ties keep that order (by seq), so a sort never shuffles equals.
 */

export interface LogSort {
  column: ColumnId;
  dir: 'asc' | 'desc';
}

export function nextSort(current: LogSort | undefined, column: ColumnId): LogSort | undefined {
  if (current?.column !== column) return { column, dir: 'asc' };
  return current.dir === 'asc' ? { column, dir: 'desc' } : undefined;
}

type Key = number | string | undefined;

/** What a column sorts by: numbers where the cell shows a quantity, the cell's text otherwise. */
function keyOf(column: ColumnId, e: ScopeEvent, ctx: RowContext): Key {
  switch (column) {
    case 'time':
      return e.t;
    case 'rtt':
      return ctx.rttOf(e);
    case 'findings':
      return eventFindingCount(e);
    default:
      return COLUMNS.find((c) => c.id === column)!.cell(e, ctx);
  }
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** A sorted copy; rows without a value (no RTT, an empty cell) go last in both directions. */
export function sortEvents(events: readonly ScopeEvent[], sort: LogSort, ctx: RowContext): ScopeEvent[] {
  const keyed = events.map((e) => ({ e, k: keyOf(sort.column, e, ctx) }));
  const sign = sort.dir === 'asc' ? 1 : -1;
  keyed.sort((a, b) => {
    const ea = a.k === undefined || a.k === '';
    const eb = b.k === undefined || b.k === '';
    if (ea || eb) return ea === eb ? a.e.seq - b.e.seq : ea ? 1 : -1;
    const c =
      typeof a.k === 'number' && typeof b.k === 'number'
        ? a.k - b.k
        : collator.compare(String(a.k), String(b.k));
    return c !== 0 ? sign * c : a.e.seq - b.e.seq;
  });
  return keyed.map((x) => x.e);
}

import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { gridTemplate, minWidth, visibleColumns, type RowContext } from '../logic/columns';
import { formatCount } from '../logic/format';
import { useStore, useStoreInstance } from '../state/hooks';
import { saveColumnLayout, useColumnLayout } from '../state/log-layout';
import { SORT_LIMIT, useSortedRows, type RowSource } from '../state/sorted-rows';
import { LogEmpty } from './log/log-empty';
import { LogHeader } from './log/log-header';
import { LoadingRow, LogRow } from './log/log-row';
import { useColumnResize } from './log/use-column-resize';
import { logKeyHandler } from './log/use-log-keys';

const ROW = 26;
const HEAD = 28;

/** The message log: a virtualized table over the live log or a capture, sortable, with columns to hide and resize. */
export function LogTable() {
  const store = useStoreInstance();
  const version = useStore((s) => s.logVersion);
  const follow = useStore((s) => s.follow);
  const selected = useStore((s) => s.selected);
  const sort = useStore((s) => s.sort);
  const isLive = useStore((s) => s.activeSource !== undefined && s.activeSource === s.liveSource);
  const running = useStore((s) => s.endpoint.running);
  const hasQuery = useStore((s) => s.search.trim() !== '' || (s.settings?.hideKeepalives ?? 'off') !== 'off');
  const timeMode = useStore((s) => s.timeMode);
  const query = useStore((s) => s.query);
  const activeSource = useStore((s) => s.activeSource);
  const connections = useStore((s) => s.connections);
  const model = store.model();
  const layout = useColumnLayout();
  const resize = useColumnResize(layout, (next) => void saveColumnLayout(store, next));
  const columns = useMemo(() => visibleColumns(layout), [layout]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // Delta times read the row above in the order shown (sorted or not), which is known only after sorting.
  const rowsRef = useRef<RowSource | undefined>(undefined);

  const ctx: RowContext = useMemo(
    () => ({
      connectionLabel: store.connectionLabel,
      connectionOf: (conn) => store.connectionOf(conn),
      rttOf: (e) => model?.rttOf(e),
      timeMode,
      origin: model?.at(0)?.t,
      previous: (e) => {
        const shown = rowsRef.current;
        const row = shown?.rowOf(e.seq) ?? -1;
        return row > 0 ? shown?.at(row - 1) : undefined;
      },
    }),
    // version: the first row (the origin) of a capture arrives with its first page. connections: a row shown before
    // the connection list that names its connection reached the page is drawn again with the name (rows are memo).
    [store, model, timeMode, version, connections],
  );
  const sorted = useSortedRows(model, sort, ctx, version);
  const rows: RowSource | undefined = sort && sorted.rows ? sorted.rows : model;
  rowsRef.current = rows;
  const count = rows?.count ?? 0;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    // The sticky header sits inside the scroller: rows start below it and scrolling to a row keeps it clear.
    scrollMargin: HEAD,
    scrollPaddingStart: HEAD,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (rows === model && model && 'ensure' in model) model.ensure(first, last);
  }, [rows, model, first, last, version]);
  useEffect(() => {
    if (follow && !sort && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [follow, sort, count, virtualizer]);
  // A new source or a new filter starts at the top (unless following the live tail).
  useEffect(() => {
    if (!store.getState().follow) scrollRef.current?.scrollTo({ top: 0 });
  }, [activeSource, query, sort, store]);
  // Keep the selected row in view when it changes by keyboard or from the detail pane (the partner link).
  useEffect(() => {
    if (!selected || !rows) return;
    const row = rows.rowOf(selected.seq);
    if (row >= 0 && (row < first || row > last)) virtualizer.scrollToIndex(row, { align: 'center' });
  }, [selected]);

  const partnerSeq = useMemo(
    () => (selected && model ? model.partnerOf(selected)?.seq : undefined),
    [selected, model],
  );
  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW * 1.5;
    const followNow = store.getState().follow;
    if (followNow && !atBottom) store.set({ follow: false });
    else if (!followNow && atBottom && isLive && !store.getState().sort) store.set({ follow: true });
  }, [store, isLive]);
  const onKeyDown = logKeyHandler({
    store,
    rows,
    model,
    selected,
    columns,
    ctx,
    virtualizer,
    first,
    last,
    page: items.length,
  });
  const min = `${minWidth(columns, resize.widths)}px`;

  return (
    <div
      className="log"
      data-testid="log"
      style={{
        ['--log-columns' as string]: gridTemplate(columns, resize.widths),
        ['--log-min-width' as string]: min,
      }}
    >
      {sorted.tooMany !== undefined && (
        <div className="log-note" data-testid="sort-too-many">
          Sorting reads the rows into this window: {formatCount(sorted.tooMany)} is more than{' '}
          {formatCount(SORT_LIMIT)}. Narrow the filter, or click the header again to go back to the order
          things happened.
        </div>
      )}
      <div
        className="log-scroll"
        ref={scrollRef}
        tabIndex={0}
        data-testid="log-scroll"
        onScroll={onScroll}
        onKeyDown={onKeyDown}
      >
        <LogHeader columns={columns} onResizeStart={resize.begin} onResizeReset={resize.reset} />
        <div
          style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: min }}
          role="rowgroup"
        >
          {items.map((item) => {
            const e = rows?.at(item.index);
            if (!e) return <LoadingRow key={item.key} top={item.start - HEAD} />;
            return (
              <LogRow
                key={item.key}
                e={e}
                columns={columns}
                ctx={ctx}
                top={item.start - HEAD}
                selected={selected?.seq === e.seq}
                partner={partnerSeq === e.seq}
              />
            );
          })}
        </div>
      </div>
      {count === 0 && <LogEmpty model={model} hasQuery={hasQuery} isLive={isLive} running={running} />}
      {!follow && isLive && !sort && count > 0 && (
        <button
          type="button"
          className="btn primary follow-btn"
          data-testid="follow"
          onClick={() => store.set({ follow: true })}
        >
          ↓ Follow newest
        </button>
      )}
    </div>
  );
}

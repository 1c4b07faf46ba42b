import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import {
  COLUMNS,
  TIME_LABEL,
  gridTemplate,
  minWidth,
  rowTone,
  rowsAsText,
  worstSeverity,
  type RowContext,
  type TimeMode,
} from '../logic/columns';
import { composeFrom } from '../composer/replies';
import { useStore, useStoreInstance } from '../state/hooks';
import type { ScopeEvent } from '../types';

const NEXT_TIME: Record<TimeMode, TimeMode> = { clock: 'relative', relative: 'delta', delta: 'clock' };
const ROW = 26;
const HEAD = 28;
const TEMPLATE = gridTemplate();
const MIN_WIDTH = `${minWidth()}px`;

function FindingsCell({ e, text }: { e: ScopeEvent; text: string }) {
  if (!text) return null;
  const sev = worstSeverity(e) ?? 'info';
  return <span className={`findings-pill ${sev}`}>{text}</span>;
}

export function LogTable() {
  const store = useStoreInstance();
  useStore((s) => s.logVersion);
  const follow = useStore((s) => s.follow);
  const selected = useStore((s) => s.selected);
  const activeSource = useStore((s) => s.activeSource);
  const liveSource = useStore((s) => s.liveSource);
  const running = useStore((s) => s.endpoint.running);
  const hasQuery = useStore((s) => s.search.trim() !== '');
  useStore((s) => s.connections);
  const model = store.model();
  const count = model?.count ?? 0;
  const scrollRef = useRef<HTMLDivElement>(null);
  const isLive = activeSource !== undefined && activeSource === liveSource;

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
    if (model && 'ensure' in model) model.ensure(first, last);
  }, [model, first, last, store.getState().logVersion]);

  useEffect(() => {
    if (follow && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [follow, count, virtualizer]);

  // A new source or a new filter starts at the top (unless following the live tail).
  const query = useStore((s) => s.query);
  useEffect(() => {
    if (!store.getState().follow) scrollRef.current?.scrollTo({ top: 0 });
  }, [activeSource, query, store]);

  // Keep the selected row in view when it changes by keyboard or from the detail pane (the partner link).
  useEffect(() => {
    if (!selected || !model) return;
    const row = model.rowOf(selected.seq);
    if (row >= 0 && (row < first || row > last)) virtualizer.scrollToIndex(row, { align: 'center' });
  }, [selected]);

  const partnerSeq = useMemo(
    () => (selected && model ? model.partnerOf(selected)?.seq : undefined),
    [selected, model],
  );
  const timeMode = useStore((s) => s.timeMode);
  const ctx: RowContext = useMemo(
    () => ({
      connectionLabel: store.connectionLabel,
      rttOf: (e) => model?.rttOf(e),
      timeMode,
      origin: model?.at(0)?.t,
      previous: (e) => {
        const row = model?.rowOf(e.seq) ?? -1;
        return row > 0 ? model?.at(row - 1) : undefined;
      },
    }),
    // logVersion: the first row (the origin) of a capture arrives with its first page.
    [store, model, timeMode, store.getState().logVersion],
  );

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW * 1.5;
    const followNow = store.getState().follow;
    if (followNow && !atBottom) store.set({ follow: false });
    else if (!followNow && atBottom && isLive) store.set({ follow: true });
  }, [store, isLive]);

  const move = (delta: number) => {
    if (!model || count === 0) return;
    const current = selected ? model.rowOf(selected.seq) : -1;
    const baseRow = current >= 0 ? current : delta > 0 ? first - 1 : last + 1;
    const row = Math.max(0, Math.min(count - 1, baseRow + delta));
    const e = model.at(row);
    if (e) {
      store.select(e);
      store.set({ follow: false });
      virtualizer.scrollToIndex(row, { align: 'auto' });
    }
  };

  return (
    <div
      className="log"
      data-testid="log"
      style={{ ['--log-columns' as string]: TEMPLATE, ['--log-min-width' as string]: MIN_WIDTH }}
    >
      <div
        className="log-scroll"
        ref={scrollRef}
        tabIndex={0}
        data-testid="log-scroll"
        onScroll={onScroll}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'j') {
            e.preventDefault();
            move(1);
          } else if (e.key === 'ArrowUp' || e.key === 'k') {
            e.preventDefault();
            move(-1);
          } else if (e.key === 'PageDown') {
            e.preventDefault();
            move(Math.max(1, items.length - 4));
          } else if (e.key === 'PageUp') {
            e.preventDefault();
            move(-Math.max(1, items.length - 4));
          } else if (e.key === 'Home') {
            e.preventDefault();
            store.set({ follow: false });
            virtualizer.scrollToIndex(0);
          } else if (e.key === 'End') {
            e.preventDefault();
            store.set({ follow: true });
          } else if ((e.ctrlKey || e.metaKey) && e.key === 'c' && selected) {
            // Copy the exact wire text of a frame (or the row's cells for other events), not the DOM selection.
            e.preventDefault();
            const text =
              selected.kind === 'frame' ? selected.text : rowsAsText([selected], ctx).split('\n')[1]!;
            void navigator.clipboard?.writeText(text).then(() => store.toast('Copied.', 'ok'));
          } else if (e.key === 'Enter' && selected) {
            e.preventDefault();
            composeFrom(store, selected);
          } else if (e.key === 'p' && selected && model) {
            const partner = model.partnerOf(selected);
            if (partner) store.select(partner);
          }
        }}
      >
        <div className="log-head" role="row">
          {COLUMNS.map((c) =>
            c.id === 'time' ? (
              <div
                key={c.id}
                role="columnheader"
                className="clickable"
                data-testid="time-mode"
                title="Click: wall clock, seconds since the first event, or since the row above"
                onClick={() => store.set({ timeMode: NEXT_TIME[timeMode] })}
              >
                {TIME_LABEL[timeMode]}
              </div>
            ) : (
              <div key={c.id} className={c.align === 'right' ? 'right' : undefined} role="columnheader">
                {c.label}
              </div>
            ),
          )}
        </div>
        <div
          style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: MIN_WIDTH }}
          role="rowgroup"
        >
          {items.map((item) => {
            const e = model?.at(item.index);
            if (!e)
              return (
                <div key={item.key} className="log-row" style={{ top: item.start - HEAD }}>
                  <div className="muted">loading…</div>
                </div>
              );
            const sev = worstSeverity(e);
            const cls = [
              'log-row',
              `tone-${rowTone(e)}`,
              sev && sev !== 'info' ? `sev-${sev}` : '',
              selected?.seq === e.seq ? 'selected' : '',
              partnerSeq === e.seq ? 'partner' : '',
            ].join(' ');
            return (
              <div
                key={item.key}
                className={cls}
                style={{ top: item.start - HEAD }}
                role="row"
                data-testid="log-row"
                data-seq={e.seq}
                data-kind={e.kind}
                data-action={e.kind === 'frame' ? (e.msg?.action ?? '') : ''}
                data-type={e.kind === 'frame' ? (e.msg?.type ?? '') : ''}
                aria-selected={selected?.seq === e.seq}
                onMouseDown={() => store.select(e)}
                onDoubleClick={() => composeFrom(store, e)}
              >
                {COLUMNS.map((c) => {
                  const text = c.cell(e, ctx);
                  return (
                    <div
                      key={c.id}
                      className={`c-${c.id}${c.align === 'right' ? ' right' : ''}`}
                      data-testid={`cell-${c.id}`}
                      title={c.id === 'action' || c.id === 'id' ? text : undefined}
                    >
                      {c.id === 'findings' ? <FindingsCell e={e} text={text} /> : text}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
      {count === 0 && (
        <div className="log-empty" data-testid="log-empty">
          <div className="empty big">
            {hasQuery ? (
              <>
                <h3>Nothing matches this filter</h3>
                Clear the filter (<kbd>Esc</kbd> in the filter bar) or loosen it.
              </>
            ) : !isLive ? (
              model && 'error' in model && model.error ? (
                <>
                  <h3>The capture could not be read</h3>
                  <span data-testid="capture-error">{model.error}</span>
                </>
              ) : model && 'loaded' in model && !model.loaded ? (
                <>
                  <h3>Reading the capture…</h3>
                </>
              ) : (
                <>
                  <h3>This capture has no events</h3>
                </>
              )
            ) : running ? (
              <>
                <h3>Waiting for traffic</h3>
                Point a charger at the endpoint URL on the left, or connect as a station. Frames appear here
                as they cross the wire.
              </>
            ) : (
              <>
                <h3>No traffic yet</h3>
                <b>Start the endpoint</b> on the left to let a charger connect, <b>Connect…</b> to a CSMS as a
                station, or open a capture (<kbd>Ctrl</kbd>+<kbd>O</kbd>, or drop a file here).
              </>
            )}
          </div>
        </div>
      )}
      {!follow && isLive && count > 0 && (
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

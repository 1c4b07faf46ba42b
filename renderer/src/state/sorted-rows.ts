import { useEffect, useMemo, useRef, useState } from 'react';
import type { RowContext } from '../logic/columns';
import { sortEvents, type LogSort } from '../logic/log-sort';
import type { ScopeEvent } from '../types';
import type { LogModel } from './store';

/** What the log table reads its rows from: the model in event order, or a sorted copy of its rows. */
export interface RowSource {
  readonly count: number;
  at(row: number): ScopeEvent | undefined;
  rowOf(seq: number): number;
}

export class SortedRows implements RowSource {
  private readonly rowBySeq = new Map<number, number>();

  constructor(private readonly events: readonly ScopeEvent[]) {
    events.forEach((e, i) => this.rowBySeq.set(e.seq, i));
  }

  get count(): number {
    return this.events.length;
  }

  at(row: number): ScopeEvent | undefined {
    return this.events[row];
  }

  rowOf(seq: number): number {
    return this.rowBySeq.get(seq) ?? -1;
  }
}

/** A capture is sorted in the window: up to this many rows (the filter narrows a bigger one first). */
export const SORT_LIMIT = 20_000;

export interface Sorted {
  rows?: SortedRows;
  /** The capture has more rows than the window sorts. */
  tooMany?: number;
}

/**
 * The sorted rows of the model under its current filter. The live log sorts what it holds on every change; a capture
 * is read whole through the engine (bounded by SORT_LIMIT) and sorted once per filter.
 */
export function useSortedRows(
  model: LogModel | undefined,
  sort: LogSort | undefined,
  ctx: RowContext,
  version: number,
): Sorted {
  const live = model && 'events' in model ? model : undefined;
  const capture = model && !('events' in model) ? model : undefined;
  const liveRows = useMemo(() => {
    if (!sort || !live) return undefined;
    const events: ScopeEvent[] = [];
    for (let i = 0; i < live.count; i++) events.push(live.at(i)!);
    return new SortedRows(sortEvents(events, sort, ctx));
  }, [live, sort, ctx, version]);

  // The row context changes with every log update; a capture is sorted again only when its rows do.
  const ctxRef = useRef(ctx);
  ctxRef.current = ctx;
  const [captureSorted, setCaptureSorted] = useState<Sorted>({});
  const total = capture?.count ?? 0;
  const query = capture?.currentQuery;
  useEffect(() => {
    setCaptureSorted({});
    if (!sort || !capture || !capture.loaded) return;
    if (total > SORT_LIMIT) {
      setCaptureSorted({ tooMany: total });
      return;
    }
    let current = true;
    void capture.readAll(SORT_LIMIT).then((events) => {
      if (current && events)
        setCaptureSorted({ rows: new SortedRows(sortEvents(events, sort, ctxRef.current)) });
    });
    return () => {
      current = false;
    };
  }, [capture, sort, total, query, capture?.loaded]);

  return live ? { rows: liveRows } : captureSorted;
}

import type { KeyboardEvent } from 'react';
import type { Virtualizer } from '@tanstack/react-virtual';
import { rowsAsText, type Column, type RowContext } from '../../logic/columns';
import { composeFrom } from '../../composer/replies';
import type { RowSource } from '../../state/sorted-rows';
import type { LogModel, Store } from '../../state/store';
import type { ScopeEvent } from '../../types';

interface Keys {
  store: Store;
  rows: RowSource | undefined;
  model: LogModel | undefined;
  selected: ScopeEvent | undefined;
  columns: readonly Column[];
  ctx: RowContext;
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  /** First and last row on screen, and how many fit. */
  first: number;
  last: number;
  page: number;
}

/** The log's own keys: move, page, jump to the ends, copy, compose from and jump to the partner of the selection. */
export function logKeyHandler(k: Keys): (e: KeyboardEvent<HTMLDivElement>) => void {
  const { store, rows, selected, virtualizer } = k;
  const move = (delta: number): void => {
    const count = rows?.count ?? 0;
    if (!rows || count === 0) return;
    const current = selected ? rows.rowOf(selected.seq) : -1;
    const baseRow = current >= 0 ? current : delta > 0 ? k.first - 1 : k.last + 1;
    const row = Math.max(0, Math.min(count - 1, baseRow + delta));
    const e = rows.at(row);
    if (e) {
      store.select(e);
      store.set({ follow: false });
      virtualizer.scrollToIndex(row, { align: 'auto' });
    }
  };
  const actions: Record<string, () => void> = {
    ArrowDown: () => move(1),
    j: () => move(1),
    ArrowUp: () => move(-1),
    k: () => move(-1),
    PageDown: () => move(Math.max(1, k.page - 4)),
    PageUp: () => move(-Math.max(1, k.page - 4)),
    Home: () => {
      store.set({ follow: false });
      virtualizer.scrollToIndex(0);
    },
    End: () => store.set({ follow: true }),
  };
  return (e) => {
    const action = actions[e.key];
    if (action && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      action();
    } else if ((e.ctrlKey || e.metaKey) && e.key === 'c' && selected) {
      // Copy the exact wire text of a frame (or the row's cells for other events), not the DOM selection.
      e.preventDefault();
      const text =
        selected.kind === 'frame' ? selected.text : rowsAsText([selected], k.ctx, k.columns).split('\n')[1]!;
      void navigator.clipboard?.writeText(text).then(() => store.toast('Copied.', 'ok'));
    } else if (e.key === 'Enter' && selected) {
      e.preventDefault();
      composeFrom(store, selected);
    } else if (e.key === 'p' && selected && k.model) {
      const partner = k.model.partnerOf(selected);
      if (partner) store.select(partner);
    }
  };
}

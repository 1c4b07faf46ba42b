import { useState, type PointerEvent as ReactPointerEvent } from 'react';
import { clampWidth, resizeColumn, type ColumnId, type ColumnLayout } from '../../logic/columns';

/**
 * Dragging a header's right edge: the column follows the pointer while the button is down (a draft, not saved) and
 * the width is saved once, when it is released.
 */
export function useColumnResize(layout: ColumnLayout, save: (layout: ColumnLayout) => void) {
  const [draft, setDraft] = useState<Readonly<Record<string, number>>>();
  const begin = (id: ColumnId, e: ReactPointerEvent<HTMLElement>): void => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    const cell = e.currentTarget.parentElement;
    if (!cell) return;
    const startX = e.clientX;
    const startWidth = cell.getBoundingClientRect().width;
    const widthAt = (x: number): number => clampWidth(startWidth + x - startX);
    const move = (ev: PointerEvent): void => setDraft({ ...layout.widths, [id]: widthAt(ev.clientX) });
    const up = (ev: PointerEvent): void => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      setDraft(undefined);
      save(resizeColumn(layout, id, widthAt(ev.clientX)));
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  /** Double-click on the edge: back to the column's own width. */
  const reset = (id: ColumnId): void => {
    const { [id]: _dropped, ...widths } = layout.widths;
    save({ ...layout, widths });
  };
  return { widths: draft ?? layout.widths, begin, reset };
}

import { useEffect, useRef, useState, type DragEvent } from 'react';

/** How long after the last dragover the overlay stays: a drag that left without a dragleave (or was cancelled) ends. */
export const DROP_IDLE_MS = 1000;

const hasFiles = (e: DragEvent): boolean => e.dataTransfer?.types.includes('Files') ?? false;

/**
 * The "drop to open" overlay of the window: shown while files are dragged over it, and cleared by every way a drag
 * can end (dragleave out of the window, drop, Escape, the window losing focus, or no dragover for a moment), so it
 * never stays on screen after the drag is gone.
 */
export function useDropOverlay(open: (files: FileList) => void) {
  const [dragging, setDragging] = useState(false);
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const clear = (): void => {
    clearTimeout(idle.current);
    setDragging(false);
  };
  useEffect(() => {
    if (!dragging) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') clear();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('blur', clear);
    // Dropped outside the app (or cancelled by the OS): the document sees dragend or a drop nobody handled.
    document.addEventListener('dragend', clear);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('blur', clear);
      document.removeEventListener('dragend', clear);
    };
  }, [dragging]);
  useEffect(() => () => clearTimeout(idle.current), []);
  const handlers = {
    onDragOver: (e: DragEvent<HTMLElement>): void => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(true);
      clearTimeout(idle.current);
      idle.current = setTimeout(clear, DROP_IDLE_MS);
    },
    onDragLeave: (e: DragEvent<HTMLElement>): void => {
      // Moving between children fires dragleave too: only leaving the window (no element to go to) ends the drag.
      const to = e.relatedTarget as Node | null;
      if (!to || !e.currentTarget.contains(to)) clear();
    },
    onDrop: (e: DragEvent<HTMLElement>): void => {
      e.preventDefault();
      clear();
      if (e.dataTransfer.files.length > 0) open(e.dataTransfer.files);
    },
  };
  return { dragging, handlers };
}

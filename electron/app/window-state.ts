import { join } from 'node:path';
import { backupFile, readJsonFile, writeJsonFile } from '../common/json-file';
import type { WindowBounds } from './window-options';
import { DEFAULT_BOUNDS } from './window-options';

export const WINDOW_STATE_FILE = 'window-state.json';

export interface DisplayArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Accepts stored bounds only when they are sane numbers; anything else falls back to the default size. */
export function parseBounds(value: unknown): WindowBounds | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!isInt(v.width) || !isInt(v.height) || v.width < 400 || v.height < 300) return undefined;
  if (v.width > 20_000 || v.height > 20_000) return undefined;
  const bounds: WindowBounds = { width: v.width, height: v.height };
  if (isInt(v.x) && isInt(v.y)) {
    bounds.x = v.x;
    bounds.y = v.y;
  }
  if (v.maximized === true) bounds.maximized = true;
  return bounds;
}

/**
 * Keeps a remembered position only when the window would still be visible on one of today's displays (a laptop
 * undocked from its second screen must not open its window off-screen).
 */
export function fitToDisplays(bounds: WindowBounds, displays: DisplayArea[]): WindowBounds {
  if (bounds.x === undefined || bounds.y === undefined) return bounds;
  const { x, y } = bounds;
  const visible = displays.some(
    (d) => x + 100 <= d.x + d.width && x + bounds.width - 100 >= d.x && y >= d.y && y + 50 <= d.y + d.height,
  );
  if (visible) return bounds;
  const rest: WindowBounds = { width: bounds.width, height: bounds.height };
  if (bounds.maximized) rest.maximized = true;
  return rest;
}

export function loadWindowState(userDataDir: string, displays: DisplayArea[]): WindowBounds {
  const path = join(userDataDir, WINDOW_STATE_FILE);
  const read = readJsonFile(path);
  if (read === 'missing') return DEFAULT_BOUNDS;
  const bounds = read === 'corrupt' ? undefined : parseBounds(read.value);
  if (!bounds) {
    backupFile(path);
    return DEFAULT_BOUNDS;
  }
  return fitToDisplays(bounds, displays);
}

export function saveWindowState(userDataDir: string, bounds: WindowBounds): void {
  try {
    writeJsonFile(join(userDataDir, WINDOW_STATE_FILE), bounds);
  } catch {
    // Losing the window position is not worth an error dialog on quit.
  }
}

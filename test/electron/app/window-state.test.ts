import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS } from '../../../electron/app/window-options';
import {
  fitToDisplays,
  loadWindowState,
  parseBounds,
  saveWindowState,
} from '../../../electron/app/window-state';
import { testTempDir } from '../../support/temp-dirs';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window state', () => {
  it('remembers size and position', () => {
    const d = testTempDir('window');
    saveWindowState(d, { x: 100, y: 50, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(d, screen)).toEqual({ x: 100, y: 50, width: 1000, height: 700, maximized: true });
  });

  it('forgets a position that is off every display (an undocked second screen)', () => {
    expect(fitToDisplays({ x: 2500, y: 100, width: 1000, height: 700 }, screen)).toEqual({
      width: 1000,
      height: 700,
    });
    expect(
      fitToDisplays({ x: 2500, y: 100, width: 1000, height: 700 }, [
        ...screen,
        { x: 1920, y: 0, width: 1920, height: 1080 },
      ]),
    ).toMatchObject({ x: 2500 });
  });

  it('refuses nonsense sizes, and falls back to the default on a corrupt file', () => {
    expect(parseBounds({ width: 10, height: 10 })).toBeUndefined();
    expect(parseBounds({ width: '900', height: 600 })).toBeUndefined();
    const d = testTempDir('window');
    writeFileSync(join(d, 'window-state.json'), 'garbage');
    expect(loadWindowState(d, screen)).toEqual(DEFAULT_BOUNDS);
    expect(readdirSync(d).some((f) => f.startsWith('window-state.corrupt-'))).toBe(true);
  });
});

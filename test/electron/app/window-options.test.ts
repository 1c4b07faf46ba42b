import { describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, windowOptions } from '../../../electron/app/window-options';

describe('windowOptions', () => {
  it('isolates and sandboxes the renderer, with no Node and no webviews', () => {
    const prefs = windowOptions('/app/dist/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/dist/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('uses remembered bounds, and the default size without them', () => {
    expect(windowOptions('p', { x: 5, y: 6, width: 900, height: 600 })).toMatchObject({
      x: 5,
      y: 6,
      width: 900,
      height: 600,
    });
    const plain = windowOptions('p');
    expect(plain).toMatchObject({ width: DEFAULT_BOUNDS.width, height: DEFAULT_BOUNDS.height });
    expect(plain).not.toHaveProperty('x');
  });
});

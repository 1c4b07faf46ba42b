import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate } from '../../../electron/app/menu';

const roles = (t: MenuItemConstructorOptions[]): (string | undefined)[] =>
  t.flatMap((i) => [
    i.role,
    ...((i.submenu as MenuItemConstructorOptions[] | undefined) ?? []).map((s) => s.role),
  ]);

describe('application menu', () => {
  it('has no DevTools entry in a production (packaged) build', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      expect(roles(menuTemplate(platform))).not.toContain('toggleDevTools');
      expect(roles(menuTemplate(platform, { devTools: false }))).not.toContain('toggleDevTools');
    }
  });

  it('offers DevTools in development builds', () => {
    expect(roles(menuTemplate('linux', { devTools: true }))).toContain('toggleDevTools');
  });
});

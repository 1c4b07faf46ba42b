import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { EndpointStatus } from '../../../shared/api';
import { defaultEndpointSettings } from '../../../shared/api-defaults';
import type { createFakeElectron } from './fake-electron';
import { testTempDir } from '../../support/temp-dirs';

/**
 * Quitting waits for the engine to close (chargers see 1001 before the process exits), and the session answers
 * permission checks with "no" except clipboard writes. The stand-in electron module gains the two calls this needs.
 */

type CheckHandler = (wc: unknown, permission: string) => boolean;
const fake = vi.hoisted(() => ({
  current: undefined as undefined | ReturnType<typeof createFakeElectron>,
  exits: [] as number[],
  onExit: undefined as undefined | (() => void),
  check: undefined as undefined | CheckHandler,
}));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  fake.current = createFakeElectron();
  const { electron } = fake.current;
  Object.assign(electron.app, {
    exit: (code = 0) => {
      fake.exits.push(code);
      fake.onExit?.();
    },
  });
  Object.assign(electron.session.defaultSession, {
    setPermissionCheckHandler: (h: CheckHandler) => {
      fake.check = h;
    },
  });
  return electron;
});

async function startMain() {
  await import('electron');
  const { record } = fake.current!;
  record.userData = testTempDir('userdata');
  record.appPath = testTempDir('app');
  await import('../../../electron/app/main');
  record.resolveReady();
  await fake.current!.electron.app.whenReady();
  return record;
}

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} in ${ms} ms`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

describe('Electron main: permissions and quit', () => {
  it('denies every permission check but clipboard writes, then on quit closes the engine before exiting', async () => {
    const record = await startMain();
    expect(fake.check).toBeDefined();
    expect(fake.check!({}, 'clipboard-sanitized-write')).toBe(true);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb'])
      expect(fake.check!({}, p)).toBe(false);

    const reply = (await record.ipcHandlers.get('ocpp-scope:call:startEndpoint')!(record.trustedEvent(), {
      ...defaultEndpointSettings(),
      host: '127.0.0.1',
      port: 0,
    })) as { ok: boolean; result: EndpointStatus };
    expect(reply.ok).toBe(true);
    const charger = new WebSocket(`ws://127.0.0.1:${reply.result.port}/CP-QUIT`, ['ocpp1.6']);
    await within(
      5000,
      'open',
      new Promise((resolve, reject) => charger.once('open', resolve).once('error', reject)),
    );
    const closed = new Promise<number>((resolve) => charger.once('close', (code) => resolve(code)));
    let closeCodeAtExit: number | undefined;
    let chargerCode: number | undefined;
    void closed.then((code) => (chargerCode = code));
    const exited = new Promise<void>((resolve) => {
      fake.onExit = () => {
        closeCodeAtExit = chargerCode;
        resolve();
      };
    });

    const preventDefault = vi.fn();
    fake.current!.electron.app.emit('before-quit', { preventDefault });
    expect(preventDefault).toHaveBeenCalledTimes(1);
    expect(fake.exits).toEqual([]);
    await within(5000, 'exit', exited);
    expect(fake.exits).toEqual([0]);
    expect(await within(5000, 'close', closed)).toBe(1001);
    // The engine finished closing (the charger's close handshake is part of it) before the app exited.
    expect(closeCodeAtExit).toBe(1001);

    // The app.exit() path fires before-quit again in some Electron versions: it must not loop.
    fake.current!.electron.app.emit('before-quit', { preventDefault });
    expect(preventDefault).toHaveBeenCalledTimes(1);
  });
});

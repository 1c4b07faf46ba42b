import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../../shared/api';
import type { createFakeElectron } from './fake-electron';
import { startMain as launchMain } from './start-main';

const fake = vi.hoisted(() => ({ current: undefined as undefined | ReturnType<typeof createFakeElectron> }));
vi.mock('electron', async () => {
  const { createFakeElectron } = await import('./fake-electron');
  fake.current = createFakeElectron();
  return fake.current.electron;
});

const startMain = (lock = true) => launchMain(() => fake.current, lock);

type Record = Awaited<ReturnType<typeof startMain>>;
const callFrom = (record: Record, event: unknown, channel: string, ...args: unknown[]) =>
  record.ipcHandlers.get(channel)!(event, ...args);

describe('Electron main process wiring', () => {
  let record: Record;
  beforeAll(async () => {
    record = await startMain();
  });

  it('takes the single-instance lock and registers the privileged app scheme', () => {
    expect(record.singleInstanceLock).toBe(1);
    expect(record.privilegedSchemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
    expect(record.protocolHandlers.has('app')).toBe(true);
  });

  it('opens one window with the secure options, the preload, and the app URL', () => {
    expect(record.windows).toHaveLength(1);
    const win = record.windows[0]!;
    expect(win.url).toBe('app://renderer/index.html');
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      preload: join(record.appPath, 'dist', 'app', 'preload.cjs'),
    });
  });

  it('adds the CSP to every response and serves the not-built page through the app protocol', async () => {
    let headers: unknown;
    record.headerHooks[0]!({ responseHeaders: { 'X-Test': ['1'] } }, (r) => (headers = r));
    expect(headers).toEqual({
      responseHeaders: {
        'X-Test': ['1'],
        'Content-Security-Policy': [expect.stringContaining("script-src 'self'")],
      },
    });
    const res = await record.protocolHandlers.get('app')!(new Request('app://renderer/index.html'));
    expect(res.status).toBe(503);
    expect(res.headers.get('content-security-policy')).toContain("worker-src 'self' blob:");
  });

  it('denies navigation and new windows; only http(s) links go to the OS browser', () => {
    const wc = record.windows[0]!.webContents;
    const navigate = (url: string) => {
      const event = {
        prevented: false,
        preventDefault() {
          this.prevented = true;
        },
      };
      wc.emit('will-navigate', event, url);
      return event.prevented;
    };
    const click = () => wc.emit('input-event', {}, { type: 'mouseDown' });
    // Without a user action nothing leaves the app, whatever the scheme.
    expect(navigate('https://example.com/uninvited')).toBe(true);
    expect(wc.windowOpenHandler!({ url: 'https://example.com/popup' })).toEqual({ action: 'deny' });
    click();
    expect(navigate('https://example.com/docs')).toBe(true);
    // One click opens one link: a script cannot ride on it to open more.
    expect(navigate('https://example.com/second')).toBe(true);
    click();
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('app://renderer/index.html')).toBe(false);
    click();
    expect(wc.windowOpenHandler!({ url: 'http://example.com/' })).toEqual({ action: 'deny' });
    click();
    expect(wc.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(record.externalOpened).toEqual(['https://example.com/docs', 'http://example.com/']);
    const webview = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    wc.emit('will-attach-webview', webview);
    expect(webview.prevented).toBe(true);
  });

  it('grants no permission but clipboard writes', () => {
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-sanitized-write']) {
      record.permissionHandler!({}, p, (ok) => answers.push(ok));
    }
    expect(answers).toEqual([false, false, false, true]);
  });

  it('registers one IPC handler per contract method and nothing else', () => {
    expect([...record.ipcHandlers.keys()].sort()).toEqual(
      API_METHODS.map((m) => `ocpp-scope:call:${m}`).sort(),
    );
  });

  it('answers our window, and refuses foreign senders, subframes and pages that are not ours', async () => {
    const wc = record.windows[0]!.webContents;
    const ok = await callFrom(record, record.trustedEvent(), 'ocpp-scope:call:getSettings');
    expect(ok).toMatchObject({ ok: true, result: { theme: 'system' } });
    const forbidden = { ok: false, error: { code: 'forbidden', message: expect.any(String) } };
    const other = { mainFrame: { url: 'app://renderer/index.html' } };
    expect(
      await callFrom(record, { sender: other, senderFrame: other.mainFrame }, 'ocpp-scope:call:getSettings'),
    ).toEqual(forbidden);
    expect(
      await callFrom(
        record,
        { sender: wc, senderFrame: { url: 'app://renderer/index.html' } },
        'ocpp-scope:call:getSettings',
      ),
    ).toEqual(forbidden);
    wc.mainFrame.url = 'https://evil.example/';
    try {
      expect(
        await callFrom(record, { sender: wc, senderFrame: wc.mainFrame }, 'ocpp-scope:call:getSettings'),
      ).toEqual(forbidden);
    } finally {
      wc.mainFrame.url = 'app://renderer/index.html';
    }
  });

  it('validates arguments before the engine sees them', async () => {
    const reply = await callFrom(record, record.trustedEvent(), 'ocpp-scope:call:setRecording', 'yes');
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'bad-arguments', message: expect.stringContaining('true or false') },
    });
    const saved = await callFrom(record, record.trustedEvent(), 'ocpp-scope:call:saveSettings', {
      theme: 'dark',
    });
    expect(saved).toMatchObject({ ok: false, error: { code: 'bad-arguments' } });
  });

  it('sends the File menu’s Save, Save As and exports to the window, which runs them as its buttons do', () => {
    type Item = { label?: string; accelerator?: string; click?: () => void; submenu?: Item[] };
    const template = (record.menu as { template: Item[] }).template;
    const file = template.find((m) => m.label === 'File')!.submenu!;
    const exports = file.find((i) => i.label === 'Export')!.submenu!;
    const sent = record.windows[0]!.webContents.sent;
    const before = sent.length;
    for (const item of [...file.filter((i) => /^Save/.test(i.label ?? '')), ...exports]) item.click!();
    expect(sent.slice(before)).toEqual([
      ['ocpp-scope:menu', 'save'],
      ['ocpp-scope:menu', 'save-as'],
      ['ocpp-scope:menu', 'export-capture-redacted'],
      ['ocpp-scope:menu', 'export-har'],
      ['ocpp-scope:menu', 'export-har-redacted'],
    ]);
  });

  it('sets an application menu with the usual roles', () => {
    const template = (
      record.menu as { template: { role?: string; label?: string; submenu?: { role?: string }[] }[] }
    ).template;
    const roles = template.flatMap((item) => [item.role, ...(item.submenu ?? []).map((s) => s.role)]);
    for (const role of ['copy', 'paste', 'selectAll', 'undo', 'zoomIn', 'togglefullscreen', 'windowMenu']) {
      expect(roles).toContain(role);
    }
  });
});

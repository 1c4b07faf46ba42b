import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { DEFAULT_ENDPOINT_SETTINGS } from '../../electron/engine';
import { startEndpointFromUi, startProxyFromUi, useServedBrowser } from './harness';

async function open(url: string, protocols = ['ocpp1.6']): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return ws;
}

async function heartbeat(ws: WebSocket, id: string): Promise<void> {
  const answered = new Promise((resolve) => ws.once('message', resolve));
  ws.send(JSON.stringify([2, id, 'Heartbeat', {}]));
  await answered;
}

const rowOf = (page: Page, conn: string) =>
  page.locator(`[data-testid=log-row][data-kind=frame][data-action=Heartbeat][data-type="2"]`).filter({
    has: page.locator(`[data-testid=cell-connection]:text-is("${conn}")`),
  });

/**
 * Routes the page's bridge socket so that 'connections' notices are held back until `release()`: the order in which
 * a loaded machine may deliver them (the row first, the connection list that names it later), made certain.
 */
async function holdConnectionLists(page: Page): Promise<{ release(): void }> {
  const held: string[] = [];
  let holding = true;
  let toPage: ((text: string) => void) | undefined;
  await page.routeWebSocket(/\/bridge$/, (ws) => {
    const server = ws.connectToServer();
    toPage = (text) => ws.send(text);
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      const text = typeof m === 'string' ? m : m.toString('utf8');
      const message = JSON.parse(text) as { type: string; notices?: { type: string }[] };
      if (!holding || message.type !== 'notices' || !message.notices) return ws.send(text);
      const lists = message.notices.filter((n) => n.type === 'connections');
      const rest = message.notices.filter((n) => n.type !== 'connections');
      for (const n of lists) held.push(JSON.stringify({ type: 'notices', notices: [n] }));
      if (rest.length > 0) ws.send(JSON.stringify({ ...message, notices: rest }));
    });
  });
  // The bridge socket of the page as it loaded is not routed: load it again through the route.
  await page.reload();
  await page.getByTestId('app').and(page.locator('[data-ready="true"]')).waitFor({ timeout: 20_000 });
  return {
    release() {
      holding = false;
      for (const text of held.splice(0)) toPage?.(text);
    },
  };
}

describe('handshake and proxy rows (serve mode, Chromium)', { timeout: 120_000 }, () => {
  const ctx = useServedBrowser();

  it('the Handshake tab follows the selected row, from one charger to the other', async () => {
    const { page } = ctx.browser;
    const port = await startEndpointFromUi(page);
    const a = await open(`ws://127.0.0.1:${port}/ocpp/CP-FOLLOW-A`);
    const b = await open(`ws://127.0.0.1:${port}/ocpp/CP-FOLLOW-B`);
    try {
      await heartbeat(a, 'a1');
      await heartbeat(b, 'b1');
      await page.getByTestId('detail-tab-handshake').click();
      for (const identity of ['CP-FOLLOW-A', 'CP-FOLLOW-B', 'CP-FOLLOW-A']) {
        const row = rowOf(page, identity);
        await row.waitFor({ timeout: 15_000 });
        await row.dispatchEvent('mousedown');
        await expect
          .poll(() => page.getByTestId('hs-identity').textContent(), { timeout: 15_000 })
          .toBe(identity);
        // The tab stays open: selecting a row does not send the person back to Detail.
        expect(await page.getByTestId('handshake-pane').count()).toBe(1);
      }
      expect(ctx.browser.errors).toEqual([]);
    } finally {
      a.terminate();
      b.terminate();
    }
  });

  it('marks the two proxy legs on the card and the rows, and records PONG rows on both legs', async () => {
    const { page } = ctx.browser;
    const upstream = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'ocpp1.6' });
    await new Promise<void>((resolve) => upstream.once('listening', () => resolve()));
    const upstreamSocket = new Promise<WebSocket>((resolve) => upstream.once('connection', resolve));
    upstream.on('connection', (s) =>
      s.on('message', (m) => {
        const [, id] = JSON.parse(String(m)) as [number, string];
        s.send(JSON.stringify([3, id, { currentTime: new Date().toISOString() }]));
      }),
    );
    const upstreamPort = (upstream.address() as AddressInfo).port;
    const port = await startProxyFromUi(page, `ws://127.0.0.1:${upstreamPort}/csms`);
    const charger = await open(`ws://127.0.0.1:${port}/ocpp/CP-LEGS`);
    try {
      await heartbeat(charger, 'h1');
      const gotPong = new Promise((resolve) => charger.once('pong', resolve));
      charger.ping('from-charger');
      await gotPong;
      const csms = await upstreamSocket;
      const csmsGotPong = new Promise((resolve) => csms.once('pong', resolve));
      csms.ping('from-csms');
      await csmsGotPong;

      const card = page.locator('[data-testid=connection][data-identity="CP-LEGS"]');
      await card.waitFor({ timeout: 15_000 });
      await expect
        .poll(
          () =>
            card
              .getByTestId('proxy-leg')
              .evaluateAll((els) =>
                els.map((e) => `${(e as HTMLElement).dataset.leg}:${(e as HTMLElement).dataset.state}`),
              ),
          { timeout: 15_000 },
        )
        .toEqual(['charger:open', 'csms:open']);
      expect(await card.getByTestId('proxy-leg').allTextContents()).toEqual([
        expect.stringContaining('charger leg'),
        expect.stringContaining('CSMS leg'),
      ]);

      const legRows = page.locator('[data-testid=log-row][data-kind=opened]');
      await expect.poll(() => legRows.count(), { timeout: 15_000 }).toBe(2);
      const legTexts = await legRows.getByTestId('cell-action').allTextContents();
      expect(legTexts.sort()).toEqual(['CSMS leg: connected ocpp1.6', 'charger leg: connected ocpp1.6']);

      const pongs = page.locator('[data-testid=log-row][data-kind=pong]');
      await expect.poll(() => pongs.count(), { timeout: 15_000 }).toBe(2);
      expect((await pongs.getByTestId('cell-action').allTextContents()).sort()).toEqual([
        "pong to the CSMS's ping",
        "pong to the station's ping",
      ]);
      expect(ctx.browser.errors).toEqual([]);
    } finally {
      charger.terminate();
      for (const c of upstream.clients) c.terminate();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });

  it('a TLS attempt the charger gives up on is one row and one card, named by the host it dialled', async () => {
    const { page } = ctx.browser;
    const lists = await holdConnectionLists(page);
    const status = await ctx.served.engine.startEndpoint({
      ...DEFAULT_ENDPOINT_SETTINGS,
      host: '127.0.0.1',
      port: 0,
      securityProfile: 2,
      tls: { generateCertificate: true },
    });
    expect(status.running).toBe(true);
    // Node's default trust store does not know the endpoint's CA: the client refuses the certificate.
    await new Promise<void>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: status.port!, servername: 'charger-gw.example' });
      socket.on('error', () => resolve());
      socket.on('secureConnect', () => {
        socket.destroy();
        resolve();
      });
    });
    const name = '(no identity) charger-gw.example';
    const row = page.locator('[data-testid=log-row][data-kind=opened]');
    await row.first().waitFor({ timeout: 15_000 });
    expect(await row.count()).toBe(1);
    // The row shows before the connection list that names it has reached the page (held back here, as a loaded
    // machine may deliver it): the row is drawn again with the name once the list comes.
    expect(await row.getByTestId('cell-connection').textContent()).toMatch(/^c\d+$/);
    lists.release();
    await expect.poll(() => row.getByTestId('cell-connection').textContent(), { timeout: 15_000 }).toBe(name);
    expect(await row.getByTestId('cell-action').textContent()).toMatch(/^failed at TLS/);
    const cards = page.getByTestId('connection');
    expect(await cards.count()).toBe(1);
    await expect
      .poll(() => cards.getByTestId('connection-name').textContent(), { timeout: 15_000 })
      .toBe(name);

    await row.dispatchEvent('mousedown');
    await page.getByTestId('detail-tab-handshake').click();
    expect(await page.getByTestId('hs-sni').textContent()).toBe('charger-gw.example');
    expect(ctx.browser.errors).toEqual([]);
  });
});

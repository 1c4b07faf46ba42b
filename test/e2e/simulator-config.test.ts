import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../shared/ocpp/json';
import { CsmsPeer } from '../electron/engine/simulation/csms-peer';
import { useServedBrowser } from './harness';
import { opensslCrl } from '../support/openssl-crl';

describe('simulator configuration fields (serve mode, Chromium)', { timeout: 120_000 }, () => {
  const ctx = useServedBrowser();
  let csms: CsmsPeer | undefined;
  afterEach(async () => {
    await csms?.close().catch(() => undefined);
  });

  it('a bad key is refused under its field with the CLI sentence; a good one is what the charger answers', async () => {
    const { page, errors } = ctx.browser;
    csms = new CsmsPeer('2.0.1', 60);
    const base = await csms.listen();

    await page.getByTestId('station-connect-open').click();
    await page.getByTestId('station-url').fill(`${base}/ocpp/CP-CONFIG`);
    await page.getByTestId('station-version-1.6').uncheck();
    await page.getByTestId('station-version-2.0.1').check();
    expect(await page.getByTestId('station-simulate').isChecked()).toBe(true);
    const config = page.getByTestId('station-sim-config');
    const configProblem = page.getByTestId('station-sim-config-problem');
    const connect = page.getByTestId('station-connect');

    // Written badly: told at once, under the field.
    await config.fill('SampledDataCtrlr.TxUpdatedInterval');
    await expect.poll(() => configProblem.textContent(), { timeout: 10_000 }).toContain('needs KEY=VALUE');
    expect(await connect.isDisabled()).toBe(true);
    // A key the 2.0.1 device model does not have (a typo): the engine's sentence, the CLI's after `--set `.
    await config.fill('SampledDataCtrl.TxUpdatedInterval=17');
    await expect
      .poll(() => configProblem.textContent(), { timeout: 10_000 })
      .toBe(
        'SampledDataCtrl.TxUpdatedInterval: no such variable in the OCPP 2.0.1 device model (write Component.Variable or Component.Variable[Instance], e.g. OCPPCommCtrlr.HeartbeatInterval).',
      );
    expect(await connect.isDisabled()).toBe(true);
    // The same key is fine for a station that may speak 1.6 (any 1.6 key is allowed).
    await page.getByTestId('station-version-1.6').check();
    await expect.poll(() => configProblem.count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('station-version-1.6').uncheck();
    await expect.poll(() => configProblem.count(), { timeout: 10_000 }).toBe(1);

    const revoked = page.getByTestId('station-sim-revoked');
    await revoked.fill('not-hex');
    await expect
      .poll(() => page.getByTestId('station-sim-revoked-problem').textContent(), { timeout: 10_000 })
      .toContain('needs a hex serial number, got "not-hex"');
    await revoked.fill('1A:2B:3C');
    await expect.poll(() => page.getByTestId('station-sim-revoked-problem').count()).toBe(0);
    // A CRL file that is not there: told under its field by the engine, and the station cannot start.
    await page.getByTestId('station-sim-crl').fill('/no/such/file.crl');
    await expect
      .poll(() => page.getByTestId('station-sim-crl-problem').textContent(), { timeout: 10_000 })
      .toBe('cannot read /no/such/file.crl (ENOENT)');
    expect(await connect.isDisabled()).toBe(true);
    // A CRL that is read but out of date, with no CA to check its signature: a note under the field, not a problem
    // (the list is the user's own statement and is used).
    const crl = await opensslCrl(['01'], { lastUpdate: '20200101000000Z', nextUpdate: '20200201000000Z' });
    try {
      await page.getByTestId('station-sim-crl').fill(crl.pemPath);
      await expect
        .poll(() => page.getByTestId('station-sim-crl-note').textContent(), { timeout: 10_000 })
        .toContain('is out of date: its nextUpdate 2020-02-01T00:00:00Z has passed; the CRL');
      expect(await page.getByTestId('station-sim-crl-note').textContent()).toContain('signature not checked');
      expect(await page.getByTestId('station-sim-crl-problem').count()).toBe(0);
    } finally {
      await crl.cleanup();
    }
    await page.getByTestId('station-sim-crl').fill('');
    await expect.poll(() => page.getByTestId('station-sim-crl-problem').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('station-sim-crl-note').count(), { timeout: 10_000 }).toBe(0);

    await config.fill('# sampling\nSampledDataCtrlr.TxUpdatedInterval=17\n');
    await expect.poll(() => configProblem.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => connect.isDisabled(), { timeout: 10_000 }).toBe(false);
    await connect.click();
    await csms.until('BootNotification', 1);

    // The CSMS asks the charger: it answers with the value set in the dialog.
    const answer = await csms.call('GetVariables', {
      getVariableData: [{ component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' } }],
    });
    expect((answer['getVariableResult'] as JsonObject[])[0]).toMatchObject({
      attributeStatus: 'Accepted',
      attributeValue: '17',
    });
    expect(csms.failures).toEqual([]);

    // The fleet dialog has the same fields and the same sentences.
    await page.getByTestId('tab-stations').click();
    await page.getByTestId('stations-fleet').click();
    await page.getByTestId('fleet-version').selectOption('2.1');
    await page.getByTestId('fleet-config').fill('Nope.Nothing=1');
    await expect
      .poll(() => page.getByTestId('fleet-config-problem').textContent(), { timeout: 10_000 })
      .toContain('Nope.Nothing: no such variable in the OCPP 2.1 device model');
    expect(await page.getByTestId('fleet-start').isDisabled()).toBe(true);
    await page.getByTestId('fleet-config').fill('OCPPCommCtrlr.HeartbeatInterval=30');
    await expect.poll(() => page.getByTestId('fleet-config-problem').count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByTestId('fleet-start').isDisabled()).toBe(false);
    expect(errors).toEqual([]);
  });

  it('a CRL path typed key by key is checked once it stops changing, not at every key', async () => {
    const { page, errors } = ctx.browser;
    // The checks the page asks of the engine over its bridge (the socket is seen from a reload on).
    const checks: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framesent', (f) => {
        if (typeof f.payload === 'string' && f.payload.includes('checkSimulatorSettings'))
          checks.push(f.payload);
      }),
    );
    await page.reload();
    await page.getByTestId('app').and(page.locator('[data-ready="true"]')).waitFor({ timeout: 20_000 });
    await page.getByTestId('station-connect-open').click();
    expect(await page.getByTestId('station-simulate').isChecked()).toBe(true);
    const path = '/no/such/folder/revocation-list.crl';
    await page.getByTestId('station-sim-crl').pressSequentially(path, { delay: 10 });
    await expect
      .poll(() => page.getByTestId('station-sim-crl-problem').textContent(), { timeout: 10_000 })
      .toBe(`cannot read ${path} (ENOENT)`);
    expect(await page.getByTestId('station-connect').isDisabled()).toBe(true);
    const withCrl = checks.filter((c) => c.includes('crlFile'));
    // Typed at 10 ms a key: a pause of the machine may let a prefix settle, never most of the 35 keys.
    expect(withCrl.filter((c) => c.includes(JSON.stringify(path)))).toHaveLength(1);
    expect(withCrl.length).toBeLessThanOrEqual(5);
    expect(errors).toEqual([]);
  });

  it('the form waits for the engine to check the path now in the field, not the one before it', async () => {
    const { page, errors } = ctx.browser;
    csms = new CsmsPeer('1.6', 60);
    const base = await csms.listen();
    const crl = await opensslCrl(['01']);
    // The page's bridge to the engine, with the engine's answer to the check of this CRL held back until released.
    const held: string[] = [];
    let release: ((text: string) => void) | undefined;
    const heldIds = new Set<number>();
    await page.routeWebSocket(
      () => true,
      (ws) => {
        const server = ws.connectToServer();
        release = (text) => ws.send(text);
        ws.onMessage((m) => {
          if (typeof m === 'string') {
            const call = JSON.parse(m) as { id?: number; method?: string; args?: { crlFile?: string }[] };
            if (call.method === 'checkSimulatorSettings' && call.args?.[0]?.crlFile === crl.pemPath)
              heldIds.add(call.id!);
          }
          server.send(m);
        });
        server.onMessage((m) => {
          if (typeof m === 'string' && heldIds.has((JSON.parse(m) as { id?: number }).id ?? -1)) held.push(m);
          else ws.send(m);
        });
      },
    );
    try {
      await page.reload();
      await page.getByTestId('app').and(page.locator('[data-ready="true"]')).waitFor({ timeout: 20_000 });
      await page.getByTestId('station-connect-open').click();
      await page.getByTestId('station-url').fill(`${base}/ocpp/CP-VERDICT`);
      const connect = page.getByTestId('station-connect');
      await expect.poll(() => connect.isDisabled(), { timeout: 10_000 }).toBe(false);
      await page.getByTestId('station-sim-crl').fill(crl.pemPath);
      // The path has settled and its check is on its way; the verdict for the empty field before it is no answer.
      await expect.poll(() => held.length, { timeout: 10_000 }).toBe(1);
      expect(await connect.isDisabled()).toBe(true);
      for (const text of held.splice(0)) release!(text);
      await expect.poll(() => connect.isDisabled(), { timeout: 10_000 }).toBe(false);
      expect(await page.getByTestId('station-sim-crl-problem').count()).toBe(0);
    } finally {
      await crl.cleanup();
    }
    expect(errors).toEqual([]);
  });

  it('more revoked serials than the engine takes are told under the field, and the form is not valid', async () => {
    const { page, errors } = ctx.browser;
    await page.reload();
    await page.getByTestId('app').and(page.locator('[data-ready="true"]')).waitFor({ timeout: 20_000 });
    await page.getByTestId('station-connect-open').click();
    await page.getByTestId('station-url').fill('ws://127.0.0.1:9/ocpp/CP-MANY');
    const connect = page.getByTestId('station-connect');
    const serials = (n: number): string =>
      Array.from({ length: n }, (_, i) => (i + 1).toString(16)).join('\n');
    await page.getByTestId('station-sim-revoked').fill(serials(101));
    await expect
      .poll(() => page.getByTestId('station-sim-revoked-problem').textContent(), { timeout: 10_000 })
      .toContain('revokedCertificates');
    expect(await connect.isDisabled()).toBe(true);
    await page.getByTestId('station-sim-revoked').fill(serials(100));
    await expect
      .poll(() => page.getByTestId('station-sim-revoked-problem').count(), { timeout: 10_000 })
      .toBe(0);
    await expect.poll(() => connect.isDisabled(), { timeout: 10_000 }).toBe(false);
    expect(errors).toEqual([]);
  });
});

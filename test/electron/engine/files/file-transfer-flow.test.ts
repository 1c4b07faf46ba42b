import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultEndpointSettings } from '../../../../shared/api-defaults';
import type { ScopeEvent, TransferEvent } from '../../../../shared/capture/events';
import { ScopeEngine } from '../../../../electron/engine/scope-engine';
import { defaultFilesSettings } from '../../../../electron/engine/files/file-server';
import { Wake } from '../../../support/wake';
import { TransferCharger } from './transfer-charger';
import { bytes } from './transfer-harness';

/** The whole flow on loopback: our endpoint asks a charger for a file transfer with the file server's URL. */
class Flow {
  engine!: ScopeEngine;
  dataDir = '';
  work = '';
  events: ScopeEvent[] = [];
  wake = new Wake();
  charger?: TransferCharger;
  conn = '';

  /** With `simulated`, the charger is the engine's own simulated station instead of the ocpp-rpc one. */
  async start(identity: string, version: '1.6' | '2.0.1', simulated = false): Promise<this> {
    this.dataDir = await mkdtemp(join(tmpdir(), 'scope-flow-'));
    this.work = await mkdtemp(join(tmpdir(), 'scope-charger-'));
    this.engine = new ScopeEngine({ dataDir: this.dataDir, noticeIntervalMs: 5 });
    this.engine.stream.subscribe((e) => {
      this.events.push(e);
      this.wake.notify();
    });
    const ep = await this.engine.startEndpoint({
      ...defaultEndpointSettings(),
      host: '127.0.0.1',
      port: 0,
      pingIntervalSec: 0,
    });
    await this.engine.startFiles({ ...defaultFilesSettings(''), host: '127.0.0.1' });
    if (simulated) {
      await this.engine.connectStation({
        url: `ws://127.0.0.1:${ep.port}/ocpp/${identity}`,
        protocols: [version],
        callTimeoutSec: 10,
        simulator: { vendor: 'ACME', model: 'Sim-F', connectors: 1, rebootDelaySec: 0 },
      });
    } else {
      this.charger = new TransferCharger(`ws://127.0.0.1:${ep.port}/ocpp`, identity, version, this.work);
      await this.charger.connect();
    }
    this.conn = await this.wake.until('the charger on the endpoint', async () => {
      const list = await this.engine.listConnections();
      return list.find((c) => c.identity === identity && c.role === 'endpoint' && c.state === 'open')?.id;
    });
    return this;
  }

  async stop(): Promise<void> {
    await this.charger?.close();
    await this.engine?.close();
    await rm(this.dataDir, { recursive: true, force: true });
    await rm(this.work, { recursive: true, force: true });
  }

  transfers(): TransferEvent[] {
    return this.events.filter((e): e is TransferEvent => e.kind === 'transfer');
  }

  /** Waits until the transfer has `n` linked notifications and has ended. */
  async transferWithLinks(n: number): Promise<TransferEvent[]> {
    return this.wake.until(
      `a transfer with ${n} linked notifications`,
      () => {
        const ended = this.transfers().find((e) => e.phase === 'completed' || e.phase === 'failed');
        if (!ended) return undefined;
        const all = this.transfers().filter((e) => e.transfer === ended.transfer);
        return all.filter((e) => e.phase === 'linked').length >= n ? all : undefined;
      },
      15_000,
    );
  }

  /** A simulated station installs firmware only from a signer its ManufacturerRootCertificate vouches for. */
  async trustFirmwareSigner(): Promise<void> {
    const ca = (await this.engine.getFilesStatus()).caCertificatePem;
    if (!ca) throw new Error('the file server has no CA');
    await this.send('InstallCertificate', {
      certificateType: 'ManufacturerRootCertificate',
      certificate: ca,
    });
  }

  async send(action: string, payload: unknown): Promise<number> {
    const r = await this.engine.send(this.conn, JSON.stringify([2, `m-${action}`, action, payload]));
    return r.seq;
  }
}

describe('file transfers end to end: endpoint request, charger transfer, status notifications linked', () => {
  let flow: Flow;
  afterEach(async () => flow?.stop());

  it('GetDiagnostics (1.6) with the HTTP URL: the file arrives and both status notifications are linked', async () => {
    flow = await new Flow().start('CP-DIAG', '1.6');
    const ticket = await flow.engine.prepareTransfer({ identity: 'CP-DIAG', action: 'GetDiagnostics' });
    const location = ticket.urls.find((u) => u.protocol === 'http')!.url;
    const seq = await flow.send('GetDiagnostics', { location });
    const phases = await flow.transferWithLinks(2);
    await flow.charger?.done;
    const done = phases.find((e) => e.phase === 'completed')!;
    expect(done).toMatchObject({
      conn: flow.conn,
      identity: 'CP-DIAG',
      protocol: 'http',
      direction: 'upload',
      name: 'diagnostics-CP-DIAG.txt',
      request: { seq, action: 'GetDiagnostics', messageId: 'm-GetDiagnostics' },
    });
    const linked = phases
      .filter((e) => e.phase === 'linked')
      .map((e) => [e.notification?.action, e.notification?.status]);
    expect(linked).toEqual([
      ['DiagnosticsStatusNotification', 'Uploading'],
      ['DiagnosticsStatusNotification', 'Uploaded'],
    ]);
    const stored = await readFile(join(flow.dataDir, 'transfers', 'CP-DIAG', 'diagnostics-CP-DIAG.txt'));
    expect(stored).toEqual(flow.charger?.uploaded.get('diagnostics-CP-DIAG.txt'));
    const status = await flow.engine.getFilesStatus();
    expect(status.transfers.map((t) => t.transfer)).toContain(done.transfer);
  });

  it('GetLog (2.0.1) with the FTP URL: the file arrives and LogStatusNotification is linked', async () => {
    flow = await new Flow().start('CP-LOG', '2.0.1');
    const ticket = await flow.engine.prepareTransfer({ identity: 'CP-LOG', action: 'GetLog' });
    const remoteLocation = ticket.urls.find((u) => u.protocol === 'ftp')!.url;
    expect(remoteLocation).toMatch(/^ftp:\/\/ocpp:[\w-]+@127\.0\.0\.1:\d+\/$/);
    const seq = await flow.send('GetLog', {
      log: { remoteLocation },
      logType: 'DiagnosticsLog',
      requestId: 7,
    });
    const phases = await flow.transferWithLinks(2);
    await flow.charger?.done;
    expect(phases.find((e) => e.phase === 'completed')).toMatchObject({
      protocol: 'ftp',
      identity: 'CP-LOG',
      request: { seq, action: 'GetLog' },
    });
    expect(phases.filter((e) => e.phase === 'linked').map((e) => e.notification?.status)).toEqual([
      'Uploading',
      'Uploaded',
    ]);
    const stored = await readFile(join(flow.dataDir, 'transfers', 'CP-LOG', 'log-CP-LOG.tgz'));
    expect(stored).toEqual(flow.charger?.uploaded.get('log-CP-LOG.tgz'));
  });

  it('UpdateFirmware (2.0.1): the charger checks hash and signature; a tampered file is reported by both sides', async () => {
    flow = await new Flow().start('CP-FW', '2.0.1');
    const fw = bytes(150_000, 13);
    await writeFile(join(flow.dataDir, 'transfers', 'fw-2.0.bin'), fw);
    const update = async (requestId: number): Promise<number> => {
      const t = await flow.engine.prepareTransfer({
        identity: 'CP-FW',
        action: 'UpdateFirmware',
        firmware: 'fw-2.0.bin',
      });
      return flow.send('UpdateFirmware', {
        requestId,
        firmware: {
          location: t.urls.find((u) => u.protocol === 'http')!.url,
          retrieveDateTime: new Date().toISOString(),
          signingCertificate: t.firmware!.signingCertificate,
          signature: t.firmware!.signature,
        },
      });
    };
    await update(1);
    const first = await flow.transferWithLinks(3);
    await flow.charger?.done;
    expect(first.find((e) => e.phase === 'completed')?.findings).toBeUndefined();
    expect(flow.charger?.lastDownloadSha256).toBe(first.find((e) => e.phase === 'completed')?.sha256);

    // Somebody changes the file after the request was prepared: signature and hash no longer match the bytes.
    const t = await flow.engine.prepareTransfer({
      identity: 'CP-FW',
      action: 'UpdateFirmware',
      firmware: 'fw-2.0.bin',
    });
    const tampered = Buffer.from(fw);
    tampered[1000] = (tampered[1000] ?? 0) ^ 0xff;
    await writeFile(join(flow.dataDir, 'transfers', 'fw-2.0.bin'), tampered);
    flow.events.length = 0;
    const seq = await flow.send('UpdateFirmware', {
      requestId: 2,
      firmware: {
        location: t.urls.find((u) => u.protocol === 'http')!.url,
        retrieveDateTime: new Date().toISOString(),
        signingCertificate: t.firmware!.signingCertificate,
        signature: t.firmware!.signature,
      },
    });
    const second = await flow.wake.until(
      'the tampered download with InvalidSignature linked',
      () => {
        const all = flow.transfers();
        return all.some((e) => e.notification?.status === 'InvalidSignature') ? all : undefined;
      },
      15_000,
    );
    await flow.charger?.done;
    const done = second.find((e) => e.phase === 'completed')!;
    expect(done.request).toMatchObject({ seq, action: 'UpdateFirmware' });
    expect(done.findings?.map((f) => f.code)).toEqual(['transfer-firmware-changed']);
    expect(second.filter((e) => e.phase === 'linked').map((e) => e.notification?.status)).toEqual([
      'Downloading',
      'Downloaded',
      'InvalidSignature',
    ]);
  });
});

describe('file transfers end to end with the simulated charger (electron/engine/simulation)', () => {
  let flow: Flow;
  afterEach(async () => flow?.stop());

  it('GetDiagnostics (1.6) over FTP: the simulator uploads its diagnostics, statuses linked', async () => {
    flow = await new Flow().start('SIM-DIAG', '1.6', true);
    const ticket = await flow.engine.prepareTransfer({ identity: 'SIM-DIAG', action: 'GetDiagnostics' });
    const seq = await flow.send('GetDiagnostics', {
      location: ticket.urls.find((u) => u.protocol === 'ftp')!.url,
    });
    const phases = await flow.transferWithLinks(2);
    const done = phases.find((e) => e.phase === 'completed')!;
    expect(done).toMatchObject({
      protocol: 'ftp',
      identity: 'SIM-DIAG',
      request: { seq, action: 'GetDiagnostics' },
    });
    expect(phases.filter((e) => e.phase === 'linked').map((e) => e.notification?.status)).toEqual([
      'Uploading',
      'Uploaded',
    ]);
    const stored = await readFile(join(flow.dataDir, 'transfers', 'SIM-DIAG', done.name), 'utf8');
    expect(stored).toContain('Sim-F');
  });

  it('GetLog (2.0.1) over HTTP and UpdateFirmware (2.0.1) over FTP: upload stored, firmware fetched whole', async () => {
    flow = await new Flow().start('SIM-LOG', '2.0.1', true);
    const log = await flow.engine.prepareTransfer({ identity: 'SIM-LOG', action: 'GetLog' });
    await flow.send('GetLog', {
      log: { remoteLocation: log.urls.find((u) => u.protocol === 'http')!.url },
      logType: 'DiagnosticsLog',
      requestId: 3,
    });
    const up = await flow.transferWithLinks(2);
    expect(up.find((e) => e.phase === 'completed')).toMatchObject({ protocol: 'http', identity: 'SIM-LOG' });

    const fw = bytes(64_000, 29);
    await writeFile(join(flow.dataDir, 'transfers', 'sim-fw.bin'), fw);
    const t = await flow.engine.prepareTransfer({
      identity: 'SIM-LOG',
      action: 'UpdateFirmware',
      firmware: 'sim-fw.bin',
    });
    flow.events.length = 0;
    await flow.trustFirmwareSigner();
    await flow.send('UpdateFirmware', {
      requestId: 4,
      firmware: {
        location: t.urls.find((u) => u.protocol === 'ftp')!.url,
        retrieveDateTime: new Date(Date.now() - 1000).toISOString(),
        signingCertificate: t.firmware!.signingCertificate,
        signature: t.firmware!.signature,
      },
    });
    const down = await flow.transferWithLinks(2);
    expect(down.find((e) => e.phase === 'completed')).toMatchObject({
      protocol: 'ftp',
      direction: 'download',
      bytes: fw.length,
      sha256: t.firmware!.sha256,
    });
    expect(
      down
        .filter((e) => e.phase === 'linked')
        .map((e) => e.notification?.status)
        .slice(0, 2),
    ).toEqual(['Downloading', 'Downloaded']);
  });

  it('UpdateFirmware (2.0.1) with a file changed after it was signed: the simulator reports InvalidSignature', async () => {
    flow = await new Flow().start('SIM-TAMP', '2.0.1', true);
    const fw = bytes(40_000, 31);
    await writeFile(join(flow.dataDir, 'transfers', 'fw-t.bin'), fw);
    const t = await flow.engine.prepareTransfer({
      identity: 'SIM-TAMP',
      action: 'UpdateFirmware',
      firmware: 'fw-t.bin',
    });
    fw[10] = (fw[10] ?? 0) ^ 1;
    await writeFile(join(flow.dataDir, 'transfers', 'fw-t.bin'), fw);
    await flow.trustFirmwareSigner();
    await flow.send('UpdateFirmware', {
      requestId: 9,
      firmware: {
        location: t.urls.find((u) => u.protocol === 'http')!.url,
        retrieveDateTime: new Date(Date.now() - 1000).toISOString(),
        signingCertificate: t.firmware!.signingCertificate,
        signature: t.firmware!.signature,
      },
    });
    // The charger may check the bytes and report before our side has seen the response finish (Node 22 schedules
    // the two in that order): wait for the download's end too.
    const all = await flow.wake.until(
      'InvalidSignature linked to the download, and the download ended',
      () =>
        flow.transfers().some((e) => e.notification?.status === 'InvalidSignature') &&
        flow.transfers().some((e) => e.phase === 'completed' || e.phase === 'failed')
          ? flow.transfers()
          : undefined,
      15_000,
    );
    expect(all.find((e) => e.phase === 'completed')?.findings?.map((f) => f.code)).toEqual([
      'transfer-firmware-changed',
    ]);
    expect(all.filter((e) => e.phase === 'linked').map((e) => e.notification?.status)).toEqual([
      'Downloading',
      'Downloaded',
      'InvalidSignature',
    ]);
  });
});

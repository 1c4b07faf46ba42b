import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import type { OcppVersion } from '../../../../shared/ocpp/versions';
import type { Connection } from '../../../../electron/engine/connections/connection';
import { HttpFileTransferClient } from '../../../../electron/engine/simulation/file-transfer';
import type { Harness } from '../engine-harness';
import { FilesHarness, bytes } from '../files/transfer-harness';
import type { CsmsPeer } from './csms-peer';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

/** The tool's file server (its certificates from a test CA) and a simulated station that trusts that CA, or not. */
async function setUp(
  v: OcppVersion,
  trusted: boolean,
): Promise<{ csms: CsmsPeer; h: Harness; files: FilesHarness; conn: Connection; id: string }> {
  const files = await new FilesHarness().start();
  cleanups.push(() => files.stop());
  const client = new HttpFileTransferClient({ trust: async () => (trusted ? [files.ca.certPem] : []) });
  const id = `F-${v}-${trusted ? 'T' : 'U'}`;
  const { csms, h, conn } = await simulatedAgainstCsms(cleanups, {
    version: v,
    identity: id,
    heartbeatSec: 60,
    station: { simulation: { files: client } },
    simulator: { connectors: 1, rebootDelaySec: 0 },
    statuses: v === '1.6' ? 2 : 1,
  });
  return { csms, h, files, conn, id };
}

function statuses(csms: CsmsPeer, action: string): JsonObject[] {
  return csms.of(action).map((r) => r.params);
}

async function until(csms: CsmsPeer, action: string, last: string): Promise<JsonObject[]> {
  return csms.wake.until(`${action} ${last}`, () => {
    const list = statuses(csms, action);
    return list.some((s) => s['status'] === last) ? list : undefined;
  });
}

describe('simulated station file transfers over TLS trust the local CA', () => {
  it('OCPP 2.1: GetLog over https', async () => {
    const { csms, files, id } = await setUp('2.1', true);
    const up = await files.server.prepare({ identity: id, action: 'GetLog' });
    const https = files.url('https', up.urls);
    expect(https.startsWith('https://')).toBe(true);
    await csms.call('GetLog', { logType: 'DiagnosticsLog', requestId: 5, log: { remoteLocation: https } });
    const log = await until(csms, 'LogStatusNotification', 'Uploaded');
    expect(log.map((s) => s['status'])).toEqual(['Uploading', 'Uploaded']);
    const stored = await readdir(join(files.dir, id));
    expect(stored).toHaveLength(1);
    expect(await readFile(join(files.dir, id, stored[0]!), 'utf8')).toContain('OCPP Scope simulated');
    expect(csms.failures).toEqual([]);
  });

  it.each(['ftps', 'https'])(
    'OCPP 2.1: UpdateFirmware over %s, with a verified signature',
    async (protocol) => {
      const { csms, files, id } = await setUp('2.1', true);
      await writeFile(join(files.dir, 'fw.bin'), bytes(50_000));
      // The station trusts a signer its ManufacturerRootCertificate issued (here the file server's CA).
      await csms.call('InstallCertificate', {
        certificateType: 'ManufacturerRootCertificate',
        certificate: files.ca.certPem,
      });
      {
        const fw = await files.server.prepare({ identity: id, action: 'UpdateFirmware', firmware: 'fw.bin' });
        const before = statuses(csms, 'FirmwareStatusNotification').length;
        await csms.call('UpdateFirmware', {
          requestId: 9,
          firmware: {
            location: files.url(protocol, fw.urls),
            retrieveDateTime: new Date().toISOString(),
            signingCertificate: fw.firmware!.signingCertificate,
            signature: fw.firmware!.signature,
          },
        });
        const after = await csms.wake.until(`${protocol} firmware verified`, () => {
          const list = statuses(csms, 'FirmwareStatusNotification').slice(before);
          return list.some((s) => s['status'] === 'InstallRebooting' || s['status'] === 'DownloadFailed')
            ? list
            : undefined;
        });
        expect([protocol, after.map((s) => s['status']).slice(0, 3)]).toEqual([
          protocol,
          ['Downloading', 'Downloaded', 'SignatureVerified'],
        ]);
        await csms.until('BootNotification', 1, 1);
      }
      expect(csms.failures).toEqual([]);
    },
  );

  it('OCPP 1.6: GetDiagnostics over ftps and https', async () => {
    const { csms, files, id } = await setUp('1.6', true);
    for (const protocol of ['ftps', 'https']) {
      const up = await files.server.prepare({ identity: id, action: 'GetDiagnostics' });
      await csms.call('GetDiagnostics', { location: files.url(protocol, up.urls) });
      await csms.wake.until(`${protocol} upload`, () =>
        statuses(csms, 'DiagnosticsStatusNotification').filter((s) => s['status'] === 'Uploaded').length ===
        (protocol === 'ftps' ? 1 : 2)
          ? true
          : undefined,
      );
    }
    expect(statuses(csms, 'DiagnosticsStatusNotification').map((s) => s['status'])).toEqual([
      'Uploading',
      'Uploaded',
      'Uploading',
      'Uploaded',
    ]);
    expect(await readdir(join(files.dir, id))).toHaveLength(2);
    // The security extension's GetLog goes the same way, with its request id.
    const log = await files.server.prepare({ identity: id, action: 'GetLog' });
    const answer = await csms.call('GetLog', {
      logType: 'SecurityLog',
      requestId: 12,
      log: { remoteLocation: files.url('https', log.urls) },
    });
    expect(answer).toMatchObject({ status: 'Accepted' });
    expect(
      (await until(csms, 'LogStatusNotification', 'Uploaded')).map((s) => [s['status'], s['requestId']]),
    ).toEqual([
      ['Uploading', 12],
      ['Uploaded', 12],
    ]);
    expect(csms.failures).toEqual([]);
  });

  it('a server it does not trust is refused: the failure status says why (2.1 statusInfo) and the log names the certificate', async () => {
    const { csms, h, files, conn, id } = await setUp('2.1', false);
    const up = await files.server.prepare({ identity: id, action: 'GetLog' });
    await csms.call('GetLog', {
      logType: 'DiagnosticsLog',
      requestId: 6,
      log: { remoteLocation: files.url('https', up.urls) },
    });
    const log = await until(csms, 'LogStatusNotification', 'UploadFailure');
    expect(log[1]).toMatchObject({
      status: 'UploadFailure',
      requestId: 6,
      statusInfo: { reasonCode: 'InvalidCertificate' },
    });
    expect(String((log[1]!['statusInfo'] as JsonObject)['additionalInfo'])).toContain(
      'not issued by a trusted CA',
    );
    await writeFile(join(files.dir, 'fw.bin'), bytes(1000));
    const fw = await files.server.prepare({ identity: id, action: 'UpdateFirmware', firmware: 'fw.bin' });
    await csms.call('UpdateFirmware', {
      requestId: 3,
      firmware: { location: files.url('ftps', fw.urls), retrieveDateTime: new Date().toISOString() },
    });
    const firmware = await until(csms, 'FirmwareStatusNotification', 'DownloadFailed');
    expect(firmware[1]).toMatchObject({ statusInfo: { reasonCode: 'InvalidCertificate' } });
    const notes = h.of('note', conn.id).map((n) => n.text);
    expect(notes.some((t) => t.startsWith("Log upload refused the server's certificate: https://"))).toBe(
      true,
    );
    expect(
      notes.some((t) => t.startsWith("Firmware download refused the server's certificate: ftps://")),
    ).toBe(true);
    expect(await readdir(files.dir)).toEqual(['fw.bin']);
    expect(csms.failures).toEqual([]);
  });

  it('OCPP 1.6: an untrusted ftps server ends in UploadFailed', async () => {
    const { csms, files, id } = await setUp('1.6', false);
    const up = await files.server.prepare({ identity: id, action: 'GetDiagnostics' });
    await csms.call('GetDiagnostics', { location: files.url('ftps', up.urls) });
    expect(
      (await until(csms, 'DiagnosticsStatusNotification', 'UploadFailed')).map((s) => s['status']),
    ).toEqual(['Uploading', 'UploadFailed']);
    expect(csms.failures).toEqual([]);
  });
});

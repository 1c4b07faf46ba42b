import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import type { OcppVersion } from '../../../../shared/ocpp/versions';
import { HttpFileTransferClient } from '../../../../electron/engine/simulation/file-transfer';
import { generateCa } from '../../../../electron/engine/tls/certificates';
import { FilesHarness, bytes } from '../files/transfer-harness';
import type { CsmsPeer } from './csms-peer';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

async function setUp(v: OcppVersion): Promise<{ csms: CsmsPeer; files: FilesHarness; id: string }> {
  const files = await new FilesHarness().start();
  cleanups.push(() => files.stop());
  const client = new HttpFileTransferClient({ trust: async () => [files.ca.certPem] });
  const id = `SF-${v}`;
  const { csms } = await simulatedAgainstCsms(cleanups, {
    version: v,
    identity: id,
    heartbeatSec: 60,
    station: { simulation: { files: client } },
    simulator: { connectors: 1, rebootDelaySec: 0 },
    statuses: v === '1.6' ? 2 : 1,
  });
  return { csms, files, id };
}

const ACTION: Record<OcppVersion, [string, string]> = {
  '1.6': ['SignedUpdateFirmware', 'SignedFirmwareStatusNotification'],
  '2.0.1': ['UpdateFirmware', 'FirmwareStatusNotification'],
  '2.1': ['UpdateFirmware', 'FirmwareStatusNotification'],
};

describe.each(['1.6', '2.0.1', '2.1'] as OcppVersion[])('simulated station signed firmware, OCPP %s', (v) => {
  const [update, notification] = ACTION[v];

  it('refuses a signer its ManufacturerRootCertificate does not vouch for, installs a signed image in order, refuses a tampered one', async () => {
    const { csms, files, id } = await setUp(v);
    await writeFile(join(files.dir, 'fw.bin'), bytes(20_000));
    const fw = await files.server.prepare({ identity: id, action: 'UpdateFirmware', firmware: 'fw.bin' });
    const request = (requestId: number, retrieveAt = Date.now()): JsonObject => ({
      requestId,
      firmware: {
        location: files.url('https', fw.urls),
        retrieveDateTime: new Date(retrieveAt).toISOString(),
        signingCertificate: fw.firmware!.signingCertificate,
        signature: fw.firmware!.signature,
      },
    });
    const statuses = (requestId: number): string[] =>
      csms
        .of(notification)
        .filter((r) => r.params['requestId'] === requestId)
        .map((r) => String(r.params['status']));

    // No manufacturer root yet, then a foreign one: the signer is not trusted, nothing is downloaded.
    expect((await csms.call(update, request(1)))['status']).toBe('InvalidCertificate');
    const [event] = await csms.until('SecurityEventNotification', 1);
    expect(event!.params).toMatchObject({ type: 'InvalidFirmwareSigningCertificate' });
    const foreign = await generateCa({ commonName: 'Another maker', keyKind: 'ec', days: 2 });
    const install = (pem: string): Promise<JsonObject> =>
      csms.call('InstallCertificate', { certificateType: 'ManufacturerRootCertificate', certificate: pem });
    expect((await install(foreign.certPem))['status']).toBe('Accepted');
    expect((await csms.call(update, request(2)))['status']).toBe('InvalidCertificate');
    expect(csms.of(notification)).toEqual([]);

    // The maker's root: a download scheduled a moment ahead, verified, installed across a reboot.
    expect((await install(files.ca.certPem))['status']).toBe('Accepted');
    expect((await csms.call(update, request(3, Date.now() + 1500)))['status']).toBe('Accepted');
    await csms.wake.until('Installed', () => (statuses(3).includes('Installed') ? true : undefined));
    expect(statuses(3)).toEqual([
      'DownloadScheduled',
      'Downloading',
      'Downloaded',
      'SignatureVerified',
      'Installing',
      'InstallRebooting',
      'Installed',
    ]);
    const boots = csms.of('BootNotification');
    expect(boots.length).toBe(2);
    if (v !== '1.6') expect(boots[1]!.params['reason']).toBe('FirmwareUpdate');
    const installed = csms.of(notification).find((r) => r.params['status'] === 'Installed')!;
    expect(installed.session).toBe(1);

    // The same signature over other bytes: downloaded, then InvalidSignature, and no reboot.
    await writeFile(join(files.dir, 'fw.bin'), bytes(20_001));
    expect((await csms.call(update, request(4)))['status']).toBe('Accepted');
    await csms.wake.until('InvalidSignature', () =>
      statuses(4).includes('InvalidSignature') ? true : undefined,
    );
    expect(statuses(4)).toEqual(['Downloading', 'Downloaded', 'InvalidSignature']);
    expect(csms.of('BootNotification').length).toBe(2);

    // A request while another waits for its download time cancels it: AcceptedCanceled, and only the new one reports.
    expect((await csms.call(update, request(5, Date.now() + 3_600_000)))['status']).toBe('Accepted');
    await csms.wake.until('scheduled', () => (statuses(5).length > 0 ? true : undefined));
    expect((await csms.call(update, request(6)))['status']).toBe('AcceptedCanceled');
    await csms.wake.until('6 ends', () => (statuses(6).includes('InvalidSignature') ? true : undefined));
    expect(statuses(5)).toEqual(['DownloadScheduled']);
    expect(statuses(6)).toEqual(['Downloading', 'Downloaded', 'InvalidSignature']);
    expect(csms.failures).toEqual([]);
  });
});

import { X509Certificate, sign } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulatorSettings } from '../../../../shared/api';
import type { JsonObject } from '../../../../shared/ocpp/json';
import type { OcppVersion } from '../../../../shared/ocpp/versions';
import type { FileServer } from '../../../../electron/engine/files/file-server';
import { HttpFileTransferClient } from '../../../../electron/engine/simulation/file-transfer';
import { FilesHarness, bytes } from '../files/transfer-harness';
import type { CsmsPeer } from './csms-peer';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

/** A file server (its CA trusted for transfers) and our station on a strict CSMS, with firmware prepared for `id`. */
async function setUp(
  v: OcppVersion,
  id: string,
  image: Uint8Array,
  simulator: (signer: X509Certificate) => Partial<SimulatorSettings> = () => ({}),
): Promise<{ csms: CsmsPeer; files: FilesHarness; fw: Awaited<ReturnType<FileServer['prepare']>> }> {
  const files = await new FilesHarness().start();
  cleanups.push(() => files.stop());
  await writeFile(join(files.dir, 'fw.bin'), image);
  const fw = await files.server.prepare({ identity: id, action: 'UpdateFirmware', firmware: 'fw.bin' });
  const { csms } = await simulatedAgainstCsms(cleanups, {
    version: v,
    identity: id,
    heartbeatSec: 60,
    station: {
      simulation: { files: new HttpFileTransferClient({ trust: async () => [files.ca.certPem] }) },
    },
    simulator: {
      connectors: 1,
      rebootDelaySec: 0,
      ...simulator(new X509Certificate(fw.firmware!.signingCertificate)),
    },
    statuses: v === '1.6' ? 2 : 1,
  });
  return { csms, files, fw };
}

describe.each(['2.0.1', '2.1'] as const)(
  'simulated station firmware signed without its certificate, OCPP %s',
  (v) => {
    it('checks the signature with the installed ManufacturerRootCertificates: InvalidSignature until one verifies it', async () => {
      const image = bytes(20_000);
      const { csms, files, fw } = await setUp(v, `FS-${v}`, image);
      const request = (requestId: number, signature: string): JsonObject => ({
        requestId,
        firmware: {
          location: files.url('https', fw.urls),
          retrieveDateTime: new Date().toISOString(),
          signature,
        },
      });
      const statuses = (requestId: number): string[] =>
        csms
          .of('FirmwareStatusNotification')
          .filter((r) => r.params['requestId'] === requestId)
          .map((r) => String(r.params['status']));
      const settled = (requestId: number, last: string): Promise<true> =>
        csms.wake.until(`${requestId} ${last}`, () =>
          statuses(requestId).includes(last) ? true : undefined,
        );

      // No root installed: nothing to check the signature with.
      expect((await csms.call('UpdateFirmware', request(1, fw.firmware!.signature)))['status']).toBe(
        'Accepted',
      );
      await settled(1, 'InvalidSignature');
      expect(statuses(1)).toEqual(['Downloading', 'Downloaded', 'InvalidSignature']);
      if (v === '2.1') {
        const last = csms.of('FirmwareStatusNotification').at(-1)!;
        expect(last.params['statusInfo']).toMatchObject({ reasonCode: 'InvalidSignature' });
      }

      // The root installed, but the signature was made by a certificate under it, not by the root's key.
      const installed = await csms.call('InstallCertificate', {
        certificateType: 'ManufacturerRootCertificate',
        certificate: files.ca.certPem,
      });
      expect(installed['status']).toBe('Accepted');
      expect((await csms.call('UpdateFirmware', request(2, fw.firmware!.signature)))['status']).toBe(
        'Accepted',
      );
      await settled(2, 'InvalidSignature');
      expect(statuses(2)).toEqual(['Downloading', 'Downloaded', 'InvalidSignature']);
      expect(csms.of('BootNotification')).toHaveLength(1);

      // Signed with the root's own key: verified and installed across a reboot.
      const byRoot = sign('sha256', image, files.ca.keyPem).toString('base64');
      expect((await csms.call('UpdateFirmware', request(3, byRoot)))['status']).toBe('Accepted');
      await settled(3, 'Installed');
      expect(statuses(3)).toEqual([
        'Downloading',
        'Downloaded',
        'SignatureVerified',
        'Installing',
        'InstallRebooting',
        'Installed',
      ]);
      expect(csms.of('BootNotification')).toHaveLength(2);
      expect(csms.failures).toEqual([]);
    });
  },
);

describe.each(['1.6', '2.0.1', '2.1'] as const)('simulated station revoked firmware signer, OCPP %s', (v) => {
  it('answers RevokedCertificate for a signer the station knows to be revoked, with a security event', async () => {
    const { csms, files, fw } = await setUp(v, `RV-${v}`, bytes(1000), (signer) => ({
      revokedCertificates: [`00:${signer.serialNumber}`],
    }));
    const installed = await csms.call('InstallCertificate', {
      certificateType: 'ManufacturerRootCertificate',
      certificate: files.ca.certPem,
    });
    expect(installed['status']).toBe('Accepted');
    const answer = await csms.call(v === '1.6' ? 'SignedUpdateFirmware' : 'UpdateFirmware', {
      requestId: 1,
      ...(v === '1.6' ? { retries: 0 } : {}),
      firmware: {
        location: files.url('https', fw.urls),
        retrieveDateTime: new Date().toISOString(),
        signingCertificate: fw.firmware!.signingCertificate,
        signature: fw.firmware!.signature,
      },
    });
    expect(answer['status']).toBe('RevokedCertificate');
    const [event] = await csms.until('SecurityEventNotification', 1);
    expect(event!.params).toMatchObject({ type: 'InvalidFirmwareSigningCertificate' });
    expect(String(event!.params['techInfo'])).toContain('revoked');
    expect(csms.of(v === '1.6' ? 'SignedFirmwareStatusNotification' : 'FirmwareStatusNotification')).toEqual(
      [],
    );
    expect(csms.failures).toEqual([]);
  });
});

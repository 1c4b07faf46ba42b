import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { defaultStationSettings } from '../../../../shared/api-defaults';
import { ScopeEngine } from '../../../../electron/engine/scope-engine';
import { CsmsPeer } from './csms-peer';
import { opensslCrl } from '../../../support/openssl-crl';
import { cleanupsAfterEach } from '../../../support/cleanups';
import { testTempDir } from '../../../support/temp-dirs';

const cleanups = cleanupsAfterEach();

describe('a simulated charger with a CRL file (through the engine facade, as the station form sends it)', () => {
  it('refuses to install or accept a certificate the CRL revokes, installs one it does not; a bad file is told', async () => {
    const revoking = await opensslCrl(['0A1B'], { revokeCa: true });
    const other = await opensslCrl([]);
    cleanups.push(revoking.cleanup, other.cleanup);
    const engine = new ScopeEngine({ dataDir: testTempDir('sim-crl') });
    cleanups.push(() => engine.close());
    const csms = new CsmsPeer('2.0.1', 60);
    cleanups.push(() => csms.close());
    const base = await csms.listen();
    const simulator = { ...defaultStationSettings().simulator!, connectors: 1 };

    // Checked as the dialog checks it: the field says why a file is no CRL.
    expect(
      await engine.checkSimulatorSettings({ versions: ['2.0.1'], connectors: 1, crlFile: revoking.caPath }),
    ).toEqual({
      crlFile: `${revoking.caPath} is no CRL: a PEM file without an X509 CRL block (it holds CERTIFICATE)`,
    });
    // A CRL that is read is fine to start with; the field notes what could not be checked or is wrong.
    expect(
      await engine.checkSimulatorSettings({ versions: ['2.0.1'], connectors: 1, crlFile: revoking.derPath }),
    ).toEqual({
      crlNote: expect.stringContaining('signature not checked, no known CA certificate has that subject'),
    });
    // The station's TLS CA (as connecting passes it) checks the signature behind the field too.
    expect(
      await engine.checkSimulatorSettings({
        versions: ['2.0.1'],
        connectors: 1,
        crlFile: revoking.derPath,
        caFile: revoking.caPath,
      }),
    ).toEqual({});
    const bundled = `${revoking.dir}/bundle.pem`;
    await writeFile(bundled, `${revoking.pem}${revoking.caPem}`);
    expect(
      await engine.checkSimulatorSettings({ versions: ['2.0.1'], connectors: 1, crlFile: bundled }),
    ).toEqual({});
    const impostor = `${revoking.dir}/impostor.pem`;
    await writeFile(impostor, `${revoking.pem}${other.caPem}`);
    expect(
      await engine.checkSimulatorSettings({ versions: ['2.0.1'], connectors: 1, crlFile: impostor }),
    ).toEqual({
      crlNote: expect.stringContaining('its signature does not verify against the key of the CA'),
    });
    await expect(
      engine.connectStation({
        ...defaultStationSettings(),
        url: `${base}/ocpp/CRL-BAD`,
        protocols: ['2.0.1'],
        simulator: { ...simulator, crlFile: revoking.caPath },
      }),
    ).rejects.toThrow(`CRL: ${revoking.caPath} is no CRL`);
    expect(csms.clients).toHaveLength(0);

    const notes: string[] = [];
    engine.stream.subscribe((e) => {
      if (e.kind === 'note' && e.text.startsWith('CRL: ')) notes.push(e.text);
    });
    const { connectionId } = await engine.connectStation({
      ...defaultStationSettings(),
      url: `${base}/ocpp/CRL-1`,
      protocols: ['2.0.1'],
      simulator: { ...simulator, crlFile: revoking.pemPath },
    });
    // The station uses the list, and its log says the signature could not be checked (no CA given for it).
    expect(connectionId).toBeTruthy();
    expect(notes).toEqual([
      expect.stringMatching(/^CRL: the CRL \(issuer "CN=Test CRL CA"\): signature not checked/),
    ]);
    await csms.until('StatusNotification', 1);
    const install = async (certificate: string): Promise<unknown> =>
      (
        await csms.call('InstallCertificate', { certificateType: 'ManufacturerRootCertificate', certificate })
      )['status'];
    expect(await install(revoking.caPem)).toBe('Rejected');
    expect(await install(other.caPem)).toBe('Accepted');
    const ids = await csms.call('GetInstalledCertificateIds', {
      certificateType: ['ManufacturerRootCertificate'],
    });
    expect(ids['certificateHashDataChain']).toHaveLength(1);
    // A station certificate chain holding a revoked certificate is refused too (before its key is even compared).
    expect((await csms.call('CertificateSigned', { certificateChain: revoking.caPem }))['status']).toBe(
      'Rejected',
    );
    const [event] = await csms.until('SecurityEventNotification', 1);
    expect(event!.params['techInfo']).toContain('is revoked');
    expect(csms.failures).toEqual([]);
  });
});

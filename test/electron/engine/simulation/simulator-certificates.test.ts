import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../../shared/ocpp/json';
import type { OcppVersion } from '../../../../shared/ocpp/versions';
import { generateCa, signCsr } from '../../../../electron/engine/tls/certificates';
import type { CertificateBundle } from '../../../../electron/engine/tls/certificates';
import { simulatedOf } from '../../../../electron/engine/simulation/simulated-station';
import type { Connection } from '../../../../electron/engine/connections/connection';
import type { Harness } from '../engine-harness';
import type { CsmsPeer } from './csms-peer';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

let ca: CertificateBundle | undefined;
async function testCa(): Promise<CertificateBundle> {
  return (ca ??= await generateCa({ commonName: 'Test CSMS CA', keyKind: 'ec', days: 2 }));
}

async function setUp(v: OcppVersion): Promise<{ csms: CsmsPeer; h: Harness; conn: Connection }> {
  return simulatedAgainstCsms(cleanups, {
    version: v,
    identity: `CERT-${v}`,
    heartbeatSec: 60,
    simulator: { connectors: 1 },
    statuses: v === '1.6' ? 2 : 1,
  });
}

const ROOT_TYPE: Record<OcppVersion, string> = {
  '1.6': 'CentralSystemRootCertificate',
  '2.0.1': 'CSMSRootCertificate',
  '2.1': 'CSMSRootCertificate',
};

describe.each(['1.6', '2.0.1', '2.1'] as OcppVersion[])('simulated charger certificates, OCPP %s', (v) => {
  it('asked to, it sends a CSR for its identity; the signed chain is accepted, a foreign one refused with a security event', async () => {
    const { csms } = await setUp(v);
    const trigger =
      v === '1.6'
        ? await csms.call('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' })
        : await csms.call('TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' });
    expect(trigger['status']).toBe('Accepted');
    const [sign] = await csms.until('SignCertificate', 1);
    const csr = new x509.Pkcs10CertificateRequest(String(sign!.params['csr']));
    expect(await csr.verify(webcrypto as never)).toBe(true);
    expect(csr.subject).toContain(`CN=CERT-${v}`);
    if (v !== '1.6') expect(sign!.params['certificateType']).toBe('ChargingStationCertificate');

    // A certificate for another key (not the CSR's) is refused and reported.
    const other = await generateCa({ commonName: 'Other', keyKind: 'ec', days: 2 });
    expect((await csms.call('CertificateSigned', { certificateChain: other.certPem }))['status']).toBe(
      'Rejected',
    );
    const [event] = await csms.until('SecurityEventNotification', 1);
    expect(event!.params['type']).toBe(
      v === '1.6' ? 'InvalidChargePointCertificate' : 'InvalidChargingStationCertificate',
    );

    const signed = await signCsr(await testCa(), String(sign!.params['csr']));
    const chain = signed + (await testCa()).certPem;
    expect((await csms.call('CertificateSigned', { certificateChain: chain }))['status']).toBe('Accepted');
    expect(csms.failures).toEqual([]);
  });

  it('installs a root, lists it by its hash data, deletes it; a leaf or garbage is refused', async () => {
    const { csms } = await setUp(v);
    const root = await testCa();
    const type = ROOT_TYPE[v];
    const empty = await csms.call('GetInstalledCertificateIds', v === '1.6' ? { certificateType: type } : {});
    expect(empty['status']).toBe('NotFound');
    expect(
      (await csms.call('InstallCertificate', { certificateType: type, certificate: root.certPem }))['status'],
    ).toBe('Accepted');
    expect(
      (await csms.call('InstallCertificate', { certificateType: type, certificate: 'not a certificate' }))[
        'status'
      ],
    ).toBe('Rejected');
    const leaf = await signCsr(
      root,
      (
        await x509.Pkcs10CertificateRequestGenerator.create(
          {
            name: 'CN=leaf',
            keys: (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
              'sign',
              'verify',
            ])) as webcrypto.CryptoKeyPair,
            signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
          },
          webcrypto as never,
        )
      ).toString('pem'),
    );
    expect(
      (await csms.call('InstallCertificate', { certificateType: type, certificate: leaf }))['status'],
    ).toBe('Rejected');
    const listed = await csms.call(
      'GetInstalledCertificateIds',
      v === '1.6' ? { certificateType: type } : { certificateType: [type] },
    );
    expect(listed['status']).toBe('Accepted');
    const hashes =
      v === '1.6'
        ? (listed['certificateHashData'] as JsonObject[])
        : (listed['certificateHashDataChain'] as JsonObject[]).map(
            (c) => c['certificateHashData'] as JsonObject,
          );
    expect(hashes).toHaveLength(1);
    const cert = new x509.X509Certificate(root.certPem);
    expect(hashes[0]).toMatchObject({
      hashAlgorithm: 'SHA256',
      serialNumber: cert.serialNumber.replace(/^0+/, '').toLowerCase(),
    });
    expect(String(hashes[0]!['issuerNameHash'])).toMatch(/^[0-9a-f]{64}$/);
    expect((await csms.call('DeleteCertificate', { certificateHashData: hashes[0]! }))['status']).toBe(
      'Accepted',
    );
    expect((await csms.call('DeleteCertificate', { certificateHashData: hashes[0]! }))['status']).toBe(
      'NotFound',
    );
    const after = await csms.call('GetInstalledCertificateIds', v === '1.6' ? { certificateType: type } : {});
    expect(after['status']).toBe('NotFound');
    expect(csms.failures).toEqual([]);
  });
});

describe.each(['2.0.1', '2.1'] as OcppVersion[])('simulated station certificate requests, OCPP %s', (v) => {
  it('relays an EV certificate request and asks the OCSP status of its own certificate, on request', async () => {
    const { csms, h, conn } = await setUp(v);
    const sim = simulatedOf(conn)!;
    expect(await sim.act({ kind: 'evCertificate', action: 'Update' })).toBeUndefined();
    const [ev] = await csms.until('Get15118EVCertificate', 1);
    expect(ev!.params).toMatchObject({
      action: 'Update',
      iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef',
    });
    expect(Buffer.from(String(ev!.params['exiRequest']), 'base64').toString()).toContain('simulated EV');

    // No certificate of its own yet: nothing to ask about, and it says so.
    expect(await sim.act({ kind: 'certificateStatus', responderUrl: 'http://127.0.0.1:1/ocsp' })).toMatch(
      /no certificate of its own/,
    );
    await csms.call('TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' });
    const [sign] = await csms.until('SignCertificate', 1);
    const leaf = await signCsr(await testCa(), String(sign!.params['csr']));
    await csms.call('CertificateSigned', { certificateChain: leaf + (await testCa()).certPem });
    // signCsr's certificates name no OCSP responder: the URL must be given.
    expect(await sim.act({ kind: 'certificateStatus' })).toMatch(/names no OCSP responder/);
    expect(
      await sim.act({ kind: 'certificateStatus', responderUrl: 'http://127.0.0.1:1/ocsp' }),
    ).toBeUndefined();
    const [status] = await csms.until('GetCertificateStatus', 1);
    const cert = new x509.X509Certificate(leaf);
    expect(status!.params['ocspRequestData']).toMatchObject({
      hashAlgorithm: 'SHA256',
      serialNumber: cert.serialNumber.replace(/^0+/, '').toLowerCase(),
      responderURL: 'http://127.0.0.1:1/ocsp',
    });
    await h.waitFor((e) => e.kind === 'note' && /GetCertificateStatus answered Accepted/.test(e.text));
    expect(csms.failures).toEqual([]);
  });
});

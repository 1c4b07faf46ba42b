import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FrameEvent, OpenedEvent } from '../../../../shared/capture/events';
import type { JsonObject } from '../../../../shared/ocpp/json';
import type { OcppVersion } from '../../../../shared/ocpp/versions';
import type { Connection } from '../../../../electron/engine/connections/connection';
import { signCsr } from '../../../../electron/engine/tls/certificates';
import { Harness, tempDir } from '../engine-harness';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

/** The chains our endpoint (security profile 3) saw the station present, one per accepted connection, in order. */
function presented(h: Harness): OpenedEvent[] {
  return h
    .of('opened')
    .filter((e) => e.connection.role === 'endpoint' && e.ok && e.handshake.tls?.authorized === true);
}

/** The payload of the next `action` the endpoint received from the charger (after event number `after`). */
async function fromStation(h: Harness, action: string, after = 0): Promise<JsonObject> {
  const ours = new Set(h.endpoint.connections().map((c) => c.id));
  const e = await h.waitFor<FrameEvent>(
    (x) =>
      x.kind === 'frame' &&
      x.sender === 'station' &&
      (ours.has(x.conn) || h.endpoint.connections().some((c) => c.id === x.conn)) &&
      x.msg?.action === action &&
      h.events.indexOf(x) >= after,
    15_000,
    action,
  );
  return (JSON.parse(e.text) as [number, string, string, JsonObject])[3];
}

describe.each(['1.6', '2.0.1'] as OcppVersion[])(
  'a simulated station uses the certificate its CSMS installed (security profile 3), OCPP %s',
  (v) => {
    it('signs, installs, and presents the new certificate at the next connection; the endpoint accepts it', async () => {
      const h = new Harness();
      cleanups.push(() => h.close());
      const url = await h.listen({ securityProfile: 3, tls: { generateCertificate: true } });
      const identity = `P3-${v.replace(/\./g, '')}`;
      const factory = await h.endpoint.issueClientCertificate(identity);
      const dir = await tempDir();
      cleanups.push(dir.cleanup);
      const conn = await h.station.connect({
        url: url + identity,
        protocols: [v],
        callTimeoutSec: 5,
        tls: {
          caFile: await dir.write('ca.pem', h.endpoint.status().caCertificatePem!),
          certFile: await dir.write('c.pem', factory.certPem),
          keyFile: await dir.write('c.key', factory.keyPem),
        },
        simulator: { vendor: 'ACME', model: 'Sim-1', connectors: 1, rebootDelaySec: 0 },
      });
      cleanups.push(() => conn.close());
      expect(conn.state).toBe('open');
      await fromStation(h, 'StatusNotification');
      const server = (): Connection => {
        const live = h.endpoint.connections().filter((c) => c.state === 'open');
        return live[live.length - 1]!;
      };
      const trigger = await server().sendCall(
        v === '1.6' ? 'ExtendedTriggerMessage' : 'TriggerMessage',
        v === '1.6'
          ? { requestedMessage: 'SignChargePointCertificate' }
          : { requestedMessage: 'SignChargingStationCertificate' },
      );
      expect(trigger.response?.msg?.type).toBe(3);
      const { csr } = (await fromStation(h, 'SignCertificate')) as { csr: string };
      const leaf = await signCsr(h.endpoint.localCa!, csr);
      const signed = await server().sendCall('CertificateSigned', {
        certificateChain: leaf + h.endpoint.localCa!.certPem,
        ...(v === '1.6' ? {} : { certificateType: 'ChargingStationCertificate' }),
      });
      expect(JSON.parse(signed.response!.text)[2]).toEqual({ status: 'Accepted' });

      const mark = h.events.length;
      await server().sendCall('Reset', { type: v === '1.6' ? 'Hard' : 'Immediate' });
      await fromStation(h, 'BootNotification', mark);
      const chains = presented(h);
      expect(chains).toHaveLength(2);
      const serial = (pem: string): string => new X509Certificate(pem).serialNumber.toLowerCase();
      expect(chains[0]!.handshake.tls!.peerChain[0]!.serialNumber.toLowerCase()).toBe(
        serial(factory.certPem),
      );
      expect(chains[1]!.handshake.tls!.peerChain[0]!.serialNumber.toLowerCase()).toBe(serial(leaf));
      expect(chains[1]!.handshake.tls!.peerChain[0]!.subject).toContain(`CN=${identity}`);
    });
  },
);

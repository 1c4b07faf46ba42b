import { X509Certificate } from 'node:crypto';
import type { JsonObject, JsonValue } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import type { Answer, ModelHost, SimCall } from './charger-types';
import type { CertificateHashData, StoredCertificate } from './certificate-store';
import { CertificateStore } from './certificate-store';

/**
 * Certificate management of a simulated station, for the 1.6 security extension and 2.0.1 / 2.1 alike (the same
 * messages, a few names apart): InstallCertificate, GetInstalledCertificateIds, DeleteCertificate, the
 * SignCertificate → CertificateSigned exchange (a fresh key and CSR each time, the chain checked against it), and
 * SecurityEventNotification when a certificate is refused. Certificates live in the station's CertificateStore.
 */

interface Names {
  /** Types InstallCertificate / GetInstalledCertificateIds accept. */
  rootTypes: readonly string[];
  /** The security event for a refused station certificate. */
  invalidOwn: string;
}

const NAMES_16: Names = {
  rootTypes: ['CentralSystemRootCertificate', 'ManufacturerRootCertificate'],
  invalidOwn: 'InvalidChargePointCertificate',
};

const NAMES_2X: Names = {
  rootTypes: [
    'V2GRootCertificate',
    'MORootCertificate',
    'CSMSRootCertificate',
    'ManufacturerRootCertificate',
    'OEMRootCertificate',
  ],
  invalidOwn: 'InvalidChargingStationCertificate',
};

export interface CertificateHost {
  enqueue(call: SimCall): void;
  host: ModelHost;
  /** The CSR's subject: `CN=<identity>, O=<organization>`. */
  subject(): string;
  /** The serial number of a certificate of `pem` the station knows to be revoked; undefined: none is. */
  revoked(pem: string): string | undefined;
}

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function hashJson(h: CertificateHashData): JsonObject {
  return { ...h };
}

export class CertificateManagement {
  readonly store = new CertificateStore();
  private readonly names: Names;

  constructor(
    private readonly version: OcppVersion,
    private readonly to: CertificateHost,
  ) {
    this.names = version === '1.6' ? NAMES_16 : NAMES_2X;
  }

  private get v16(): boolean {
    return this.version === '1.6';
  }

  /** The answer to a certificate-management call, or undefined for other actions. */
  answer(action: string, p: JsonObject, now: number): Answer {
    switch (action) {
      case 'InstallCertificate': {
        const type = str(p['certificateType']);
        if (!this.names.rootTypes.includes(type)) return { payload: { status: 'Rejected' } };
        const revoked = this.to.revoked(str(p['certificate']));
        if (revoked !== undefined)
          return {
            payload: { status: 'Rejected' },
            after: () => this.to.host.note(`InstallCertificate refused: certificate ${revoked} is revoked.`),
          };
        return { payload: { status: this.store.install(type, str(p['certificate']), now) } };
      }
      case 'GetInstalledCertificateIds':
        return { payload: this.installedIds(p) };
      case 'DeleteCertificate': {
        const h = isJsonObject(p['certificateHashData']) ? p['certificateHashData'] : {};
        return {
          payload: {
            status: this.store.delete({
              issuerNameHash: str(h['issuerNameHash']),
              issuerKeyHash: str(h['issuerKeyHash']),
              serialNumber: str(h['serialNumber']),
            }),
          },
        };
      }
      case 'CertificateSigned': {
        const type = str(p['certificateType']) || 'ChargingStationCertificate';
        const chain = str(p['certificateChain']);
        const revoked = this.to.revoked(chain);
        const why =
          revoked !== undefined
            ? `certificate ${revoked} is revoked`
            : this.store.acceptSigned(chain, type, now);
        if (!why) {
          this.to.host.note(`Station certificate installed (${type}).`);
          return { payload: { status: 'Accepted' } };
        }
        return {
          payload: { status: 'Rejected' },
          after: (t) => {
            this.to.host.note(`CertificateSigned refused: ${why}.`);
            this.securityEvent(this.names.invalidOwn, why, t);
          },
        };
      }
      default:
        return undefined;
    }
  }

  private installedIds(p: JsonObject): JsonObject {
    const raw = p['certificateType'];
    const types = Array.isArray(raw)
      ? raw.filter((t): t is string => typeof t === 'string')
      : typeof raw === 'string'
        ? [raw]
        : undefined;
    // 1.6 lists only the installed roots; 2.x also the station's V2G chain (its charging station certificate has no
    // GetCertificateIdUse type and is not listed).
    const own = this.store.own;
    const all = [
      ...this.store.installed,
      ...(own && !this.v16 && own.type === 'V2GCertificate' ? [{ ...own, type: 'V2GCertificateChain' }] : []),
    ];
    const found = types && types.length > 0 ? all.filter((c) => types.includes(c.type)) : all;
    if (found.length === 0) return { status: 'NotFound' };
    if (this.v16) return { status: 'Accepted', certificateHashData: found.map((c) => hashJson(c.hash)) };
    return { status: 'Accepted', certificateHashDataChain: found.map((c) => this.chainEntry(c)) };
  }

  private chainEntry(c: StoredCertificate): JsonObject {
    return {
      certificateType: c.type,
      certificateHashData: hashJson(c.hash),
      ...(c.children ? { childCertificateHashData: c.children.map(hashJson) } : {}),
    };
  }

  /**
   * Makes a key and a CSR and sends SignCertificate (after a trigger, or on the station's own account). The CSMS's
   * CertificateSigned later brings the chain. `type` is the 2.x certificateType (1.6 has none).
   */
  requestSignature(type: 'ChargingStationCertificate' | 'V2GCertificate', early = false): void {
    void this.store.csr(this.to.subject()).then(
      (csr) => {
        this.to.enqueue({
          action: 'SignCertificate',
          build: () => ({ csr, ...(this.v16 ? {} : { certificateType: type }) }),
          transactional: false,
          ...(early ? { early: 'pending' as const } : {}),
          attempts: 0,
          onResult: (r) => {
            if (r['status'] !== 'Accepted')
              this.to.host.note('The CSMS refused to sign the certificate request.');
          },
        });
        this.to.host.changed();
      },
      (error: unknown) => this.to.host.note(`The certificate request could not be made: ${String(error)}`),
    );
  }

  /**
   * Get15118EVCertificate (2.x): the station relays an EV's ISO 15118 certificate installation or update request.
   * There is no EV here to make real EXI: the request carries a fixed, clearly labelled stand-in (Base64), enough for a
   * CSMS to show how it routes the request and answers. The answer's status is noted.
   */
  requestEvCertificate(action: 'Install' | 'Update'): void {
    const exiRequest = Buffer.from(
      `OCPP Scope simulated EV: ISO 15118-2 CertificateInstallationReq (${action})`,
    ).toString('base64');
    this.to.enqueue({
      action: 'Get15118EVCertificate',
      build: () => ({ iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef', action, exiRequest }),
      transactional: false,
      attempts: 0,
      onResult: (r) => {
        const exi = typeof r['exiResponse'] === 'string' ? r['exiResponse'].length : 0;
        this.to.host.note(
          `Get15118EVCertificate answered ${String(r['status'])} (exiResponse: ${exi} characters).`,
        );
      },
    });
    this.to.host.changed();
  }

  /**
   * GetCertificateStatus (2.x): the OCSP status of the station's own certificate, at `responderUrl` or the OCSP
   * responder its certificate names (Authority Information Access). Returns why it cannot be asked, or undefined.
   */
  requestCertificateStatus(responderUrl: string | undefined): string | undefined {
    const own = this.store.own;
    if (!own) return 'The station has no certificate of its own yet (SignCertificate → CertificateSigned).';
    let url = responderUrl;
    try {
      url ??= /OCSP - URI:(\S+)/.exec(new X509Certificate(own.pem).infoAccess ?? '')?.[1];
    } catch {
      // an unreadable chain names no responder: the URL must then be given
    }
    if (!url) return "The station's certificate names no OCSP responder: give its URL.";
    const leaf = own.children?.[0] ?? own.hash;
    const ocspRequestData: JsonObject = { ...hashJson(leaf), responderURL: url };
    this.to.enqueue({
      action: 'GetCertificateStatus',
      build: () => ({ ocspRequestData }),
      transactional: false,
      attempts: 0,
      onResult: (r) => this.to.host.note(`GetCertificateStatus answered ${String(r['status'])}.`),
    });
    this.to.host.changed();
    return undefined;
  }

  /** SecurityEventNotification (1.6 security extension, 2.x): what happened, when, and why in techInfo. */
  securityEvent(type: string, techInfo: string | undefined, now: number): void {
    const payload: JsonObject = { type, timestamp: new Date(now).toISOString() };
    if (techInfo) payload['techInfo'] = techInfo.slice(0, 255);
    this.to.enqueue({
      action: 'SecurityEventNotification',
      build: () => payload,
      // Security events are kept and sent in order, like transaction messages (queued while offline).
      transactional: true,
      attempts: 0,
    });
    this.to.host.changed();
  }
}

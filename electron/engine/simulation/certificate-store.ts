import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { X509Certificate as NodeX509, createHash, webcrypto } from 'node:crypto';
import { certificateBlocks } from './pem-blocks';

/**
 * The certificates of one simulated station: installed roots by type (InstallCertificate), the station's own
 * certificate chain (SignCertificate → CertificateSigned) and the key its last CSR was made with. Certificates are
 * identified as OCPP does (certificateHashData: hashes of the issuer's name and key, and the serial number).
 * Everything but making a key and a CSR is synchronous, so the charger models can answer within the call.
 */

export interface CertificateHashData {
  hashAlgorithm: 'SHA256';
  issuerNameHash: string;
  issuerKeyHash: string;
  serialNumber: string;
}

export interface StoredCertificate {
  type: string;
  pem: string;
  hash: CertificateHashData;
  /** For the station's own chain: the hashes of the certificates under the root (leaf first). */
  children?: CertificateHashData[];
}

/** At most this many certificates per station (a CSMS looping InstallCertificate must not grow it without end). */
const MAX_INSTALLED = 64;

function hex(b: ArrayBuffer | Buffer): string {
  return Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString('hex');
}

function sha256(b: ArrayBuffer): string {
  return createHash('sha256').update(new Uint8Array(b)).digest('hex');
}

/** The key bits of an SPKI (what issuerKeyHash hashes, as in OCSP's CertID). */
function keyBits(spki: ArrayBuffer): ArrayBuffer {
  return AsnConvert.parse(spki, SubjectPublicKeyInfo).subjectPublicKey;
}

/** One PEM block per certificate of a chain, in order; throws when none parses. */
export function splitChain(pem: string): x509.X509Certificate[] {
  const blocks = certificateBlocks(pem);
  if (blocks.length === 0) throw new Error('no PEM certificate in it');
  return blocks.map((b) => new x509.X509Certificate(b));
}

/** certificateHashData of `cert`, its issuer's key taken from `issuer` (itself when self-signed or unknown). */
export function hashDataOf(cert: x509.X509Certificate, issuer?: x509.X509Certificate): CertificateHashData {
  return {
    hashAlgorithm: 'SHA256',
    issuerNameHash: sha256(cert.issuerName.toArrayBuffer()),
    issuerKeyHash: sha256(keyBits((issuer ?? cert).publicKey.rawData)),
    serialNumber: cert.serialNumber.replace(/^0+(?=.)/, '').toLowerCase(),
  };
}

export function sameHash(a: CertificateHashData, b: Partial<CertificateHashData>): boolean {
  return (
    a.issuerNameHash === String(b.issuerNameHash ?? '').toLowerCase() &&
    a.issuerKeyHash === String(b.issuerKeyHash ?? '').toLowerCase() &&
    a.serialNumber ===
      String(b.serialNumber ?? '')
        .replace(/^0+(?=.)/, '')
        .toLowerCase()
  );
}

/** A serial number as compared: hex digits only, lower case, without leading zeros. */
export function serialKey(serial: string): string {
  return serial
    .replace(/[^0-9a-fA-F]/g, '')
    .replace(/^0+(?=.)/, '')
    .toLowerCase();
}

/** The serial number of the first certificate of `pem` (a chain) that `revoked` lists; undefined: none. */
export function revokedIn(pem: string, revoked: readonly string[] | undefined): string | undefined {
  if (!revoked || revoked.length === 0) return undefined;
  const keys = new Set(revoked.map(serialKey));
  const blocks = certificateBlocks(pem);
  for (const b of blocks) {
    try {
      const serial = serialKey(new NodeX509(b).serialNumber);
      if (keys.has(serial)) return serial;
    } catch {
      // Not a certificate: the trust check says so.
    }
  }
  return undefined;
}

export class CertificateStore {
  readonly installed: StoredCertificate[] = [];
  /** The key pair of the last CSR, waiting for CertificateSigned. */
  private pending: webcrypto.CryptoKeyPair | undefined;
  private pendingSpki: string | undefined;
  /** The station's own chain once CertificateSigned accepted it (type ChargingStationCertificate / V2G). */
  own: StoredCertificate | undefined;

  /** A new key pair (P-256) and a PKCS#10 CSR for `subject` (e.g. `CN=CP-1, O=ACME`), PEM. */
  async csr(subject: string): Promise<string> {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = (await webcrypto.subtle.generateKey(alg, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    const request = await x509.Pkcs10CertificateRequestGenerator.create(
      { name: subject, keys, signingAlgorithm: alg },
      webcrypto as never,
    );
    this.pending = keys;
    this.pendingSpki = hex(await webcrypto.subtle.exportKey('spki', keys.publicKey));
    return request.toString('pem');
  }

  /**
   * CertificateSigned: the chain's leaf must carry the key of our last CSR and be valid now. Undefined when stored;
   * otherwise why it was refused (the station reports it as a security event).
   */
  acceptSigned(chainPem: string, type: string, now: number): string | undefined {
    let chain: x509.X509Certificate[];
    try {
      chain = splitChain(chainPem);
    } catch (error) {
      return `the certificate chain does not parse (${(error as Error).message})`;
    }
    const leaf = chain[0]!;
    if (!this.pendingSpki) return 'no certificate signing request is waiting for it';
    if (hex(leaf.publicKey.rawData) !== this.pendingSpki)
      return "its key is not the one of the station's request";
    if (leaf.notBefore.getTime() > now || leaf.notAfter.getTime() < now)
      return 'it is not valid at this time';
    const hashes = chain.map((c, i) => hashDataOf(c, chain[i + 1]));
    this.own = {
      type,
      pem: chainPem,
      hash: hashes[hashes.length - 1]!,
      ...(hashes.length > 1 ? { children: hashes.slice(0, -1) } : {}),
    };
    // The key stays with the certificate: it is the station's TLS client identity from its next connection on.
    if (type === 'ChargingStationCertificate') this.ownKey = this.pending?.privateKey;
    this.pending = undefined;
    this.pendingSpki = undefined;
    return undefined;
  }

  /** The key of the station certificate CertificateSigned installed. */
  private ownKey: webcrypto.CryptoKey | undefined;

  /**
   * The installed station certificate (chain, PEM) and its key (PKCS#8 PEM), for mutual TLS (security profile 3);
   * undefined before CertificateSigned brought one.
   */
  async clientCertificate(): Promise<{ cert: string; key: string } | undefined> {
    const own = this.own;
    const key = this.ownKey;
    if (!own || own.type !== 'ChargingStationCertificate' || !key) return undefined;
    const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
    const body = der
      .toString('base64')
      .replace(/(.{64})/g, '$1\n')
      .replace(/\n$/, '');
    return { cert: own.pem, key: `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n` };
  }

  /** InstallCertificate: a CA certificate (self-signed or not) of the given type. */
  install(type: string, pem: string, now: number): 'Accepted' | 'Rejected' | 'Failed' {
    let cert: x509.X509Certificate;
    try {
      [cert] = splitChain(pem) as [x509.X509Certificate];
    } catch {
      return 'Rejected';
    }
    const ca = cert.getExtension(x509.BasicConstraintsExtension)?.ca === true;
    if (!ca || cert.notAfter.getTime() < now) return 'Rejected';
    const hash = hashDataOf(cert);
    const at = this.installed.findIndex((c) => c.type === type && sameHash(c.hash, hash));
    if (at >= 0) this.installed.splice(at, 1);
    else if (this.installed.length >= MAX_INSTALLED) return 'Failed';
    this.installed.push({ type, pem, hash });
    return 'Accepted';
  }

  /** DeleteCertificate: removes an installed root; the station's own certificate cannot be deleted this way. */
  delete(hash: Partial<CertificateHashData>): 'Accepted' | 'Failed' | 'NotFound' {
    if (this.own && sameHash(this.own.hash, hash)) return 'Failed';
    const at = this.installed.findIndex((c) => sameHash(c.hash, hash));
    if (at < 0) return 'NotFound';
    this.installed.splice(at, 1);
    return 'Accepted';
  }

  /**
   * Why a firmware signing certificate (PEM, leaf first, intermediates may follow) is not to be trusted: each must be
   * issued by the next, the last by (or be) an installed ManufacturerRootCertificate, and the leaf valid now.
   * Undefined when it is trusted.
   */
  untrustedSigner(pem: string, now: number): string | undefined {
    let chain: NodeX509[];
    try {
      const blocks = certificateBlocks(pem);
      if (blocks.length === 0) return 'it holds no PEM certificate';
      chain = blocks.map((b) => new NodeX509(b));
    } catch (error) {
      return `it does not parse (${(error as Error).message})`;
    }
    const leaf = chain[0]!;
    if (Date.parse(leaf.validFrom) > now || Date.parse(leaf.validTo) < now)
      return 'it is not valid at this time';
    for (let i = 0; i + 1 < chain.length; i++)
      if (!chain[i]!.checkIssued(chain[i + 1]!) || !chain[i]!.verify(chain[i + 1]!.publicKey))
        return `certificate ${i + 1} of its chain is not issued by the next one`;
    const roots = this.installed.filter((c) => c.type === 'ManufacturerRootCertificate');
    if (roots.length === 0) return 'no ManufacturerRootCertificate is installed to check it against';
    const top = chain[chain.length - 1]!;
    const trusted = roots.some((r) => {
      try {
        const root = new NodeX509(r.pem);
        return (
          top.fingerprint256 === root.fingerprint256 || (top.checkIssued(root) && top.verify(root.publicKey))
        );
      } catch {
        return false;
      }
    });
    return trusted ? undefined : 'it is not issued by an installed ManufacturerRootCertificate';
  }

  /** The installed ManufacturerRootCertificates (PEM), newest last. */
  manufacturerRoots(): string[] {
    return this.installed.filter((c) => c.type === 'ManufacturerRootCertificate').map((c) => c.pem);
  }

  get hasPendingRequest(): boolean {
    return this.pending !== undefined;
  }
}

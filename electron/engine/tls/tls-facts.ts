import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, PeerCertificate, TLSSocket } from 'node:tls';
import type { CertificateInfo, TlsFacts } from '../../../shared/capture/events';

function pemOf(raw: Buffer): string {
  const b64 = raw.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

function nameOf(n: PeerCertificate['subject'] | undefined): string {
  if (!n) return '';
  return Object.entries(n)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

export function certificateInfo(cert: PeerCertificate): CertificateInfo {
  const info: CertificateInfo = {
    subject: nameOf(cert.subject),
    issuer: nameOf(cert.issuer),
    serialNumber: cert.serialNumber ?? '',
    validFrom: cert.valid_from ?? '',
    validTo: cert.valid_to ?? '',
    fingerprint256: cert.fingerprint256 ?? '',
  };
  if (cert.subjectaltname) info.subjectAltName = cert.subjectaltname;
  if (cert.raw) info.pem = pemOf(cert.raw);
  return info;
}

/** Info for a PEM certificate we hold (our own server certificate or CA). */
export function certificateInfoOfPem(pem: string): CertificateInfo {
  const c = new X509Certificate(pem);
  const info: CertificateInfo = {
    subject: c.subject.replace(/\n/g, ', '),
    issuer: c.issuer.replace(/\n/g, ', '),
    serialNumber: c.serialNumber,
    validFrom: c.validFrom,
    validTo: c.validTo,
    fingerprint256: c.fingerprint256,
    pem: c.toString(),
  };
  if (c.subjectAltName) info.subjectAltName = c.subjectAltName;
  return info;
}

/** The peer's chain as presented, leaf first; stops at a self-signed root (Node links it to itself). */
export function peerChain(socket: TLSSocket): CertificateInfo[] {
  const chain: CertificateInfo[] = [];
  let cert: DetailedPeerCertificate | undefined;
  try {
    cert = socket.getPeerCertificate(true);
  } catch {
    return chain;
  }
  const seen = new Set<string>();
  while (cert && Object.keys(cert).length > 0 && chain.length < 10) {
    const fp = cert.fingerprint256 ?? String(chain.length);
    if (seen.has(fp)) break;
    seen.add(fp);
    chain.push(certificateInfo(cert));
    cert = cert.issuerCertificate;
  }
  return chain;
}

export function tlsFacts(socket: TLSSocket, insecure?: boolean): TlsFacts {
  const facts: TlsFacts = { peerChain: peerChain(socket), authorized: socket.authorized };
  const protocol = socket.getProtocol();
  if (protocol) facts.protocol = protocol;
  const cipher = socket.getCipher() as { name?: string; standardName?: string } | undefined;
  if (cipher?.standardName ?? cipher?.name) facts.cipher = cipher.standardName ?? cipher.name;
  const servername = (socket as TLSSocket & { servername?: string | false }).servername;
  if (typeof servername === 'string' && servername !== '') facts.servername = servername;
  if (socket.authorizationError) facts.authorizationError = String(socket.authorizationError);
  if (insecure !== undefined) facts.insecure = insecure;
  return facts;
}

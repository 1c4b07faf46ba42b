// @peculiar/x509 resolves its internals through tsyringe, which needs a Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type RsaHashedKeyGenParams = webcrypto.RsaHashedKeyGenParams;
type EcKeyGenParams = webcrypto.EcKeyGenParams;

// Node's webcrypto is the Web Crypto API; the layer's lib has no DOM `Crypto` type to name it by.
x509.cryptoProvider.set(webcrypto as never);

export type KeyKind = 'rsa' | 'ec';

/** A certificate with its private key, both PEM. */
export interface CertificateBundle {
  certPem: string;
  keyPem: string;
}

interface Issuer {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

export interface CertificateOptions {
  commonName: string;
  /** Default: now minus one hour (tolerates small clock skew on chargers). */
  notBefore?: Date;
  /** Default: notBefore plus `days`. */
  notAfter?: Date;
  days?: number;
  /** RSA is what chargers support most widely; EC is much faster to generate (tests). */
  keyKind?: KeyKind;
}

export interface LeafOptions extends CertificateOptions {
  /** code-signing: the firmware signing certificate of UpdateFirmware / SignedUpdateFirmware. */
  kind: 'server' | 'client' | 'code-signing';
  dnsNames?: string[];
  ipAddresses?: string[];
}

const RSA: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const EC: EcKeyGenParams & { hash: string } = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

function algorithmOf(kind: KeyKind | undefined): RsaHashedKeyGenParams | (EcKeyGenParams & { hash: string }) {
  return kind === 'ec' ? EC : RSA;
}

async function generateKeys(kind: KeyKind | undefined): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithmOf(kind), true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function validity(o: CertificateOptions): { notBefore: Date; notAfter: Date } {
  const notBefore = o.notBefore ?? new Date(Date.now() - 3_600_000);
  const notAfter = o.notAfter ?? new Date(notBefore.getTime() + (o.days ?? 825) * 86_400_000);
  return { notBefore, notAfter };
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive
  return Buffer.from(bytes).toString('hex');
}

function cn(name: string): string {
  // Distinguished-name syntax: escape the characters that would split the name.
  return 'CN=' + name.replace(/([,+"\\<>;=])/g, '\\$1');
}

/** A self-signed CA that can sign server and client certificates. */
export async function generateCa(o: CertificateOptions): Promise<CertificateBundle> {
  const keys = await generateKeys(o.keyKind);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: cn(o.commonName),
    ...validity(o),
    signingAlgorithm: algorithmOf(o.keyKind),
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: withNewline(cert.toString('pem')), keyPem: withNewline(await keyPem(keys.privateKey)) };
}

async function loadIssuer(ca: CertificateBundle): Promise<Issuer> {
  const cert = new x509.X509Certificate(ca.certPem);
  const ec = cert.publicKey.algorithm.name === 'ECDSA';
  const alg = ec ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const der = x509.PemConverter.decode(ca.keyPem)[0];
  if (!der) throw new Error('The CA key is not PEM.');
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, alg, true, ['sign']);
  const publicKey = await cert.publicKey.export(alg, ['verify'], webcrypto as never);
  return { cert, keys: { privateKey, publicKey } };
}

/** A server or client certificate signed by `ca`. */
export async function issueCertificate(ca: CertificateBundle, o: LeafOptions): Promise<CertificateBundle> {
  const issuer = await loadIssuer(ca);
  const keys = await generateKeys(o.keyKind);
  const names: x509.JsonGeneralName[] = [
    ...(o.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(o.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension(
      [
        o.kind === 'server'
          ? x509.ExtendedKeyUsage.serverAuth
          : o.kind === 'client'
            ? x509.ExtendedKeyUsage.clientAuth
            : x509.ExtendedKeyUsage.codeSigning,
      ],
      false,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const issuerAlg = issuer.cert.publicKey.algorithm.name === 'ECDSA' ? EC : RSA;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: cn(o.commonName),
    issuer: issuer.cert.subject,
    ...validity(o),
    signingAlgorithm: issuerAlg,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions,
  });
  return { certPem: withNewline(cert.toString('pem')), keyPem: withNewline(await keyPem(keys.privateKey)) };
}

/** PEM blocks end with a newline so bundles can be concatenated into a chain file. */
function withNewline(pem: string): string {
  return pem.endsWith('\n') ? pem : pem + '\n';
}

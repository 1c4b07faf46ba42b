// @peculiar/x509 resolves its internals through tsyringe, which needs a Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

/**
 * Signs a charger's certificate signing request (PKCS#10, PEM) with `ca`: a client certificate for the CSR's subject
 * and key, as a CSMS answers SignCertificate with CertificateSigned. The CSR's own signature must verify.
 */
export async function signCsr(
  ca: CertificateBundle,
  csrPem: string,
  o: { days?: number } = {},
): Promise<string> {
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  if (!(await csr.verify(webcrypto as never))) throw new Error('The CSR signature does not verify.');
  const issuer = await loadIssuer(ca);
  const publicKey = await csr.publicKey.export(webcrypto as never);
  const issuerAlg = issuer.cert.publicKey.algorithm.name === 'ECDSA' ? EC : RSA;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: csr.subject,
    issuer: issuer.cert.subject,
    ...validity({ commonName: '', days: o.days ?? 365 }),
    signingAlgorithm: issuerAlg,
    publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
  return withNewline(cert.toString('pem'));
}

/** PEM blocks end with a newline so bundles can be concatenated into a chain file. */
function withNewline(pem: string): string {
  return pem.endsWith('\n') ? pem : pem + '\n';
}

/** The tool's own CA, kept on disk so the CA installed in a charger keeps working across runs. */
export interface LocalCa extends CertificateBundle {
  /** SHA-256 of the certificate (DER), colon-separated upper-case hex, as browsers and openssl print it. */
  fingerprint: string;
  certFile: string;
  keyFile: string;
  /** True when this call made a new CA (first run, `regenerate`, or the stored one was unusable). */
  created: boolean;
  /** Why a stored CA was replaced, when it was. */
  replacedBecause?: string;
}

export const LOCAL_CA_NAME = 'OCPP Scope local CA';

/** Where the local CA's certificate of a data folder is kept (chargers and simulated stations trust this file). */
export function localCaCertFile(dataDir: string): string {
  return join(dataDir, 'tls', 'local-ca.crt');
}

/**
 * The local CA of a data folder (`<dataDir>/tls/local-ca.crt` and `local-ca.key`, the key readable by the owner only):
 * loaded when present and usable, generated and saved otherwise. `regenerate` replaces it on purpose (the old pair is
 * kept beside it as `.old`), which invalidates what chargers had installed.
 */
export async function localCa(
  dataDir: string,
  options: { regenerate?: boolean; keyKind?: KeyKind } = {},
): Promise<LocalCa> {
  const folder = join(dataDir, 'tls');
  const certFile = localCaCertFile(dataDir);
  const keyFile = join(folder, 'local-ca.key');
  let replacedBecause: string | undefined;
  if (!options.regenerate && existsSync(certFile)) {
    const stored = await readStoredCa(certFile, keyFile);
    if ('bundle' in stored) {
      restrictKeyFile(keyFile);
      return {
        ...stored.bundle,
        fingerprint: caFingerprint(stored.bundle.certPem),
        certFile,
        keyFile,
        created: false,
      };
    }
    replacedBecause = stored.problem;
  } else if (options.regenerate) replacedBecause = 'regenerate was asked for';
  const bundle = await generateCa({
    commonName: LOCAL_CA_NAME,
    keyKind: options.keyKind ?? 'rsa',
    days: 3650,
  });
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (existsSync(certFile)) {
    renameSync(certFile, `${certFile}.old`);
    if (existsSync(keyFile)) renameSync(keyFile, `${keyFile}.old`);
  }
  writePrivate(keyFile, bundle.keyPem, 0o600);
  writePrivate(certFile, bundle.certPem, 0o644);
  return {
    ...bundle,
    fingerprint: caFingerprint(bundle.certPem),
    certFile,
    keyFile,
    created: true,
    ...(replacedBecause ? { replacedBecause } : {}),
  };
}

/** SHA-256 fingerprint of a PEM certificate, e.g. `AB:CD:...` (what `openssl x509 -fingerprint -sha256` shows). */
export function caFingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

async function readStoredCa(
  certFile: string,
  keyFile: string,
): Promise<{ bundle: CertificateBundle } | { problem: string }> {
  let bundle: CertificateBundle;
  try {
    bundle = { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
  } catch (error) {
    return {
      problem: `the stored CA could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(bundle.certPem);
  } catch {
    return { problem: 'the stored CA certificate is not a PEM certificate' };
  }
  if (!cert.ca) return { problem: 'the stored certificate is not a CA' };
  if (Date.parse(cert.validTo) <= Date.now()) return { problem: `the stored CA expired on ${cert.validTo}` };
  try {
    if (!cert.checkPrivateKey(createPrivateKey(bundle.keyPem)))
      return { problem: 'the stored CA key does not belong to its certificate' };
  } catch {
    return { problem: 'the stored CA key is not a PEM private key' };
  }
  return { bundle };
}

/** Written through a temporary file so a crash never leaves half a key; the mode is set before any byte lands. */
function writePrivate(path: string, text: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode, flag: 'w' });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/** A key copied around (a backup restore, an unzip) can lose its mode: put it back to owner-only. */
function restrictKeyFile(keyFile: string): void {
  if (process.platform === 'win32') return;
  try {
    if ((statSync(keyFile).mode & 0o077) !== 0) chmodSync(keyFile, 0o600);
  } catch {
    // Best effort: the key was just read, so the file is there; a failed chmod is not a reason to refuse it.
  }
}

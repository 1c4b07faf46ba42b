import { createSign } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { CertificateBundle } from '../tls/certificates';
import { issueCertificate } from '../tls/certificates';

/**
 * The firmware signing certificate (code signing, from the local CA) and signatures made with it: what
 * UpdateFirmware (2.x) and SignedUpdateFirmware (1.6 security) carry in signingCertificate and signature. The key
 * type follows the CA's (RSA by default), the digest is SHA-256, the signature Base64.
 */
export class FirmwareSigner {
  private signer: Promise<CertificateBundle> | undefined;

  constructor(private readonly ca: () => Promise<CertificateBundle>) {}

  certificate(): Promise<CertificateBundle> {
    this.signer ??= this.ca().then((ca) => {
      const ec = ca.keyPem.length < 400; // a P-256 PKCS#8 key is ~240 characters, an RSA-2048 one ~1700
      return issueCertificate(ca, {
        commonName: 'OCPP Scope firmware signing',
        kind: 'code-signing',
        keyKind: ec ? 'ec' : 'rsa',
      }).then((leaf) => ({ certPem: leaf.certPem, keyPem: leaf.keyPem }));
    });
    return this.signer;
  }

  /** Base64 signature of the file's bytes (streamed: firmware can be large). */
  async sign(path: string): Promise<string> {
    const { keyPem } = await this.certificate();
    const signer = createSign('sha256');
    for await (const chunk of createReadStream(path)) signer.update(chunk as Buffer);
    return signer.sign(keyPem, 'base64');
  }
}

import { X509Certificate, verify } from 'node:crypto';
import type { FirmwareSignature } from './charger-types';

/** Why `bytes` match no signer's SHA-256 signature, or undefined when one of the signers' keys verifies them. */
export function signatureProblem(bytes: Uint8Array, signed: FirmwareSignature): string | undefined {
  if (signed.signers.length === 0)
    return 'no signing certificate was given and no ManufacturerRootCertificate is installed to check it with';
  let problem = 'the firmware does not match its signature';
  for (const pem of signed.signers) {
    try {
      const key = new X509Certificate(pem).publicKey;
      if (verify('sha256', bytes, key, Buffer.from(signed.signature, 'base64'))) return undefined;
    } catch (error) {
      problem = `the signature could not be checked (${(error as Error).message})`;
    }
  }
  return problem;
}

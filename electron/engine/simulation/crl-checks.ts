import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import type * as x509 from '@peculiar/x509';
import { splitChain } from './certificate-store';
import type { CrlResult } from './crl';
import { loadParsedCrl } from './crl-file';

/**
 * What a demanding user wants to know about a CRL the station will use anyway (it is their own statement): whether
 * its signature verifies against a CA the station knows (RFC 5280 section 6.3.3 (f)/(g): the issuer's certificate,
 * matched by name) and whether it is current (its nextUpdate has not passed, its thisUpdate is not in the future).
 * Each finding is one sentence; none when all is well. Never throws.
 */
export async function crlNotes(
  crls: readonly x509.X509Crl[],
  known: readonly x509.X509Certificate[],
  now: Date,
): Promise<string[]> {
  const notes: string[] = [];
  for (const [n, crl] of crls.entries()) {
    const label =
      crls.length > 1 ? `CRL ${n + 1} (issuer "${crl.issuer}")` : `the CRL (issuer "${crl.issuer}")`;
    const nextUpdate = crl.nextUpdate;
    if (nextUpdate && nextUpdate.getTime() < now.getTime())
      notes.push(`${label} is out of date: its nextUpdate ${iso(nextUpdate)} has passed`);
    if (crl.thisUpdate.getTime() > now.getTime())
      notes.push(`${label} is not valid yet: its thisUpdate ${iso(crl.thisUpdate)} is in the future`);
    const issuers = known.filter((c) => c.subject === crl.issuer);
    if (issuers.length === 0) {
      notes.push(
        `${label}: signature not checked, no known CA certificate has that subject (bundle the CA's certificate in the CRL's PEM file, or give it as the TLS CA)`,
      );
      continue;
    }
    let verified = false;
    for (const ca of issuers) verified ||= await verifies(crl, ca);
    if (!verified)
      notes.push(
        `${label}: its signature does not verify against the key of the CA certificate with that subject (serial ${issuers
          .map((c) => c.serialNumber.toLowerCase())
          .join(', ')})`,
      );
  }
  return notes;
}

/**
 * Verdicts by list and CA certificate (its DER in base64): a list kept parsed (crl-file.ts) is the same object at
 * each check as the user types, and its signature (a hash of the whole list, megabytes for a large CA) is checked
 * once per CA.
 */
const verdicts = new WeakMap<x509.X509Crl, Map<string, Promise<boolean>>>();

function verifies(crl: x509.X509Crl, ca: x509.X509Certificate): Promise<boolean> {
  let byCa = verdicts.get(crl);
  if (!byCa) verdicts.set(crl, (byCa = new Map()));
  const key = Buffer.from(ca.rawData).toString('base64');
  let verdict = byCa.get(key);
  if (!verdict) byCa.set(key, (verdict = verify(crl, ca)));
  return verdict;
}

async function verify(crl: x509.X509Crl, ca: x509.X509Certificate): Promise<boolean> {
  try {
    return await crl.verify({ publicKey: ca });
  } catch {
    // A key of another algorithm (an RSA CA for an EC-signed list) throws rather than answering false.
    return false;
  }
}

function iso(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

/**
 * A CRL file read as loadParsedCrl reads it, with crlNotes about it: the known CAs are the certificates its PEM file
 * bundles and those of `caFiles` (the station's TLS CA). A CA file that cannot be read is a note, not an error.
 */
export async function loadCrlFileWithNotes(
  path: string,
  caFiles: readonly string[] = [],
  now: Date = new Date(),
): Promise<CrlResult & { notes?: string[] }> {
  const { result: crl, crls, certificates } = await loadParsedCrl(path);
  if (!crl.ok) return crl;
  const notes: string[] = [];
  const known = [...certificates];
  for (const file of caFiles) {
    try {
      known.push(...splitChain(await readFile(file, 'utf8')));
    } catch (e) {
      notes.push(
        `CA file ${file} gives no certificate to check the CRL with (${(e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e))})`,
      );
    }
  }
  notes.push(...(await crlNotes(crls, known, now)));
  return { ...crl, notes };
}

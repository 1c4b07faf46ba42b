import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface OpensslCrl {
  dir: string;
  pemPath: string;
  derPath: string;
  pem: string;
  der: Uint8Array;
  /** The CA's certificate (PEM), a file that is no CRL. */
  caPath: string;
  caPem: string;
  cleanup: () => Promise<void>;
}

/**
 * A CRL made by the openssl command line (`openssl ca -gencrl`), a third-party producer: a throw-away EC CA whose
 * database lists `revoked` (hex serials; with revokeCa also the CA's own) as revoked and one serial (0C) as valid.
 * Every CA made here has the same subject (CN=Test CRL CA), so one CA's certificate beside another's CRL is a
 * matching name with the wrong key. `lastUpdate` / `nextUpdate` (YYYYMMDDHHMMSSZ) set the list's dates.
 */
export async function opensslCrl(
  revoked: string[],
  o: { revokeCa?: boolean; lastUpdate?: string; nextUpdate?: string } = {},
): Promise<OpensslCrl> {
  const dir = await mkdtemp(join(tmpdir(), 'ocpp-scope-crl-'));
  const at = (f: string): string => join(dir, f);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.crt'),
    '-subj',
    '/CN=Test CRL CA',
    '-days',
    '2',
  ]);
  // The CA may revoke its own certificate: a certificate a test can then install and see refused.
  if (o.revokeCa) revoked = [...revoked, new X509Certificate(await readFile(at('ca.crt'))).serialNumber];
  const rows = revoked.map(
    (s, i) => `R\t301231000000Z\t24010${(i % 9) + 1}000000Z\t${s}\tunknown\t/CN=r${i}`,
  );
  rows.push('V\t301231000000Z\t\t0C\tunknown\t/CN=valid');
  await writeFile(at('index.txt'), `${rows.join('\n')}\n`);
  await writeFile(at('crlnumber'), '01\n');
  await writeFile(
    at('ca.cnf'),
    `[ca]\ndefault_ca=d\n[d]\ndatabase=${at('index.txt')}\ncrlnumber=${at('crlnumber')}\ndefault_md=sha256\ndefault_crl_days=30\n`,
  );
  await run('openssl', [
    'ca',
    '-gencrl',
    '-config',
    at('ca.cnf'),
    '-keyfile',
    at('ca.key'),
    '-cert',
    at('ca.crt'),
    '-out',
    at('crl.pem'),
    ...(o.lastUpdate ? ['-crl_lastupdate', o.lastUpdate] : []),
    ...(o.nextUpdate ? ['-crl_nextupdate', o.nextUpdate] : []),
  ]);
  await run('openssl', ['crl', '-in', at('crl.pem'), '-outform', 'DER', '-out', at('crl.der')]);
  return {
    dir,
    pemPath: at('crl.pem'),
    derPath: at('crl.der'),
    pem: await readFile(at('crl.pem'), 'utf8'),
    der: new Uint8Array(await readFile(at('crl.der'))),
    caPath: at('ca.crt'),
    caPem: await readFile(at('ca.crt'), 'utf8'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

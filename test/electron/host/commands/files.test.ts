import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFiles } from '../../../../electron/host/commands/files';
import { runListen } from '../../../../electron/host/commands/listen';
import { lineIo } from '../../../support/line-io';
import { curlStatus } from '../../engine/files/transfer-harness';
import { suiteTempDir, testTempDir } from '../../../support/temp-dirs';

// Free ports, and a CA folder of the test's own (the default is the user's ~/.ocpp-scope).
const CA_DIR = suiteTempDir('cli-files-ca');
const FREE = [
  '--http-port',
  '0',
  '--https-port',
  '0',
  '--ftp-port',
  '0',
  '--ftps-port',
  '0',
  '--data-dir',
  CA_DIR,
];

describe('ocpp-scope files', () => {
  it('prints one URL per protocol first, takes an upload and prints the transfer; stops on the signal', async () => {
    const dir = testTempDir('cli-files');
    const t = lineIo();
    const done = runFiles(['--dir', dir, '--host', '127.0.0.1', ...FREE], t.io);
    await t.until((l) => l.length >= 5);
    expect(t.out.slice(0, 4).map((l) => l.split(/\s+/)[0])).toEqual(['http', 'https', 'ftp', 'ftps']);
    const http = t.out[0]!.split(/\s+/)[1]!;
    expect(http).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/t\/[\w-]+\/$/);
    expect(t.out[2]).toMatch(/ftp:\/\/ocpp:[\w-]+@127\.0\.0\.1:\d+\/$/);
    // Sent from outside the served folder.
    const outside = join(testTempDir('cli-files-up'), 'up.txt');
    await writeFile(outside, 'hello');
    const r = await curlStatus(['-T', outside, `${http}up.txt`]);
    expect(r.stdout).toBe('201');
    await t.until((l) => l.some((x) => x.includes('upload up.txt over http completed')));
    expect(await readFile(join(dir, 'unknown-charger', 'up.txt'), 'utf8')).toBe('hello');
    t.stop();
    expect(await done).toBe(0);
  });

  it('--json prints the URLs and the transfer events as JSON lines; --user/--password is the FTP login', async () => {
    const dir = testTempDir('cli-files');
    await writeFile(join(dir, 'fw.bin'), 'firmware');
    const t = lineIo();
    const done = runFiles(
      ['--dir', dir, '--host', '127.0.0.1', ...FREE, '--user', 'me', '--password', 'pw', '--json'],
      t.io,
    );
    await t.until((l) => l.length >= 4);
    const urls = t.out
      .slice(0, 4)
      .map((l) => (JSON.parse(l) as { url: { protocol: string; url: string } }).url);
    expect(urls.map((u) => u.protocol)).toEqual(['http', 'https', 'ftp', 'ftps']);
    expect(urls[2]?.url).toMatch(/^ftp:\/\/me:pw@127\.0\.0\.1:\d+\/$/);
    expect((await curlStatus([`${urls[0]!.url}fw.bin`])).stdout).toBe('200');
    await t.until((l) => l.some((x) => x.includes('"phase":"completed"')));
    const events = t.out.slice(4).map((l) => JSON.parse(l) as { kind: string; phase: string; bytes: number });
    expect(events.map((e) => [e.kind, e.phase])).toEqual([
      ['transfer', 'started'],
      ['transfer', 'completed'],
    ]);
    expect(events[1]?.bytes).toBe(8);
    t.stop();
    expect(await done).toBe(0);
  });

  it('uses the kept local CA: two runs with the same --data-dir present the same CA', async () => {
    const dir = testTempDir('cli-files');
    const caDir = testTempDir('cli-files-kept');
    const pems: string[] = [];
    for (let run = 0; run < 2; run++) {
      const t = lineIo();
      const done = runFiles(
        ['--dir', dir, '--host', '127.0.0.1', ...FREE.slice(0, 8), '--data-dir', caDir],
        t.io,
      );
      await t.until((l) => l.some((x) => x.includes('END CERTIFICATE')));
      pems.push(t.out.join('\n').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/)![0]);
      t.stop();
      expect(await done).toBe(0);
    }
    expect(pems[1]).toBe(pems[0]);
    expect(await readFile(join(caDir, 'tls', 'local-ca.crt'), 'utf8')).toContain(pems[0]!.slice(30, 90));
  });

  it('refuses a missing --dir, a bad port and a user without password, with a sentence', async () => {
    for (const args of [[], ['--dir', '/tmp/x', '--ftp-port', 'abc'], ['--dir', '/tmp/x', '--user', 'u']]) {
      const t = lineIo();
      expect(await runFiles(args, t.io)).toBe(2);
      expect(t.err[0]).toMatch(/--dir|--ftp-port|--user/);
    }
  });

  it('listen --files DIR runs the file server beside the endpoint and prints its URLs after the endpoint line', async () => {
    const dir = testTempDir('cli-files');
    const t = lineIo();
    const done = runListen(
      ['--host', '127.0.0.1', '--port', '0', '--files', dir, '--data-dir', CA_DIR],
      t.io,
    );
    await t.until((l) => l.some((x) => x.startsWith('Folder:')));
    expect(t.out[0]).toMatch(/^Listening on ws:\/\/127\.0\.0\.1:\d+\//);
    expect(t.out.find((l) => l.startsWith('http '))).toMatch(/http:\/\/127\.0\.0\.1:\d+\/t\//);
    expect(t.out.find((l) => l.startsWith('http '))).not.toContain(':8080/');
    t.stop();
    expect(await done).toBe(0);
  });
});

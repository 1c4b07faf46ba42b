import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FilesHarness, bytes, run } from './transfer-harness';

const CLIENT = fileURLToPath(new URL('./ftp-client.py', import.meta.url));
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface FtpResult {
  ok: boolean;
  error?: string;
  reply?: string;
  size?: number;
  names?: string[];
}

/** Python's ftplib in passive mode (explicit TLS with the given CA when `tls`). */
async function ftplib(
  h: FilesHarness,
  port: number,
  password: string,
  tls: boolean,
  ...action: string[]
): Promise<FtpResult> {
  const r = await run('python3', [
    CLIENT,
    '127.0.0.1',
    String(port),
    'ocpp',
    password,
    tls ? 'explicit' : 'none',
    h.caFile,
    ...action,
  ]);
  if (r.code !== 0) throw new Error(`ftp-client.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as FtpResult;
}

describe('file server over FTP and FTPS, driven by Python ftplib (passive mode)', () => {
  let h: FilesHarness;
  afterEach(async () => h?.stop());

  it('FTP: uploads into the charger folder and downloads the firmware, byte-identical, with events', async () => {
    h = await new FilesHarness().start();
    const up = await h.server.prepare({ identity: 'CP-F', action: 'GetDiagnostics' });
    const body = bytes(250_000, 21);
    await writeFile(join(h.work, 'diag.tgz'), body);
    const ports = (await h.server.status()).ports;
    const stored = await ftplib(
      h,
      ports.ftp!,
      up.token,
      false,
      'stor',
      join(h.work, 'diag.tgz'),
      '/upload/diag.tgz',
    );
    expect(stored).toMatchObject({ ok: true, reply: expect.stringMatching(/^226/) });
    expect(await h.ended(1)).toMatchObject({
      phase: 'completed',
      protocol: 'ftp',
      direction: 'upload',
      name: 'diag.tgz',
      bytes: body.length,
      sha256: sha(body),
      identity: 'CP-F',
    });
    expect(await readFile(join(h.dir, 'CP-F', 'diag.tgz'))).toEqual(body);

    const fw = bytes(180_000, 4);
    await writeFile(join(h.dir, 'fw.img'), fw);
    const down = await h.server.prepare({ identity: 'CP-F', action: 'UpdateFirmware', firmware: 'fw.img' });
    expect(down.urls.find((u) => u.protocol === 'ftp')?.url).toBe(
      `ftp://ocpp:${down.token}@127.0.0.1:${ports.ftp}/fw.img`,
    );
    expect(await ftplib(h, ports.ftp!, down.token, false, 'size', 'fw.img')).toMatchObject({
      ok: true,
      size: fw.length,
    });
    expect(await ftplib(h, ports.ftp!, down.token, false, 'nlst')).toMatchObject({
      ok: true,
      names: ['fw.img'],
    });
    const got = join(h.work, 'got.img');
    expect(await ftplib(h, ports.ftp!, down.token, false, 'retr', 'fw.img', got)).toMatchObject({ ok: true });
    expect(await readFile(got)).toEqual(fw);
    expect(await h.ended(2)).toMatchObject({
      phase: 'completed',
      protocol: 'ftp',
      direction: 'download',
      bytes: fw.length,
      sha256: sha(fw),
    });
  });

  it('FTPS (explicit AUTH TLS, PROT P) on the FTP port and on the FTPS port, verified with the local CA', async () => {
    h = await new FilesHarness().start();
    const ports = (await h.server.status()).ports;
    const fw = bytes(90_000, 8);
    await writeFile(join(h.dir, 'fw.bin'), fw);
    const down = await h.server.prepare({
      identity: 'CP-S',
      action: 'SignedUpdateFirmware',
      firmware: 'fw.bin',
    });
    const up = await h.server.prepare({ identity: 'CP-S', action: 'GetLog' });
    const body = bytes(123_457, 9);
    await writeFile(join(h.work, 'log.zip'), body);
    for (const port of [ports.ftp!, ports.ftps!]) {
      const got = join(h.work, `got-${port}.bin`);
      expect(await ftplib(h, port, down.token, true, 'retr', 'fw.bin', got)).toMatchObject({ ok: true });
      expect(await readFile(got)).toEqual(fw);
      expect(await ftplib(h, port, up.token, true, 'stor', join(h.work, 'log.zip'), 'log.zip')).toMatchObject(
        { ok: true },
      );
    }
    await h.ended(4);
    const done = h.transfers().filter((e) => e.phase === 'completed');
    expect(done.map((e) => [e.protocol, e.direction, e.bytes])).toEqual([
      ['ftps', 'download', fw.length],
      ['ftps', 'upload', body.length],
      ['ftps', 'download', fw.length],
      ['ftps', 'upload', body.length],
    ]);
    expect((await readdir(join(h.dir, 'CP-S'))).sort()).toEqual(['log-2.zip', 'log.zip']);
    expect(await readFile(join(h.dir, 'CP-S', 'log-2.zip'))).toEqual(body);
  });

  it('the FTPS port refuses a login before TLS; unknown tokens get 530', async () => {
    h = await new FilesHarness().start();
    const ports = (await h.server.status()).ports;
    const up = await h.server.prepare({ identity: 'CP-X', action: 'GetDiagnostics' });
    expect(await ftplib(h, ports.ftps!, up.token, false, 'login')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^530/),
    });
    expect(await ftplib(h, ports.ftp!, 'AAAAAAAAAAAAAAAAAAAAAAAA', false, 'login')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^530/),
    });
    expect(await ftplib(h, ports.ftps!, 'AAAAAAAAAAAAAAAAAAAAAAAA', true, 'login')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^530/),
    });
  });

  it('names cannot climb out of the folder; an upload token cannot download; over the limit is refused with 552', async () => {
    h = await new FilesHarness().start({ maxUploadBytes: 40_000 });
    const ports = (await h.server.status()).ports;
    await writeFile(join(h.dir, 'fw.bin'), bytes(10));
    const up = await h.server.prepare({ identity: 'CP-T', action: 'GetDiagnostics' });
    await writeFile(join(h.work, 'small.txt'), 'small');
    expect(
      await ftplib(
        h,
        ports.ftp!,
        up.token,
        false,
        'stor',
        join(h.work, 'small.txt'),
        '../../../../tmp/evil.txt',
      ),
    ).toMatchObject({ ok: true });
    expect(await readdir(join(h.dir, 'CP-T'))).toEqual(['evil.txt']);
    expect(await ftplib(h, ports.ftp!, up.token, false, 'retr', 'fw.bin', join(h.work, 'x'))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^550/),
    });
    expect(
      await ftplib(h, ports.ftp!, up.token, false, 'retr', '../fw.bin', join(h.work, 'x')),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/^550/) });
    await writeFile(join(h.work, 'big.bin'), bytes(100_000));
    const big = await ftplib(h, ports.ftp!, up.token, false, 'stor', join(h.work, 'big.bin'), 'big.bin');
    expect(big.ok).toBe(false);
    const failed = await h.ended(2);
    expect(failed).toMatchObject({
      phase: 'failed',
      protocol: 'ftp',
      findings: [expect.objectContaining({ code: 'transfer-too-large' })],
    });
    expect(await readdir(join(h.dir, 'CP-T'))).toEqual(['evil.txt']);
  });

  it('curl: implicit TLS (ftps://) on the FTPS port and explicit AUTH TLS (--ssl-reqd) on the FTP port', async () => {
    h = await new FilesHarness().start();
    const ports = (await h.server.status()).ports;
    const up = await h.server.prepare({ identity: 'CP-C', action: 'GetDiagnostics' });
    const body = bytes(50_000, 17);
    await writeFile(join(h.work, 'c.bin'), body);
    const implicit = await run('curl', [
      '-sS',
      '--cacert',
      h.caFile,
      '-T',
      join(h.work, 'c.bin'),
      `ftps://ocpp:${up.token}@127.0.0.1:${ports.ftps}/implicit.bin`,
    ]);
    expect(implicit).toMatchObject({ code: 0, stderr: '' });
    const explicit = await run('curl', [
      '-sS',
      '--ssl-reqd',
      '--cacert',
      h.caFile,
      '-T',
      join(h.work, 'c.bin'),
      `ftp://ocpp:${up.token}@127.0.0.1:${ports.ftp}/explicit.bin`,
    ]);
    expect(explicit).toMatchObject({ code: 0, stderr: '' });
    await h.ended(2);
    expect(
      h
        .transfers()
        .filter((e) => e.phase === 'completed')
        .map((e) => [e.protocol, e.name]),
    ).toEqual([
      ['ftps', 'implicit.bin'],
      ['ftps', 'explicit.bin'],
    ]);
    expect(await readFile(join(h.dir, 'CP-C', 'implicit.bin'))).toEqual(body);
    expect(await readFile(join(h.dir, 'CP-C', 'explicit.bin'))).toEqual(body);
  });
});

import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FilesHarness, bytes, curlStatus, run } from './transfer-harness';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('file server over HTTP and HTTPS, driven by curl', () => {
  let h: FilesHarness;
  afterEach(async () => h?.stop());

  it('stores a PUT upload byte-identical in the charger folder and records started/completed with its SHA-256', async () => {
    h = await new FilesHarness().start();
    const ticket = await h.server.prepare({ identity: 'CP-1', action: 'GetDiagnostics' });
    const body = bytes(300_000);
    await writeFile(join(h.work, 'diag.zip'), body);
    const r = await curlStatus(['-T', join(h.work, 'diag.zip'), `${h.url('http', ticket.urls)}diag.zip`]);
    expect(r.stdout).toBe('201');
    const done = await h.ended();
    expect(done.phase).toBe('completed');
    expect(done).toMatchObject({
      protocol: 'http',
      direction: 'upload',
      name: 'diag.zip',
      bytes: body.length,
      identity: 'CP-1',
      sha256: sha(body),
    });
    expect(done.remote?.address).toMatch(/127\.0\.0\.1/);
    expect(await readFile(join(h.dir, 'CP-1', 'diag.zip'))).toEqual(body);
    expect(h.transfers().filter((e) => e.transfer === done.transfer)[0]?.phase).toBe('started');
  });

  it('stores a multipart POST under the part filename', async () => {
    h = await new FilesHarness().start();
    const ticket = await h.server.prepare({ identity: 'CP-2', action: 'GetLog' });
    const body = bytes(70_000, 3);
    await writeFile(join(h.work, 'x.bin'), body);
    const r = await curlStatus([
      '-F',
      `file=@${join(h.work, 'x.bin')};filename=log.tar.gz`,
      h.url('http', ticket.urls),
    ]);
    expect(r.stdout).toBe('201');
    const done = await h.ended();
    expect(done).toMatchObject({
      phase: 'completed',
      name: 'log.tar.gz',
      bytes: body.length,
      sha256: sha(body),
    });
    expect(await readFile(join(h.dir, 'CP-2', 'log.tar.gz'))).toEqual(body);
  });

  it('serves firmware whole and by Range, over HTTP and over HTTPS verified with the local CA', async () => {
    h = await new FilesHarness().start();
    const fw = bytes(200_000, 11);
    await writeFile(join(h.dir, 'fw-1.2.bin'), fw);
    const ticket = await h.server.prepare({
      identity: 'CP-3',
      action: 'UpdateFirmware',
      firmware: 'fw-1.2.bin',
    });
    expect(ticket.firmware).toMatchObject({ name: 'fw-1.2.bin', size: fw.length, sha256: sha(fw) });
    expect(ticket.firmware?.signingCertificate).toContain('BEGIN CERTIFICATE');
    const url = h.url('http', ticket.urls);
    expect(url.endsWith('/fw-1.2.bin')).toBe(true);

    const whole = join(h.work, 'whole.bin');
    expect((await run('curl', ['-sS', '-o', whole, '-w', '%{http_code}', url])).stdout).toBe('200');
    expect(await readFile(whole)).toEqual(fw);
    const part = join(h.work, 'part.bin');
    expect(
      (await run('curl', ['-sS', '-r', '1000-1999', '-o', part, '-w', '%{http_code}', url])).stdout,
    ).toBe('206');
    expect(await readFile(part)).toEqual(fw.subarray(1000, 2000));
    const tail = join(h.work, 'tail.bin');
    expect((await run('curl', ['-sS', '-r', '-500', '-o', tail, '-w', '%{http_code}', url])).stdout).toBe(
      '206',
    );
    expect(await readFile(tail)).toEqual(fw.subarray(fw.length - 500));
    expect((await curlStatus(['-r', '999999-', url])).stdout).toBe('416');

    const secure = join(h.work, 'secure.bin');
    const r = await run('curl', [
      '-sS',
      '--cacert',
      h.caFile,
      '-o',
      secure,
      '-w',
      '%{http_code}',
      h.url('https', ticket.urls),
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('200');
    expect(await readFile(secure)).toEqual(fw);

    await h.ended(4);
    const ended = h.transfers().filter((e) => e.phase === 'completed');
    expect(ended.map((e) => [e.protocol, e.bytes, e.offset ?? 0])).toEqual([
      ['http', fw.length, 0],
      ['http', 1000, 1000],
      ['http', 500, fw.length - 500],
      ['https', fw.length, 0],
    ]);
    expect(ended[0]?.sha256).toBe(sha(fw));
    expect(ended[0]?.findings).toBeUndefined();
  });

  it('takes an HTTPS PUT verified with the local CA', async () => {
    h = await new FilesHarness().start();
    const ticket = await h.server.prepare({ identity: 'CP-4', action: 'GetDiagnostics' });
    const body = bytes(10_000, 5);
    await writeFile(join(h.work, 'd.txt'), body);
    const r = await run('curl', [
      '-sS',
      '--cacert',
      h.caFile,
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-T',
      join(h.work, 'd.txt'),
      `${h.url('https', ticket.urls)}d.txt`,
    ]);
    expect(r.stdout).toBe('201');
    expect(await h.ended()).toMatchObject({ phase: 'completed', protocol: 'https', sha256: sha(body) });
    expect(await readFile(join(h.dir, 'CP-4', 'd.txt'))).toEqual(body);
  });

  it('answers 403 to unknown tokens, and a download token cannot upload nor fetch another file', async () => {
    h = await new FilesHarness().start();
    await writeFile(join(h.dir, 'fw.bin'), bytes(100));
    await writeFile(join(h.dir, 'other.bin'), bytes(100));
    const ticket = await h.server.prepare({ identity: 'CP', action: 'UpdateFirmware', firmware: 'fw.bin' });
    const base = h.url('http', ticket.urls).replace(/t\/.*$/, '');
    const code = async (...args: string[]): Promise<string> => (await curlStatus(args)).stdout;
    expect(await code(`${base}t/AAAAAAAAAAAAAAAAAAAA/fw.bin`)).toBe('403');
    expect(await code(`${base}t/${ticket.token}/other.bin`)).toBe('404');
    expect(await code('-T', join(h.dir, 'fw.bin'), `${base}t/${ticket.token}/up.bin`)).toBe('403');
    expect(await code(`${base}fw.bin`)).toBe('404');
    expect(h.transfers()).toEqual([]);
  });

  it('never serves or writes outside the transfer folder, whatever the name', async () => {
    h = await new FilesHarness().start();
    await writeFile(join(h.work, 'secret.txt'), 'secret');
    const any = h.server.issueGeneral('CP-9');
    const base = h.url('http', h.server.urls());
    const get = async (path: string): Promise<string> =>
      (await curlStatus(['--path-as-is', `${base}${path}`])).stdout;
    // The client's temp dir is a sibling of the transfer folder: ../<it>/secret.txt is a real way out.
    const escape = `..%2F${basename(h.work)}%2Fsecret.txt`;
    for (const p of [
      `t/${any.token}/../../../etc/passwd`,
      `t/${any.token}/..%2F..%2Fetc%2Fpasswd`,
      `t/${any.token}/%2Fetc%2Fpasswd`,
      `t/${any.token}/${escape}`,
      `t/${any.token}/`,
    ]) {
      expect([p, await get(p)]).toEqual([p, expect.stringMatching(/^40[34]$/)]);
    }
    await writeFile(join(h.work, 'up.txt'), 'hello');
    const put = await run('curl', [
      '-sS',
      '--path-as-is',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-T',
      join(h.work, 'up.txt'),
      `${base}t/${any.token}/..%2F..%2Fevil.txt`,
    ]);
    expect(put.stdout).toBe('201');
    expect(await readdir(h.dir)).toEqual(['CP-9']);
    expect(await readdir(join(h.dir, 'CP-9'))).toEqual(['evil.txt']);
  });

  it('refuses an upload over the size limit, announced or streamed, with a clear event and no file left', async () => {
    h = await new FilesHarness().start({ maxUploadBytes: 50_000 });
    const ticket = await h.server.prepare({ identity: 'CP-L', action: 'GetDiagnostics' });
    await writeFile(join(h.work, 'big.bin'), bytes(120_000));
    const url = `${h.url('http', ticket.urls)}big.bin`;
    const announced = await curlStatus(['-T', join(h.work, 'big.bin'), url]);
    expect(announced.stdout).toBe('413');
    const first = await h.ended(1);
    expect(first.phase).toBe('failed');
    expect(first.findings?.[0]?.code).toBe('transfer-too-large');
    const chunked = await curlStatus([
      '-H',
      'Transfer-Encoding: chunked',
      '-T',
      join(h.work, 'big.bin'),
      url,
    ]);
    expect(['413', '000']).toContain(chunked.stdout);
    const second = await h.ended(2);
    expect(second).toMatchObject({
      phase: 'failed',
      findings: [expect.objectContaining({ code: 'transfer-too-large' })],
    });
    expect(second.bytes).toBeLessThanOrEqual(50_000);
    expect(await readdir(join(h.dir, 'CP-L')).catch(() => [])).toEqual([]);
  });
});
